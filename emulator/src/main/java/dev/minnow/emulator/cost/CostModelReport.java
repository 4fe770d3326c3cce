package dev.minnow.emulator.cost;

import java.util.Locale;
import java.util.Map;

/** The cost model's cross-validation and the reference submission's rows as Markdown tables (the module README's). */
public final class CostModelReport {
    private CostModelReport() {}

    /** Latency errors per core class: leave one row, system and core class out. */
    public static String latencyTable(CostModel m) {
        CostModel.LatencyErrors e = m.latencyErrors();
        StringBuilder s = new StringBuilder();
        s.append("| core class | rows | LOO median | LOO p90 | leave-system-out median | p90 | leave-core-out median | p90 |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, ErrorStat> en : e.looByCore().entrySet()) {
            String c = en.getKey();
            ErrorStat loso = e.losoByCore().get(c), loco = e.locoByCore().get(c);
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s |%n", c, en.getValue().n(),
                    pct(en.getValue().median()), pct(en.getValue().p90()), pct(loso.median()), pct(loso.p90()),
                    pct(loco.median()), pct(loco.p90())));
        }
        s.append(String.format(Locale.ROOT, "| **all rows** | %d | %s | %s | %s | %s | %s | %s |%n", e.loo().n(),
                pct(e.loo().median()), pct(e.loo().p90()), pct(e.loso().median()), pct(e.loso().p90()),
                pct(e.loco().median()) + " (CPU-only)", pct(e.loco().p90())));
        return s.toString();
    }

    /** Energy errors per core class (leave one row out) and with the board unseen. */
    public static String energyTable(CostModel m) {
        CostModel.EnergyFit e = m.energy();
        StringBuilder s = new StringBuilder();
        s.append("| core class | energy rows | LOO median | LOO p90 |\n|---|---:|---:|---:|\n");
        for (Map.Entry<String, ErrorStat> en : e.looByCore().entrySet()) {
            s.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", en.getKey(), en.getValue().n(),
                    pct(en.getValue().median()), pct(en.getValue().p90())));
        }
        s.append(String.format(Locale.ROOT, "| **all rows** | %d | %s | %s |%n", e.loo().n(), pct(e.loo().median()), pct(e.loo().p90())));
        s.append(String.format(Locale.ROOT, "| **board unseen** (power from its core class) | %d | %s | %s |%n",
                e.boardUnseen().n(), pct(e.boardUnseen().median()), pct(e.boardUnseen().p90())));
        return s.toString();
    }

    /** The published rows of one system beside the model's in-sample fit and leave-one-out estimate. */
    public static String systemTable(CostModel m, String round, String submitter, String system) {
        StringBuilder s = new StringBuilder();
        s.append("| benchmark | published ms | fitted ms | leave-one-out ms | LOO error | published uJ | leave-one-out uJ |\n");
        s.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (CostModel.RowPrediction r : m.rows()) {
            if (!r.round().equals(round) || !r.submitter().equals(submitter) || !r.system().equals(system)) continue;
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", r.benchmark(),
                    LatencyEstimate.fmt(r.latencyMs()), LatencyEstimate.fmt(r.fittedMs()), LatencyEstimate.fmt(r.looMs()),
                    pct((r.looMs() - r.latencyMs()) / r.latencyMs()),
                    r.energyUj() == null ? "-" : LatencyEstimate.fmt(r.energyUj()),
                    r.looEnergyUj() == null ? "-" : LatencyEstimate.fmt(r.looEnergyUj())));
        }
        return s.toString();
    }

    /** Prints the README's tables for the shipped model. */
    public static void main(String[] args) {
        CostModel m = CostModel.load();
        System.out.println(latencyTable(m));
        System.out.println(energyTable(m));
        System.out.println(systemTable(m, "v0.5", "reference", "Nucleo-L4R5ZI"));
    }

    private static String pct(double v) { return String.format(Locale.ROOT, "%.1f%%", 100 * v); }
}
