package dev.minnow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** The suite's Markdown tables and CSV. Times are thread-CPU time per invoke (see the README for why). */
final class Tables {
    private Tables() {}

    static String kernels(List<Suite.Row> rows) {
        StringBuilder sb = new StringBuilder("### Kernels (single-op models cut from the corpus's real models)\n\n");
        sb.append("| kernel | op | shapes | work | minnow µs | minnow rate | B/op (gc.alloc.rate.norm / invoke) | C ref µs | minnow/C | TFLM µs | TFLM/minnow | same output |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Suite.Row r : rows) {
            sb.append("| ").append(r.id).append(" | ").append(r.group).append(" | ").append(r.shapes).append(" | ")
                    .append(work(r.work)).append(" | ").append(us(cpu(r.minnow))).append(" | ").append(rate(r)).append(" | ")
                    .append(alloc(r)).append(" | ").append(r.cref == null ? note(r.crefNote) : us(r.cref.cpuNs())).append(" | ")
                    .append(ratio(cpu(r.minnow), r.cref == null ? Double.NaN : r.cref.cpuNs())).append(" | ")
                    .append(r.tflm == null ? note(r.tflmNote) : us(r.tflm.cpuNs())).append(" | ")
                    .append(ratio(r.tflm == null ? Double.NaN : r.tflm.cpuNs(), cpu(r.minnow))).append(" | ")
                    .append(same("C", r.crefSame)).append(' ').append(same("TFLM", r.tflmSame)).append(" |\n");
        }
        sb.append('\n').append(geomeans(rows, true));
        return sb.toString();
    }

