package dev.minnow.emulator.cost;

import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.Fpu;
import dev.minnow.model.Model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prices a model's {@link WorkProfile} on a board and stack with the fitted {@link CostModel}:
 * {@code cycles = core factor x stack factor x sum over ops and kinds of (cycles per unit x stack's kind factor x
 * amount)}, latency = cycles / clock. The error band is the cross-validation that matches the case: leave-one-row-out
 * of the board's core class when the data has that core with that stack, leave-one-system-out when it has the core
 * but not with that stack, leave-one-core-class-out when it has no row of the core at all.
 */
public final class LatencyEstimator {
    /** Smallest number of rows a per-core-class error statistic needs before it is used instead of the pooled one. */
    static final int MIN_ROWS = 3;

    private final CostModel model;
    private final Set<String> measuredPairs = new HashSet<>();

    /** An estimator over a fitted model. */
    public LatencyEstimator(CostModel model) {
        this.model = model;
        for (CostModel.RowPrediction r : model.rows()) measuredPairs.add(r.coreClass() + "|" + r.stack());
    }

    /** The estimator over the shipped model. */
    public static LatencyEstimator shipped() { return new LatencyEstimator(CostModel.load()); }

    /** The fitted model. */
    public CostModel model() { return model; }

    /**
     * The stack an estimate uses when none is named: a board with an accelerator, its first measured stack; an Arm
     * Cortex-M or Renesas RX core, TFLM + CMSIS-NN (CMSIS-NN's C kernels build for any of them); otherwise the TFLM
     * reference kernels.
     */
    public static String defaultStack(Board board) {
        if (board.accelerator() != null && !board.stacks().isEmpty()) return board.stacks().get(0);
        String core = board.core().displayName();
        return core.startsWith("Cortex-M") || core.startsWith("Renesas RX") ? "tflm-cmsis-nn" : "tflm-ref";
    }

    /** Estimates one inference of {@code m} on {@code board} with {@code stackId} (null: {@link #defaultStack}). */
    public LatencyEstimate estimate(Model m, Board board, String stackId) {
        return estimate(WorkProfile.of(m), board, stackId);
    }

    /** Estimates one inference of a work profile on {@code board} with {@code stackId} (null: the default). */
    public LatencyEstimate estimate(WorkProfile work, Board board, String stackId) {
        String stackUsed = stackId != null ? stackId : defaultStack(board);
        CostModel.StackFit stack = model.stack(stackUsed);
        List<String> notes = new ArrayList<>();
        String coreClass = board.coreClass();
        CostModel.CoreFit core = model.core(coreClass);
        if (core == null) {
            core = model.core(board.core().displayName());
            notes.add("no fitted class '" + coreClass + "': priced as a plain " + board.core().displayName()
                    + ", the accelerator ignored");
            coreClass = board.core().displayName();
        }
        double scale = core.factor() * stack.factor();
        double[] unit = new double[WorkKind.values().length];
        for (WorkKind k : WorkKind.values()) unit[k.ordinal()] = model.cyclesPerUnit().get(k) * stack.kindFactors().get(k);
        if (board.fpu() == Fpu.NONE) {
            unit[WorkKind.FLOAT_MAC.ordinal()] *= model.softFloatFactor();
            if (work.total()[WorkKind.FLOAT_MAC.ordinal()] > 0) {
                notes.add("float MACs on a core without an FPU priced at " + model.softFloatFactor()
                        + "x (an assumption: results.csv has no such row)");
            }
        }
        double clockHz = board.clockMhz() * 1e6;
        List<double[]> amounts = new ArrayList<>(work.ops());
        List<String> names = new ArrayList<>(work.names());
        double[] invoke = new double[WorkKind.values().length];
        invoke[WorkKind.INVOKE.ordinal()] = 1;
        amounts.add(invoke);
        names.add("(invoke overhead)");
        double[] cycles = new double[amounts.size()];
        WorkKind[] main = new WorkKind[amounts.size()];
        double total = 0;
        for (int i = 0; i < amounts.size(); i++) {
            double best = -1;
            for (WorkKind k : WorkKind.values()) {
                double c = scale * unit[k.ordinal()] * amounts.get(i)[k.ordinal()];
                cycles[i] += c;
                if (c > best) {
                    best = c;
                    main[i] = k;
                }
            }
            total += cycles[i];
        }
        List<LatencyEstimate.OpCost> ops = new ArrayList<>();
        for (int i = 0; i < amounts.size(); i++) {
            ops.add(new LatencyEstimate.OpCost(i < work.ops().size() ? i : -1, names.get(i), main[i], cycles[i],
                    cycles[i] / clockHz * 1e3, cycles[i] / total));
        }
        double ms = total / clockHz * 1e3;
        LatencyEstimate.Band latency = latencyBand(ms, coreClass, stackUsed, core.rows());

        Double energyUj = null, powerMw = null;
        LatencyEstimate.Band energy = null;
        String powerBasis;
        CostModel.EnergyFit ef = model.energy();
        Double boardPerMhz = board.resultsName() == null ? null : ef.boardMwPerMhz().get(board.resultsName());
        if (boardPerMhz != null) {
            powerMw = boardPerMhz * board.clockMhz();
            powerBasis = "median mW/MHz of " + board.name() + "'s published energy runs x clock";
            ErrorStat e = pick(ef.looByCore().get(coreClass), ef.loo());
            energyUj = ms * powerMw;
            energy = LatencyEstimate.Band.around(energyUj, e, e == ef.loo() ? "energy leave-one-out, all rows"
                    : "energy leave-one-out, " + coreClass + " rows");
        } else {
            Double perMhz = ef.coreMwPerMhz().get(coreClass);
            powerMw = (perMhz != null ? perMhz : ef.mwPerMhz()) * board.clockMhz();
            powerBasis = perMhz != null ? "median mW/MHz of published " + coreClass + " energy runs x clock"
                    : "median mW/MHz of all published energy runs x clock (no " + coreClass + " run)";
            energyUj = ms * powerMw;
            energy = LatencyEstimate.Band.around(energyUj, ef.boardUnseen(), "energy with the board's own runs left out, all rows");
        }
        return new LatencyEstimate(board.id(), board.name(), stack.id(), stack.name(), coreClass, board.clockMhz(), total, ms,
                latency, energyUj, energy, powerMw, powerBasis, ops, notes);
    }

    private LatencyEstimate.Band latencyBand(double ms, String coreClass, String stack, int coreRows) {
        CostModel.LatencyErrors e = model.latencyErrors();
        if (coreRows == 0) {
            return LatencyEstimate.Band.around(ms, e.loco(), "no published " + coreClass
                    + " row: leave-one-core-class-out, pooled over CPU-only classes");
        }
        if (measuredPairs.contains(coreClass + "|" + stack)) {
            return band(ms, e.looByCore(), e.loo(), coreClass, "leave-one-out");
        }
        return band(ms, e.losoByCore(), e.loso(), coreClass, "this core never ran this stack: leave-one-system-out");
    }

    private static LatencyEstimate.Band band(double ms, Map<String, ErrorStat> byCore, ErrorStat pooled, String coreClass,
                                             String what) {
        ErrorStat own = byCore.get(coreClass);
        ErrorStat e = pick(own, pooled);
        return LatencyEstimate.Band.around(ms, e, e == pooled ? what + ", all rows (too few " + coreClass + " rows)"
                : what + ", " + e.n() + " " + coreClass + " rows");
    }

    private static ErrorStat pick(ErrorStat own, ErrorStat pooled) {
        return own != null && own.n() >= MIN_ROWS ? own : pooled;
    }
}
