package dev.minnow.cli;

import dev.minnow.emulator.analysis.DoesNotFitException;
import dev.minnow.emulator.analysis.FitReport;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.detect.DetectionPipeline;
import dev.minnow.emulator.detect.Detector;
import dev.minnow.emulator.detect.DeviceState;
import dev.minnow.emulator.detect.ModelRunner;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.trainer.skab.BinaryScore;
import dev.minnow.trainer.skab.NetworkDetector;
import dev.minnow.trainer.skab.SkabCsv;
import dev.minnow.trainer.skab.SkabExperiment;
import dev.minnow.trainer.skab.SkabFile;
import dev.minnow.trainer.skab.SkabProtocol;
import dev.minnow.trainer.skab.Standardizer;
import dev.minnow.trainer.skab.Windows;
import dev.minnow.writer.convert.Converter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * {@code minnow skab [DIR]}: SKAB's published outlier-detection protocol with each model trained per file, quantized
 * to int8 and scored by the firmware's detector in the engine inside a board's arena; F1/FAR/MAR of the int8 and the
 * float model beside the published leaderboard, with flash, arena and estimated latency on the board.
 */
@Command(name = "skab", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The SKAB benchmark (Skoltech Anomaly Benchmark) by its published protocol: per file the first 400 "
                + "rows train, features are standardised on them, windows of 60 rows, the limit is the 0.999 quantile of the "
                + "training windows' residuals x 4/3, a row is flagged when every window ending in the 60 rows before it is "
                + "above the limit, F1/FAR/MAR over the test rows of all 34 files.",
                "Each model is trained in float per file, quantized to int8 (calibrated on that file's training windows) and "
                + "scored window by window by the detection loop in the engine, in the arena the board's firmware declares. "
                + "Takes tens of minutes on 2 cores."})
final class SkabCommand implements java.util.concurrent.Callable<Integer> {
    /** The models the command knows. */
    enum Recipe {
        /** LSTM forecaster: the window's first 55 rows predict its last 5 (all eight features). */
        LSTM("lstm", "LSTM forecaster (LSTM 32, dense 40; 55 rows predict the next 5)"),
        /** The notebook's Conv-AE shape, reconstructing all eight features. */
        CONV_AE("conv-ae", "Conv-AE (Conv1D 32/16 k7 s2, dropout 0.2, transposes back; all 8 features)"),
        /** LSTM autoencoder. */
        LSTM_AE("lstm-ae", "LSTM-AE (LSTM 32 encoder, dense repeat, LSTM 32 decoder, dense 8)");

        final String id;
        final String description;

        Recipe(String id, String description) {
            this.id = id;
            this.description = description;
        }

        static Recipe parse(String s) {
            for (Recipe r : values()) if (r.id.equalsIgnoreCase(s.trim())) return r;
            throw new CommandLine.TypeConversionException("unknown model '" + s + "'; choose lstm, conv-ae or lstm-ae");
        }

        NetworkDetector detector() {
            return switch (this) {
                case LSTM -> SkabExperiment.lstmForecast(32, HORIZON, SkabExperiment.keras());
                case CONV_AE -> SkabExperiment.convAe(32, 16, 7, 0.2f, SkabExperiment.keras());
                case LSTM_AE -> SkabExperiment.lstmAe(32, SkabExperiment.keras());
            };
        }

        boolean forecaster() { return this == LSTM; }
    }

    /** Rows the forecaster predicts (a one-row forecast error is too noisy for the protocol's all-windows rule: F1 0). */
    static final int HORIZON = 5;

