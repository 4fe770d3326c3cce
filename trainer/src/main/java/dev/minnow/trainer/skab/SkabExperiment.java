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

    static final int FEATURES = 8;
    static final int WINDOW = 60;

    static TrainingConfig keras() {
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
        r.put("conv-ae", () -> new NetworkDetector((steps, f, seed) -> NetworkBuilder.input(steps, f)
                .conv1d(32, 7, 2, 1, Padding.SAME, Activation.RELU).dropout(0.2f)
                .conv1d(16, 7, 2, 1, Padding.SAME, Activation.RELU)
                .conv1dTranspose(16, 7, 2, Padding.SAME, Activation.RELU).dropout(0.2f)
                .conv1dTranspose(32, 7, 2, Padding.SAME, Activation.RELU)
                .conv1dTranspose(f, 7, 1, Padding.SAME, Activation.LINEAR).build("conv-ae", seed),
                keras(), FEATURES, WINDOW, 0, false));
        return r;
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
        for (String name : names) {
            Supplier<WindowDetector> d = all.get(name);
            if (d == null) throw new IllegalArgumentException("unknown recipe " + name + "; known: " + all.keySet());
            SkabProtocol.Result r = SkabProtocol.published().run(files, d, seed, threads);
            System.out.printf(Locale.ROOT, "%-22s test %s | all rows F1 %.4f | %.1f s%n", name, r.test(), r.whole().f1(), r.seconds());
            if (Boolean.getBoolean("skab.perFile")) {
                for (SkabProtocol.FileResult f : r.files()) {
                    System.out.printf(Locale.ROOT, "    %-14s %s  limit %.3f  %.1f s%n", f.name(), f.test(), f.limit(), f.seconds());
                }
            }
        }
    }
}
