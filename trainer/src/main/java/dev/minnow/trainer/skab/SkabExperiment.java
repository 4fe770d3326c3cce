package dev.minnow.trainer.skab;

import dev.minnow.trainer.NetworkBuilder;
import dev.minnow.trainer.Progress;
import dev.minnow.trainer.TrainingConfig;
import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Padding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Experiment runner (not a product command): runs named detector recipes through {@link SkabProtocol} on the SKAB
 * files and prints F1/FAR/MAR per recipe with timings.
 * {@code java ... dev.minnow.trainer.skab.SkabExperiment DATA_DIR [recipe...]}
 */
public final class SkabExperiment {
    private SkabExperiment() {}

    /** SKAB's sensor features per row. */
    public static final int FEATURES = 8;
    /** The protocol's window length. */
    public static final int WINDOW = 60;

    /** The notebooks' Keras training: up to 100 epochs, batch 32, 10% validation, patience 5; quiet, one thread. */
    public static TrainingConfig keras() {
        return TrainingConfig.defaults().withProgress(Progress.quiet()).withThreads(1).withEpochs(100).withBatchSize(32)
                .withValidationSplit(0.1).withEarlyStopping(5, false);
    }

    /** The recipes by name. */
    static Map<String, Supplier<WindowDetector>> recipes() {
        Map<String, Supplier<WindowDetector>> r = new LinkedHashMap<>();
        r.put("conv-ae-reference", () -> new NetworkDetector((steps, f, seed) -> NetworkBuilder.input(steps, f)
                .conv1d(32, 7, 2, 1, Padding.SAME, Activation.RELU).dropout(0.2f)
                .conv1d(16, 7, 2, 1, Padding.SAME, Activation.RELU)
                .conv1dTranspose(16, 7, 2, Padding.SAME, Activation.RELU).dropout(0.2f)
                .conv1dTranspose(32, 7, 2, Padding.SAME, Activation.RELU)
                .conv1dTranspose(1, 7, 1, Padding.SAME, Activation.LINEAR).build("conv-ae-reference", seed),
                keras(), FEATURES, WINDOW, 0, true));
        r.put("conv-ae", () -> convAe(32, 16, 7, 0.2f, keras()));
        r.put("conv-ae-mae", () -> convAe(32, 16, 7, 0.2f, keras().withLoss(dev.minnow.trainer.Loss.MAE)));
        r.put("conv-ae-best10", () -> convAe(32, 16, 7, 0.2f, keras().withEarlyStopping(10, true)));
        r.put("conv-ae-16-8", () -> convAe(16, 8, 7, 0.2f, keras()));
        r.put("conv-ae-nodrop", () -> convAe(32, 16, 7, 0f, keras()));
        for (int h : new int[] {1, 5, 10}) {
            int horizon = h;
            r.put("lstm-forecast-h" + h, () -> new NetworkDetector((steps, f, seed) -> NetworkBuilder.input(steps, f)
                    .lstm(32, false).dense(horizon * f, Activation.LINEAR).reshape(horizon, f).build("lstm-forecast", seed),
                    keras(), FEATURES, WINDOW - horizon, WINDOW - horizon, false));
        }
        for (int h : new int[] {1, 5}) {
            int horizon = h;
            r.put("lstm-forecast-h" + h + "-best10", () -> lstmForecast(32, horizon, keras().withEarlyStopping(10, true)));
        }
        r.put("lstm64-forecast-h5-best10", () -> lstmForecast(64, 5, keras().withEarlyStopping(10, true)));
        r.put("lstm-ae", () -> lstmAe(32, keras()));
        return r;
    }

    /** The reference Conv-AE's shape with {@code f1}/{@code f2} filters, reconstructing every feature. */
    public static NetworkDetector convAe(int f1, int f2, int kernel, float dropout, TrainingConfig config) {
        return new NetworkDetector((steps, f, seed) -> {
            NetworkBuilder b = NetworkBuilder.input(steps, f).conv1d(f1, kernel, 2, 1, Padding.SAME, Activation.RELU);
            if (dropout > 0) b.dropout(dropout);
            b.conv1d(f2, kernel, 2, 1, Padding.SAME, Activation.RELU).conv1dTranspose(f2, kernel, 2, Padding.SAME, Activation.RELU);
            if (dropout > 0) b.dropout(dropout);
            return b.conv1dTranspose(f1, kernel, 2, Padding.SAME, Activation.RELU)
                    .conv1dTranspose(f, kernel, 1, Padding.SAME, Activation.LINEAR).build("conv-ae", seed);
        }, config, FEATURES, WINDOW, 0, false);
    }