    static final class RecipeConverter implements CommandLine.ITypeConverter<Recipe> {
        @Override public Recipe convert(String value) { return Recipe.parse(value); }
    }

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "the SKAB data directory (valve1/, valve2/, other/); default ../shared/data/skab beside the checkout")
    Path dir;

    @Option(names = "--models", paramLabel = "M", split = ",", converter = RecipeConverter.class, defaultValue = "lstm,conv-ae",
            description = "models to run, comma-separated: lstm, conv-ae, lstm-ae (default ${DEFAULT-VALUE})")
    List<Recipe> models;

    @Option(names = "--board", paramLabel = "BOARD", defaultValue = "arduino-nano-33-ble-sense",
            description = "board whose arena the int8 models run in and whose latency is estimated (default ${DEFAULT-VALUE})")
    String boardId;

    @CommandLine.Mixin BoardsOption boards;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "file i trains with seed N + i (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2", description = "files trained at once, 1 or 2 (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--files", paramLabel = "N", description = "only the first N files (a quick look; the protocol's figure needs all 34)")
    Integer limitFiles;

    @Option(names = "--per-file", description = "also print each file's int8 figures")
    boolean perFile;

    @CommandLine.Mixin DebugOption debug;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** One model's outcome over the files. */
    record ModelResult(Recipe recipe, BinaryScore int8, BinaryScore float32, long modelBytes, long flashBytes, long arenaBytes,
                       double latencyMs, String stack, long weights, List<String> perFile, double seconds) {}

    /** One file's outcome for one model. */
    private record FileOutcome(BinaryScore int8, BinaryScore float32, FitReport fit, double latencyMs, String stack, String line) {}

    @Override public Integer call() throws IOException {
        if (threads < 1 || threads > 2) throw UserError.usage("--threads " + threads + " must be 1 or 2");
        if (limitFiles != null && limitFiles < 1) throw UserError.usage("--files " + limitFiles + " must be >= 1");
        Path data = dir != null ? dir : defaultDir();
        if (!Files.isDirectory(data.resolve("valve1"))) {
            throw UserError.usage(data + ": not a SKAB data directory (no valve1/ folder); give the directory holding valve1/, valve2/ and other/"
                    + (dir == null ? " (the default is ../shared/data/skab beside the checkout)" : ""));
        }
        Board board = DemoCommand.board(boards.file, boardId);
        List<SkabFile> files = SkabCsv.readAll(data);
        if (limitFiles != null && limitFiles < files.size()) files = files.subList(0, limitFiles);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "SKAB: %d files from %s; int8 models in the engine on %s%n", files.size(), data, board.name());
        o.flush();
        List<ModelResult> results = new ArrayList<>();
        for (Recipe r : models) {
            ModelResult m = run(r, files, board);
            results.add(m);
            o.printf(Locale.ROOT, "  %-8s int8 F1 %.3f FAR %.2f %% MAR %.2f %% | float F1 %.3f | %.0f s%n", r.id, m.int8().f1(),
                    m.int8().farPercent(), m.int8().marPercent(), m.float32().f1(), m.seconds());
            if (perFile) m.perFile().forEach(l -> o.println("    " + l));
            o.flush();
        }
        o.println();
        o.print(table(results, board, files.size()));
        String leaderboard = leaderboard(data);
        if (leaderboard != null) {
            o.println();
            o.println("Published leaderboard (float models, from " + data.resolve("README.md") + "):");
            o.print(leaderboard);
        }
        o.flush();
        return 0;
    }

    /** The results as a Markdown table. */
    static String table(List<ModelResult> results, Board board, int files) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "minnow on SKAB (%d files, test rows), int8 in the engine on %s:%n", files, board.name()));
        sb.append("| model | F1 int8 | FAR % | MAR % | F1 float | weights | model flash | total flash | arena | latency |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (ModelResult m : results) {
            sb.append(String.format(Locale.ROOT, "| %s | %.3f | %.2f | %.2f | %.3f | %,d | %,d B | %,d B | %,d B | %.1f ms (%s) |%n",
                    m.recipe().description, m.int8().f1(), m.int8().farPercent(), m.int8().marPercent(), m.float32().f1(), m.weights(),
                    m.modelBytes(), m.flashBytes(), m.arenaBytes(), m.latencyMs(), m.stack()));
        }
        return sb.toString();
    }

    /** Runs one model over all files, {@link #threads} files at a time. */
    private ModelResult run(Recipe recipe, List<SkabFile> files, Board board) {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "skab-" + recipe.id);
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<FileOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                SkabFile f = files.get(i);
                long s = seed + i;
                futures.add(pool.submit(() -> runFile(recipe, f, s, board)));
            }
            BinaryScore q = BinaryScore.EMPTY, fl = BinaryScore.EMPTY;
            long modelBytes = 0, flash = 0, arena = 0;
            double latency = 0;
            String stack = "";
            List<String> lines = new ArrayList<>();
            for (Future<FileOutcome> fu : futures) {
                FileOutcome r = fu.get();
                q = q.plus(r.int8());
                fl = fl.plus(r.float32());
                modelBytes = Math.max(modelBytes, r.fit().modelBytes());
                flash = Math.max(flash, r.fit().flashNeededBytes());
                arena = Math.max(arena, r.fit().arenaBytes());
                latency = Math.max(latency, r.latencyMs());
                stack = r.stack();
                lines.add(r.line());
            }
            long weights = dev.minnow.trainer.NetworkStats.of(recipe.detector().architecture(0)).weights();
            return new ModelResult(recipe, q, fl, modelBytes, flash, arena, latency, stack, weights, lines, (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof DoesNotFitException d) throw UserError.failed(recipe.id + ": " + d.getMessage());
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Trains, quantizes and scores one file (float scores from the trainer, int8 scores from the engine). */
    private FileOutcome runFile(Recipe recipe, SkabFile file, long fileSeed, Board board) {
        SkabProtocol protocol = SkabProtocol.published();
        int window = protocol.window();
        int trainRows = protocol.trainRows();
        if (file.rows() < trainRows + window) {
            throw UserError.usage(file.name() + " has " + file.rows() + " rows, fewer than " + trainRows + " training rows plus a window of " + window);
        }
        long t0 = System.nanoTime();
        float[][] z = Standardizer.fit(file.values(), 0, trainRows).apply(file.values());
        float[][] train = Windows.of(z, 0, trainRows, window);
        NetworkDetector nd = recipe.detector();
        nd.fit(train, fileSeed);
        double[] floatTrain = nd.scores(train);
        double[] floatAll = nd.scores(Windows.of(z, 0, z.length, window));

        int inputRows = recipe.forecaster() ? window - HORIZON : window;
        int features = z[0].length;
        float[][] representative = new float[train.length][];
        for (int i = 0; i < train.length; i++) representative[i] = java.util.Arrays.copyOf(train[i], inputRows * features);
        Converter.Result conv = Converter.fromNetwork(nd.trained().network()).dataset(representative)
                .inputType(DataType.INT8).outputType(DataType.INT8).convert();
        Model int8 = Model.load(conv.quantizedModel());

        // an autoencoder is scored by the firmware's reconstruction score; the multi-row forecaster by the same
        // runner (the detector's model in the board's arena) with the error over the rows it predicts
        List<String> names = new ArrayList<>(file.features());
        PipelineConfig cfg = new PipelineConfig(null, null, names, null, new PipelineConfig.Window(inputRows, 1),
                recipe.forecaster() ? new PipelineConfig.Score(PipelineConfig.ScoreKind.OUTPUT, null, null, 0, 0)
                        : new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MAE,
                        PipelineConfig.Span.WINDOW, null, null),
                null, board.id(), null, 1.0, null);
        double[] all = new double[z.length - window + 1];
        FitReport fit;
        double latency;
        String stack;
        try (DetectionPipeline p = DetectionPipeline.open(int8, cfg, board)) {
            fit = p.fit();
            latency = p.estimate().latencyMs();
            stack = p.estimate().stack();
            Detector d = p.detector();
            if (recipe.forecaster()) {
                ModelRunner runner = d.runner();
                float[] x = new float[inputRows * features];
                for (int k = 0; k < all.length; k++) {
                    for (int t = 0; t < inputRows; t++) System.arraycopy(z[k + t], 0, x, t * features, features);
                    runner.run(x);
                    float[] y = runner.output(0);
                    double sum = 0;
                    for (int t = 0; t < HORIZON; t++) {
                        for (int c = 0; c < features; c++) sum += Math.abs(z[k + inputRows + t][c] - y[t * features + c]);
                    }
                    all[k] = sum / HORIZON; // the notebook's residual: sum over features of the mean over the predicted rows
                }
            } else {
                DeviceState state = d.newState();
                int k = 0;
                // the firmware's mean absolute error x features = the notebook's residual (sum over features of the mean over time)
                for (float[] row : z) {
                    if (d.add(state, row)) all[k++] = d.score(state) * features;
                }
                if (k != all.length) throw new IllegalStateException(file.name() + ": " + k + " windows scored, expected " + all.length);
            }
        }
        double[] int8Train = java.util.Arrays.copyOf(all, train.length);
        double seconds = (System.nanoTime() - t0) / 1e9;
        SkabProtocol.FileResult q = protocol.judge(file, int8Train, all, seconds, nd.detail());
        SkabProtocol.FileResult f = protocol.judge(file, floatTrain, floatAll, seconds, nd.detail());
        String line = String.format(Locale.ROOT, "%-14s int8 %s | float F1 %.3f | %s, %.0f s", file.name(), q.test(), f.test().f1(),
                nd.detail(), seconds);
        return new FileOutcome(q.test(), f.test(), fit, latency, stack, line);
    }

    /** ../shared/data/skab beside the checkout the launcher runs from (or the working directory). */
    static Path defaultDir() {
        String home = System.getProperty("minnow.home");
        Path base = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        return base.resolve("..").resolve("shared").resolve("data").resolve("skab").normalize();
    }

    /** The leaderboard table of the data directory's README, null when it has none. */
    static String leaderboard(Path data) throws IOException {
        Path readme = data.resolve("README.md");
        if (!Files.isRegularFile(readme)) return null;
        List<String> lines = Files.readAllLines(readme);
        StringBuilder sb = new StringBuilder();
        boolean in = false;
        for (String l : lines) {
            if (l.startsWith("## ")) in = l.toLowerCase(Locale.ROOT).contains("leaderboard");
            else if (in && l.startsWith("|")) sb.append(l).append('\n');
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
