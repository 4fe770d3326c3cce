package dev.minnow.emulator.cost;

import dev.minnow.emulator.EngineAccess;
import dev.minnow.model.Model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fits the {@link CostModel} on MLPerf Tiny's published rows and cross-validates it. Run as a program to regenerate
 * the shipped resource:
 * {@code java -cp ... dev.minnow.emulator.cost.CostModelFitter RESULTS.csv CONFORMANCE_DIR OUT.json}.
 */
public final class CostModelFitter {
    private static final int FULL_ITERATIONS = 500, REFIT_ITERATIONS = 200;

    private CostModelFitter() {}

    /** A published row joined with its core class, stack, type and work. */
    record Joined(PublishedResult row, String coreClass, String stack, String type, double[] work) {}

    /** Fits the spec's model on {@code rows}, reading the benchmark models from {@code conformance}, and cross-validates it. */
    public static CostModel fit(CostModelSpec spec, List<PublishedResult> rows, Path conformance) throws IOException {
        return fit(spec, rows, conformance, true);
    }

    /**
     * Fits the model; without {@code crossValidate} (a fraction of a second instead of tens of seconds) the
     * leave-out predictions and every error statistic are NaN.
     */
    public static CostModel fit(CostModelSpec spec, List<PublishedResult> rows, Path conformance, boolean crossValidate)
            throws IOException {
        Map<String, double[]> work = new HashMap<>();
        for (CostModelSpec.Benchmark b : spec.benchmarks()) {
            Model m = EngineAccess.load(conformance.resolve(b.model()).resolve("model.tflite"));
            work.put(b.benchmark() + "/" + b.type(), WorkProfile.of(m, b.asInteger()).total());
        }
        List<Joined> joined = new ArrayList<>();
        for (PublishedResult r : rows) {
            String type = r.softwareStack().contains(spec.floatStackPattern()) ? "float32" : "int8";
            double[] x = work.get(r.benchmark() + "/" + type);
            if (x == null) throw new IllegalArgumentException("line " + r.line() + ": no model for " + r.benchmark() + " " + type);
            joined.add(new Joined(r, spec.coreClassOf(r.core()), spec.stackOf(r.softwareStack()), type, x));
        }

        List<String> coreNames = new ArrayList<>();
        double[] corePrior = new double[spec.cores().size()];
        double refMark = spec.coreClass(spec.referenceCore()).coremarkPerMhz();
        for (int i = 0; i < spec.cores().size(); i++) {
            coreNames.add(spec.cores().get(i).name());
            corePrior[i] = refMark / spec.cores().get(i).coremarkPerMhz();
        }
        List<String> stackIds = new ArrayList<>();
        for (CostModelSpec.Stack s : spec.stacks()) stackIds.add(s.id());
        double[] kindPrior = new double[LatencyFit.K];
        for (WorkKind k : WorkKind.values()) kindPrior[k.ordinal()] = spec.kindPriors().get(k);
        LatencyFit fit = new LatencyFit(coreNames, stackIds, kindPrior, corePrior, spec.ridge(), spec.referenceCore(),
                spec.referenceStack());

        List<LatencyFit.Sample> samples = new ArrayList<>();
        for (Joined j : joined) {
            samples.add(new LatencyFit.Sample(j.work(), fit.coreIndex(j.coreClass()), fit.stackIndex(j.stack()), j.row().cycles()));
        }
        double[] theta = fit.solve(fit.priorTheta(), samples, FULL_ITERATIONS);

        int n = joined.size();
        double[] fittedMs = new double[n], looMs = new double[n], losoMs = new double[n], locoMs = new double[n];
        for (int i = 0; i < n; i++) fittedMs[i] = ms(fit, theta, samples.get(i), joined.get(i));
        java.util.Arrays.fill(looMs, Double.NaN);
        java.util.Arrays.fill(losoMs, Double.NaN);
        java.util.Arrays.fill(locoMs, Double.NaN);
        if (crossValidate) {
            for (int i = 0; i < n; i++) {
                int skip = i;
                double[] t = fit.solve(theta, LatencyFit.without(samples, q -> q == skip), REFIT_ITERATIONS);
                looMs[i] = ms(fit, t, samples.get(i), joined.get(i));
            }
            crossValidate(fit, theta, samples, joined, j -> j.row().systemKey(), losoMs);
            crossValidate(fit, theta, samples, joined, Joined::coreClass, locoMs);
        }

        Map<String, Integer> coreRows = new HashMap<>(), stackRows = new HashMap<>();
        for (Joined j : joined) {
            coreRows.merge(j.coreClass(), 1, Integer::sum);
            stackRows.merge(j.stack(), 1, Integer::sum);
        }
        Map<WorkKind, Double> cycles = new EnumMap<>(WorkKind.class);
        for (WorkKind k : WorkKind.values()) cycles.put(k, fit.kindCoefficient(theta, k));
        List<CostModel.CoreFit> cores = new ArrayList<>();
        for (int c = 0; c < coreNames.size(); c++) {
            cores.add(new CostModel.CoreFit(coreNames.get(c), fit.coreFactor(theta, c), coreRows.getOrDefault(coreNames.get(c), 0)));
        }
        List<CostModel.StackFit> stacks = new ArrayList<>();
        for (int s = 0; s < stackIds.size(); s++) {
            CostModelSpec.Stack st = spec.stacks().get(s);
            Map<WorkKind, Double> kf = new EnumMap<>(WorkKind.class);
            for (WorkKind k : WorkKind.values()) kf.put(k, fit.kindFactor(theta, s, k));
            stacks.add(new CostModel.StackFit(st.id(), st.name(), st.description(), fit.stackFactor(theta, s), kf,
                    stackRows.getOrDefault(st.id(), 0)));
        }

        CostModel.LatencyErrors latency = new CostModel.LatencyErrors(byCore(joined, looMs), all(joined, looMs, false),
                byCore(joined, losoMs), all(joined, losoMs, false), byCore(joined, locoMs), all(joined, locoMs, true));
        EnergyResult energy = energy(joined, looMs);

        List<CostModel.RowPrediction> predictions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Joined j = joined.get(i);
            PublishedResult r = j.row();
            predictions.add(new CostModel.RowPrediction(r.line(), r.round(), r.submitter(), r.system(), r.board(), j.coreClass(),
                    j.stack(), r.benchmark(), j.type(), r.clockMhz(), r.latencyMs(), round(fittedMs[i]), round(looMs[i]),
                    r.energyUj(), energy.looEnergy[i] == null ? null : round(energy.looEnergy[i])));
        }
        String source = "MLPerf Tiny results.csv (closed division, MCU class, rounds v0.5 to v1.2): " + n
                + " rows after dropping byte-identical re-submissions; work counted by the engine's op table (WorkCount) on the corpus models named in "
                + "cost-model-spec.json";
        return new CostModel(source, spec.referenceCore(), spec.referenceStack(), spec.softFloatFactor(), cycles, cores, stacks, latency,
                energy.fit, predictions);
    }

    private static double ms(LatencyFit fit, double[] t, LatencyFit.Sample s, Joined j) {
        return fit.predict(t, s.x(), s.core(), s.stack(), null) / (j.row().clockMhz() * 1e3);
    }

    /** Refits without each group's rows in turn and predicts them. */
    private static void crossValidate(LatencyFit fit, double[] theta, List<LatencyFit.Sample> samples, List<Joined> joined,
                                      java.util.function.Function<Joined, String> group, double[] outMs) {
        Set<String> groups = new LinkedHashSet<>();
        for (Joined j : joined) groups.add(group.apply(j));
        for (String gName : groups) {
            double[] t = fit.solve(theta, LatencyFit.without(samples, q -> group.apply(joined.get(q)).equals(gName)), REFIT_ITERATIONS);
            for (int i = 0; i < joined.size(); i++) {
                if (group.apply(joined.get(i)).equals(gName)) outMs[i] = ms(fit, t, samples.get(i), joined.get(i));
            }
        }
    }

    private static Map<String, ErrorStat> byCore(List<Joined> joined, double[] predictedMs) {
        Map<String, List<Double>> errs = new TreeMap<>();
        for (int i = 0; i < joined.size(); i++) {
            errs.computeIfAbsent(joined.get(i).coreClass(), c -> new ArrayList<>()).add(relative(predictedMs[i], joined.get(i).row().latencyMs()));
        }
        Map<String, ErrorStat> out = new LinkedHashMap<>();
        errs.forEach((c, e) -> out.put(c, ErrorStat.of(e)));
        return out;
    }

    /** Pooled errors; {@code cpuOnly} leaves out the core classes with an accelerator (" + " in the name). */
    private static ErrorStat all(List<Joined> joined, double[] predictedMs, boolean cpuOnly) {
        List<Double> e = new ArrayList<>();
        for (int i = 0; i < joined.size(); i++) {
            if (cpuOnly && joined.get(i).coreClass().contains(" + ")) continue;
            e.add(relative(predictedMs[i], joined.get(i).row().latencyMs()));
        }
        return ErrorStat.of(e);
    }

    static double relative(double predicted, double observed) { return Math.abs(predicted - observed) / observed; }

    private record EnergyResult(CostModel.EnergyFit fit, Double[] looEnergy) {}

    private static EnergyResult energy(List<Joined> joined, double[] looMs) {
        Map<String, List<Double>> boardPower = new TreeMap<>(), corePerMhz = new TreeMap<>();
        List<Double> allPerMhz = new ArrayList<>();
        for (Joined j : joined) {
            Double p = j.row().powerMw();
            if (p == null) continue;
            boardPower.computeIfAbsent(j.row().board(), b -> new ArrayList<>()).add(p / j.row().clockMhz());
            corePerMhz.computeIfAbsent(j.coreClass(), c -> new ArrayList<>()).add(p / j.row().clockMhz());
            allPerMhz.add(p / j.row().clockMhz());
        }
        Map<String, Double> boardMw = new LinkedHashMap<>(), coreMw = new LinkedHashMap<>();
        boardPower.forEach((b, v) -> boardMw.put(b, round(ErrorStat.quantile(v, 0.5))));
        corePerMhz.forEach((c, v) -> coreMw.put(c, round(ErrorStat.quantile(v, 0.5))));

        Double[] looEnergy = new Double[joined.size()];
        Map<String, List<Double>> looErr = new TreeMap<>();
        List<Double> looAll = new ArrayList<>(), unseenAll = new ArrayList<>();
        for (int i = 0; i < joined.size(); i++) {
            Joined j = joined.get(i);
            if (j.row().energyUj() == null) continue;
            List<Double> sameBoard = new ArrayList<>(), sameCore = new ArrayList<>(), other = new ArrayList<>();
            for (int q = 0; q < joined.size(); q++) {
                Joined o = joined.get(q);
                if (q == i || o.row().powerMw() == null) continue;
                boolean board = o.row().board().equals(j.row().board());
                if (board) sameBoard.add(o.row().powerMw() / o.row().clockMhz());
                else {
                    other.add(o.row().powerMw() / o.row().clockMhz());
                    if (o.coreClass().equals(j.coreClass())) sameCore.add(o.row().powerMw() / o.row().clockMhz());
                }
            }
            double unseenPower = (sameCore.isEmpty() ? ErrorStat.quantile(other, 0.5) : ErrorStat.quantile(sameCore, 0.5)) * j.row().clockMhz();
            double power = sameBoard.isEmpty() ? unseenPower : ErrorStat.quantile(sameBoard, 0.5) * j.row().clockMhz();
            looEnergy[i] = looMs[i] * power;
            double e = relative(looEnergy[i], j.row().energyUj());
            looErr.computeIfAbsent(j.coreClass(), c -> new ArrayList<>()).add(e);
            looAll.add(e);
            unseenAll.add(relative(looMs[i] * unseenPower, j.row().energyUj()));
        }
        Map<String, ErrorStat> byCore = new LinkedHashMap<>();
        looErr.forEach((c, e) -> byCore.put(c, ErrorStat.of(e)));
        CostModel.EnergyFit fit = new CostModel.EnergyFit(boardMw, coreMw, round(ErrorStat.quantile(allPerMhz, 0.5)), byCore,
                ErrorStat.of(looAll), ErrorStat.of(unseenAll));
        return new EnergyResult(fit, looEnergy);
    }

    /** Six significant digits, so the resource is stable text. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) return v;
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }

    /** Regenerates the resource: RESULTS.csv CONFORMANCE_DIR OUT.json [SPEC.json, default the shipped spec]. */
    public static void main(String[] args) throws IOException {
        if (args.length != 3 && args.length != 4) {
            System.err.println("usage: CostModelFitter RESULTS.csv CONFORMANCE_DIR OUT.json [SPEC.json]");
            System.exit(2);
        }
        CostModelSpec spec = args.length == 4 ? CostModelSpec.load(Path.of(args[3])) : CostModelSpec.load();
        CostModel m = fit(spec, PublishedResult.read(Path.of(args[0])), Path.of(args[1]));
        Files.writeString(Path.of(args[2]), m.toJson() + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + args[2] + ": LOO median " + m.latencyErrors().loo().median() + ", p90 " + m.latencyErrors().loo().p90());
    }
}