    /** An LSTM forecaster: the window's first {@code 60 - horizon} rows predict its last {@code horizon} rows. */
    public static NetworkDetector lstmForecast(int units, int horizon, TrainingConfig config) {
        return new NetworkDetector((steps, f, seed) -> NetworkBuilder.input(steps, f).lstm(units, false)
                .dense(horizon * f, Activation.LINEAR).reshape(horizon, f).build("lstm-forecast", seed),
                config, FEATURES, WINDOW - horizon, WINDOW - horizon, false);
    }

    /** An LSTM autoencoder: LSTM encoder to a code, repeated per step through a dense layer, LSTM decoder, dense per step. */
    public static NetworkDetector lstmAe(int units, TrainingConfig config) {
        return new NetworkDetector((steps, f, seed) -> NetworkBuilder.input(steps, f)
                .lstm(units, false).dense(steps * 4, Activation.LINEAR).reshape(steps, 4).lstm(units, true)
                .dense(f, Activation.LINEAR).build("lstm-ae", seed),
                config, FEATURES, WINDOW, 0, false);
    }

    /** Runs the recipes named in {@code args[1..]} (all when none) on the SKAB directory {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SkabExperiment SKAB_DATA_DIR [recipe...]; recipes: " + recipes().keySet());
            System.exit(2);
        }
        List<SkabFile> files = SkabCsv.readAll(Path.of(args[0]));
        Map<String, Supplier<WindowDetector>> all = recipes();
        List<String> names = new ArrayList<>();
        for (int i = 1; i < args.length; i++) names.add(args[i]);
        if (names.isEmpty()) names.addAll(all.keySet());
        int threads = Integer.getInteger("skab.threads", 2);
        long seed = Long.getLong("skab.seed", 0L);
        String dump = System.getProperty("skab.dump");
        for (String name : names) {
            Supplier<WindowDetector> d = all.get(name);
            if (d == null) throw new IllegalArgumentException("unknown recipe " + name + "; known: " + all.keySet());
            long cpu0 = cpuNanos();
            SkabProtocol.Result r = SkabProtocol.published().run(files, d, seed, threads);
            double cpu = (cpuNanos() - cpu0) / 1e9;
            System.out.printf(Locale.ROOT, "%-22s test %s | all rows F1 %.4f | %.1f s wall, %.1f s cpu%n", name, r.test(), r.whole().f1(),
                    r.seconds(), cpu);
            if (Boolean.getBoolean("skab.perFile")) {
                for (SkabProtocol.FileResult f : r.files()) {
                    System.out.printf(Locale.ROOT, "    %-14s %s  limit %.3f  %.1f s  %s%n", f.name(), f.test(), f.limit(), f.seconds(), f.detail());
                }
            }
            grid(files, r);
            WindowDetector probe = d.get();
            if (probe instanceof NetworkDetector nd) {
                dev.minnow.writer.network.FloatNetwork net = nd.architecture(0);
                dev.minnow.trainer.NetworkStats st = dev.minnow.trainer.NetworkStats.of(net);
                System.out.printf(Locale.ROOT, "      size: %d weights (~%.1f KB int8), largest layer in+out %d values%n", st.weights(),
                        st.weights() / 1024.0, st.largestLayerIo());
            }
            if (dump != null) ScoreDump.write(Path.of(dump, name + "-seed" + seed + ".scores"), r);
        }
    }

    /** Rescoring stored scores under other limits and row rules (exploration). */
    static void grid(List<SkabFile> files, SkabProtocol.Result r) {
        double[][] settings = {{0.999, 4.0 / 3}, {0.999, 1.0}, {0.999, 1.5}, {0.999, 2.0}, {0.99, 4.0 / 3}, {1.0, 1.0}, {1.0, 1.2}};
        for (PointRule rule : PointRule.values()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "      %-12s", rule));
            for (double[] st : settings) {
                SkabProtocol p = SkabProtocol.published().withRule(rule).withThreshold(st[0], st[1]);
                BinaryScore b = p.rejudge(files, r).test();
                sb.append(String.format(Locale.ROOT, "  q%.3f*%.2f F1 %.3f FAR %4.1f MAR %4.1f", st[0], st[1], b.f1(), b.farPercent(), b.marPercent()));
            }
            System.out.println(sb);
        }
    }

    private static long cpuNanos() {
        long sum = 0;
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        sum += os.getProcessCpuTime();
        return sum;
    }
}