    static String models(List<Suite.Row> rows) {
        StringBuilder sb = new StringBuilder("### Whole models (`invoke()` on the case's set_0)\n\n");
        sb.append("| model | MMAC | minnow µs | GMAC/s | B/op (gc.alloc.rate.norm / invoke) | TFLM µs | TFLM/minnow | TFLM/minnow (wall) | same output |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Suite.Row r : rows) {
            sb.append("| ").append(r.group.equals("detectors") ? "detectors/" : "").append(r.id).append(" | ")
                    .append(String.format(Locale.ROOT, "%.3f", r.work.amount() / 1e6)).append(" | ")
                    .append(us(cpu(r.minnow))).append(" | ")
                    .append(r.work.amount() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", r.work.amount() / cpu(r.minnow))).append(" | ")
                    .append(alloc(r)).append(" | ")
                    .append(r.tflm == null ? note(r.tflmNote) : us(r.tflm.cpuNs())).append(" | ")
                    .append(ratio(r.tflm == null ? Double.NaN : r.tflm.cpuNs(), cpu(r.minnow))).append(" | ")
                    .append(ratio(r.tflm == null ? Double.NaN : r.tflm.wallNs(), r.minnow == null ? Double.NaN : r.minnow.timing().wallNs())).append(" | ")
                    .append(same("golden", r.goldenSame)).append(' ').append(same("TFLM", r.tflmSame)).append(" |\n");
        }
        sb.append('\n').append(geomeans(rows, false)).append('\n').append(families(rows));
        List<Suite.Row> headline = new ArrayList<>();
        for (Suite.Row r : rows) if (KernelCatalog.HEADLINE_MODELS.contains(r.id)) headline.add(r);
        if (!headline.isEmpty() && headline.size() < rows.size()) {
            sb.append("Headline models only (").append(headline.size()).append("): ")
                    .append(geomean(headline, r -> r.tflm == null ? Double.NaN : r.tflm.cpuNs() / cpu(r.minnow)))
                    .append(" TFLM/minnow (thread CPU), ")
                    .append(geomean(headline, r -> r.tflm == null ? Double.NaN : r.tflm.wallNs() / r.minnow.timing().wallNs()))
                    .append(" (wall).\n");
        }
        return sb.toString();
    }

    /**
     * The minnow configurations of one run side by side (the default, then each {@code --variant}): thread-CPU µs per
     * invoke, default-over-variant time ratios (above 1 the default is faster) and TFLM/configuration speed-ups.
     */
    static String variants(String title, List<Suite.Row> rows, List<String> names) {
        StringBuilder sb = new StringBuilder("### ").append(title).append(": minnow configurations in the same run\n\n| id | default µs");
        for (String n : names) sb.append(" | ").append(n).append(" µs");
        for (String n : names) sb.append(" | ").append(n).append("/default");
        sb.append(" | TFLM µs | TFLM/default");
        for (String n : names) sb.append(" | TFLM/").append(n);
        sb.append(" |\n|---|---:").append("|---:".repeat(2 * names.size() + 2 + names.size())).append("|\n");
        for (Suite.Row r : rows) {
            double base = cpu(r.minnow), tflm = r.tflm == null ? Double.NaN : r.tflm.cpuNs();
            sb.append("| ").append(r.id).append(" | ").append(us(base));
            for (String n : names) sb.append(" | ").append(us(cpu(r.variants.get(n))));
            for (String n : names) sb.append(" | ").append(ratio(cpu(r.variants.get(n)), base));
            sb.append(" | ").append(us(tflm)).append(" | ").append(ratio(tflm, base));
            for (String n : names) sb.append(" | ").append(ratio(tflm, cpu(r.variants.get(n))));
            sb.append(" |\n");
        }
        sb.append("\nGeometric means: ");
        for (String n : names) sb.append(n).append("/default ").append(geomean(rows, r -> cpu(r.variants.get(n)) / cpu(r.minnow))).append("; ");
        sb.append("TFLM/default ").append(geomean(rows, r -> r.tflm == null ? Double.NaN : r.tflm.cpuNs() / cpu(r.minnow)));
        for (String n : names) {
            sb.append("; TFLM/").append(n).append(' ').append(geomean(rows, r -> r.tflm == null ? Double.NaN : r.tflm.cpuNs() / cpu(r.variants.get(n))));
        }
        return sb.append(".\n").toString();
    }

    /** TFLM/minnow by model family (ids equal but for a trailing number): the many seanet layers at a glance. */
    private static String families(List<Suite.Row> rows) {
        Map<String, Integer> sharing = new TreeMap<>();
        for (Suite.Row r : rows) sharing.merge(r.id.replaceAll("\\d+$", ""), 1, Integer::sum);
        Map<String, List<Suite.Row>> byFamily = new TreeMap<>();   // ids that share a prefix but for their number collapse
        for (Suite.Row r : rows) {
            String stem = r.id.replaceAll("\\d+$", "");
            byFamily.computeIfAbsent(sharing.get(stem) > 1 ? stem : r.id, k -> new ArrayList<>()).add(r);
        }
        StringBuilder sb = new StringBuilder("| family | models | TFLM/minnow geomean | min | max |\n|---|---:|---:|---:|---:|\n");
        for (var e : byFamily.entrySet()) {
            double lo = Double.MAX_VALUE, hi = 0;
            for (Suite.Row r : e.getValue()) {
                if (r.tflm == null || r.minnow == null) continue;
                double v = r.tflm.cpuNs() / cpu(r.minnow);
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            String g = geomean(e.getValue(), r -> r.tflm == null ? Double.NaN : r.tflm.cpuNs() / cpu(r.minnow));
            sb.append("| ").append(e.getKey()).append(" | ").append(e.getValue().size()).append(" | ")
                    .append(g.replaceAll(" \\(n=\\d+\\)", "")).append(" | ").append(hi == 0 ? "-" : String.format(Locale.ROOT, "%.2f", lo))
                    .append(" | ").append(hi == 0 ? "-" : String.format(Locale.ROOT, "%.2f", hi)).append(" |\n");
        }
        return sb.toString();
    }

    private static String geomeans(List<Suite.Row> rows, boolean kernels) {
        StringBuilder sb = new StringBuilder("Geometric means over ").append(rows.size()).append(kernels ? " kernels: " : " models: ");
        if (kernels) {
            sb.append(geomean(rows, r -> r.cref == null ? Double.NaN : cpu(r.minnow) / r.cref.cpuNs())).append(" minnow/C (time; above 1 minnow is slower), ");
        }
        sb.append(geomean(rows, r -> r.tflm == null ? Double.NaN : r.tflm.cpuNs() / cpu(r.minnow))).append(" TFLM/minnow (thread CPU; above 1 minnow is faster), ")
                .append(geomean(rows, r -> r.tflm == null ? Double.NaN : r.tflm.wallNs() / r.minnow.timing().wallNs())).append(" TFLM/minnow (wall).\n");
        return sb.toString();
    }

    private static String geomean(List<Suite.Row> rows, ToDoubleFunction<Suite.Row> f) {
        double logSum = 0;
        int n = 0;
        for (Suite.Row r : rows) {
            if (r.minnow == null) continue;
            double v = f.applyAsDouble(r);
            if (Double.isFinite(v) && v > 0) { logSum += Math.log(v); n++; }
        }
        return n == 0 ? "-" : String.format(Locale.ROOT, "%.2f (n=%d)", Math.exp(logSum / n), n);
    }

    /** One line for the progress log. */
    static String summary(Suite.Row r) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "minnow %s µs (wall %s)", us(cpu(r.minnow)),
                us(r.minnow == null ? Double.NaN : r.minnow.timing().wallNs())));
        if (r.cref != null) sb.append(", C ").append(us(r.cref.cpuNs()));
        if (r.tflm != null) sb.append(", TFLM ").append(us(r.tflm.cpuNs())).append(" (wall ").append(us(r.tflm.wallNs())).append(')');
        if (!r.crefNote.isEmpty()) sb.append(" [").append(r.crefNote).append(']');
        if (!r.tflmNote.isEmpty()) sb.append(" [").append(r.tflmNote).append(']');
        return sb.toString();
    }

    static String csv(List<Suite.Row> kernels, List<Suite.Row> models) {
        StringBuilder sb = new StringBuilder("kind,id,group,work,work_unit,minnow_cpu_ns,minnow_wall_ns,gc_alloc_rate_norm,invoke_bytes_per_op,"
                + "cref_cpu_ns,cref_wall_ns,tflm_cpu_ns,tflm_wall_ns,same_cref,same_tflm,same_golden\n");
        for (Suite.Row r : kernels) csvRow(sb, "kernel", r);
        for (Suite.Row r : models) csvRow(sb, "model", r);
        return sb.toString();
    }

    private static void csvRow(StringBuilder sb, String kind, Suite.Row r) {
        sb.append(kind).append(',').append(r.id).append(',').append(r.group).append(',').append(r.work.amount()).append(',')
                .append(r.work.unit()).append(',').append(num(cpu(r.minnow))).append(',')
                .append(num(r.minnow == null ? Double.NaN : r.minnow.timing().wallNs())).append(',')
                .append(r.minnow == null ? "" : r.minnow.gcAllocRateNorm()).append(',')
                .append(r.minnow == null ? "" : r.minnow.invokeBytes()).append(',')
                .append(num(r.cref == null ? Double.NaN : r.cref.cpuNs())).append(',').append(num(r.cref == null ? Double.NaN : r.cref.wallNs())).append(',')
                .append(num(r.tflm == null ? Double.NaN : r.tflm.cpuNs())).append(',').append(num(r.tflm == null ? Double.NaN : r.tflm.wallNs())).append(',')
                .append(r.crefSame == null ? "" : r.crefSame).append(',').append(r.tflmSame == null ? "" : r.tflmSame).append(',')
                .append(r.goldenSame == null ? "" : r.goldenSame).append('\n');
    }

    private static double cpu(JmhRun.Measured m) { return m == null ? Double.NaN : m.timing().cpuNs(); }

    private static String num(double v) { return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v); }

    private static String us(double ns) {
        if (Double.isNaN(ns)) return "-";
        double us = ns / 1000;
        return us >= 100 ? String.format(Locale.ROOT, "%,.0f", us) : us >= 10 ? String.format(Locale.ROOT, "%.1f", us)
                : String.format(Locale.ROOT, "%.2f", us);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }

    private static String work(SingleOpModels.Work w) {
        return String.format(Locale.ROOT, "%,d %s", w.amount(), w.unit());
    }

    private static String rate(Suite.Row r) {
        double ns = cpu(r.minnow);
        if (Double.isNaN(ns)) return "-";
        return r.work.unit().equals("MAC") ? String.format(Locale.ROOT, "%.2f GMAC/s", r.work.amount() / ns)
                : String.format(Locale.ROOT, "%.0f Melem/s", r.work.amount() / ns * 1000);
    }

    private static String alloc(Suite.Row r) {
        if (r.minnow == null) return "-";
        return bytes(r.minnow.gcAllocRateNorm()) + " / " + bytes(r.minnow.invokeBytes());
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "-" : b == 0 ? "0" : String.format(Locale.ROOT, "%.3g", b);
    }

    private static String note(String s) { return s.isEmpty() ? "-" : "n/a"; }

    private static String same(String what, Boolean same) {
        return same == null ? "" : (same ? "=" : "≠") + what;
    }
}
