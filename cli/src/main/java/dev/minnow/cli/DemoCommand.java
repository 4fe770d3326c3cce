package dev.minnow.cli;

import dev.minnow.MinnowException;
import dev.minnow.emulator.analysis.DoesNotFitException;
import dev.minnow.emulator.analysis.FitReport;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.detect.DetectionLoop;
import dev.minnow.emulator.detect.DetectionPipeline;
import dev.minnow.emulator.detect.Evaluation;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.emulator.detect.Preprocessor;
import dev.minnow.emulator.export.FirmwareExporter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.trainer.NetworkBuilder;
import dev.minnow.trainer.Progress;
import dev.minnow.trainer.Trainer;
import dev.minnow.trainer.TrainingConfig;
import dev.minnow.trainer.TrainingResult;
import dev.minnow.trainer.synthetic.SensorStream;
import dev.minnow.trainer.synthetic.SensorStreamGenerator;
import dev.minnow.writer.NetworkWriter;
import dev.minnow.writer.convert.Converter;
import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Padding;
import dev.minnow.writer.quant.AgreementReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code minnow demo}: the whole TinyML anomaly-detector pipeline on the JVM from a seed — a synthetic labelled
 * sensor stream, normalisation, windows, training, float evaluation, int8 quantization, the model, pipeline config,
 * C array and sketch, the fit on a board and the firmware's detection loop in the engine — with the metrics of the
 * float and the int8 model side by side.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train, quantize, deploy and detect in one command, needing nothing beside the clone: generates a "
                + "labelled sensor stream (vibration, temperature, current at 10 Hz with spikes, drift, a vibration frequency "
                + "shift and a stuck sensor after a clean part), normalises it (min-max on the clean part), cuts windows, "
                + "trains the network on the clean part, quantizes it to int8, writes model.tflite, pipeline.json, the C "
                + "array and an Arduino sketch, checks the fit on the board and runs the firmware's detection loop in the "
                + "engine, float32 and int8, against the labels.",
                "Exit 0 when the pipeline ran (whatever the metrics), 1 when the model does not fit the board, 2 for bad flags."})
final class DemoCommand implements Callable<Integer> {
    /** The network families the demo trains. */
    enum Arch {
        /** The classic forecaster: LSTM returning sequences, dropout, LSTM, dropout, dense; predicts the next row. */
        LSTM("lstm"),
        /** A dense autoencoder over the flattened window. */
        DENSE_AE("dense-ae"),
        /** A 1-D convolutional autoencoder (strided Conv1D down to a narrow code of units / 8 filters, Conv1DTranspose up). */
        CONV_AE("conv-ae");

        final String id;

        Arch(String id) { this.id = id; }

        static Arch parse(String s) {
            for (Arch a : values()) if (a.id.equalsIgnoreCase(s)) return a;
            throw new CommandLine.TypeConversionException("unknown architecture '" + s + "'; choose lstm, dense-ae or conv-ae");
        }

        /** Rows the model reads per inference. */
        int window() { return this == LSTM ? 10 : 32; }

        /** The untrained network for {@code channels} channels. */
        FloatNetwork build(int channels, int units, long seed) {
            int t = window();
            return switch (this) {
                case LSTM -> NetworkBuilder.input(t, channels).lstm(units, true).dropout(0.2f).lstm(units, false).dropout(0.2f)
                        .dense(channels, Activation.LINEAR).build("lstm-forecaster", seed);
                case DENSE_AE -> NetworkBuilder.input(t, channels).flatten().dense(units, Activation.RELU)
                        .dense(Math.max(2, units / 4), Activation.RELU).dense(units, Activation.RELU)
                        .dense(t * channels, Activation.LINEAR).reshape(t, channels).build("dense-autoencoder", seed);
                case CONV_AE -> NetworkBuilder.input(t, channels)
                        .conv1d(units, 5, 2, 1, Padding.SAME, Activation.RELU)
                        .conv1d(Math.max(2, units / 8), 5, 2, 1, Padding.SAME, Activation.RELU)
                        .conv1dTranspose(Math.max(2, units / 2), 5, 2, Padding.SAME, Activation.RELU)
                        .conv1dTranspose(units, 5, 2, Padding.SAME, Activation.RELU)
                        .conv1dTranspose(channels, 5, 1, Padding.SAME, Activation.LINEAR).build("conv-autoencoder", seed);
            };
        }

        /** How the detector scores a window. */
        PipelineConfig.Score score() {
            return new PipelineConfig.Score(this == LSTM ? PipelineConfig.ScoreKind.FORECAST : PipelineConfig.ScoreKind.RECONSTRUCTION,
                    PipelineConfig.ErrorMeasure.MSE, PipelineConfig.Span.WINDOW, null, null);
        }

        /** Default width: LSTM units, or the first layer's units or filters. */
        int defaultUnits() {
            return switch (this) {
                case LSTM -> 50;
                case DENSE_AE -> 64;
                case CONV_AE -> 32;
            };
        }
    }

    static final class ArchConverter implements CommandLine.ITypeConverter<Arch> {
        @Override public Arch convert(String value) { return Arch.parse(value); }
    }

    @Option(names = "--arch", paramLabel = "ARCH", defaultValue = "dense-ae", converter = ArchConverter.class,
            description = "dense-ae (the default) or conv-ae (autoencoders of a 32-row window), or lstm (forecaster of the "
                    + "next row from 10: LSTM, dropout, LSTM, dropout, dense)")
    Arch arch;

    @Option(names = "--board", paramLabel = "BOARD", defaultValue = "arduino-nano-33-ble-sense",
            description = "board id or name the detector is deployed on (default ${DEFAULT-VALUE})")
    String boardId;

    @CommandLine.Mixin BoardsOption boards;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "seed of the stream, the weights and the training (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "minnow-demo", description = "output directory (default ./${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "6000", description = "rows of the stream, 10 per second (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--anomalies", paramLabel = "K", defaultValue = "2",
            description = "anomalies of each of the four kinds; each needs 400 rows after the clean 40%% (default ${DEFAULT-VALUE})")
    int anomaliesPerKind;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "40", description = "most training epochs; early stopping after 5 without improvement (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--units", paramLabel = "N", description = "network width: LSTM units, or first layer units/filters (default 50 lstm, 64 dense-ae, 32 conv-ae)")
    Integer units;

    @Option(names = "--quantile", paramLabel = "Q", defaultValue = "0.995",
            description = "threshold = this quantile of the clean part's scores x --factor (default ${DEFAULT-VALUE})")
    double quantile;

    @Option(names = "--factor", paramLabel = "F", defaultValue = "1.5", description = "factor on the quantile (default ${DEFAULT-VALUE})")
    double factor;

    @Option(names = "--quiet", description = "no training progress bar (there is none when output is piped)")
    boolean quiet;

    @CommandLine.Mixin DebugOption debug;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Fraction of the stream kept clean for training and calibration. */
    static final double CLEAN_FRACTION = 0.4;
    /** Seconds between rows. */
    static final double PERIOD_S = 0.1;
    /** Name of the sketch the export writes. */
    static final String SKETCH = "detector";

    @Override public Integer call() throws IOException {
        run(spec.commandLine().getOut());
        return 0;
    }

    /**
     * What a demo run produced.
     *
     * @param float32   the float model's run on the board
     * @param int8      the int8 model's run on the board
     * @param agreement the quantizer's float-vs-int8 report over every window of the stream
     * @param firmware  the exported firmware files
     * @param seconds   wall time of the whole pipeline
     */
    record Outcome(Run float32, Run int8, AgreementReport agreement, FirmwareExporter.Result firmware, double seconds) {}

    /** Runs the pipeline with this command's options, printing its progress and results to {@code o}. */
    Outcome run(PrintWriter o) throws IOException {
        long t0 = System.nanoTime();
        int width = units != null ? units : arch.defaultUnits();
        if (width < 1 || width > 512) throw UserError.usage("--units " + width + " must be in 1..512");
        if (epochs < 1 || epochs > 10_000) throw UserError.usage("--epochs " + epochs + " must be in 1..10000");
        if (!(quantile > 0 && quantile <= 1)) throw UserError.usage("--quantile " + quantile + " must be in (0, 1]");
        if (!(factor > 0) || !Double.isFinite(factor)) throw UserError.usage("--factor " + factor + " must be a positive number");
        Board board = board(boards.file, boardId);
        SensorStreamGenerator gen;
        try {
            gen = new SensorStreamGenerator(rows, PERIOD_S, CLEAN_FRACTION, anomaliesPerKind);
        } catch (IllegalArgumentException e) {
            throw UserError.usage("--rows " + rows + " --anomalies " + anomaliesPerKind + ": " + e.getMessage());
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw UserError.usage(out + ": cannot create the output directory: " + e);
        }

        // 1. the stream, as CSV files the detection loop reads like the device's log
        SensorStream generated = gen.generate(seed);
        Path streamCsv = out.resolve("stream.csv");
        writeCsv(generated, streamCsv);
        SensorStream stream;
        try (BufferedReader r = Files.newBufferedReader(streamCsv)) {
            stream = SensorStream.readCsv(r); // the values as the CSV holds them, which is what the device reads
        }
        int clean = (int) (rows * CLEAN_FRACTION);
        Path trainCsv = out.resolve("train.csv");
        writeCsv(new SensorStream(stream.channels(), stream.periodSeconds(), Arrays.copyOf(stream.values(), clean),
                Arrays.copyOf(stream.labels(), clean), List.of()), trainCsv);
        o.printf(Locale.ROOT, "stream: %,d rows of %s at %.0f Hz, %,d labelled anomalous (%d events); rows 1-%,d clean for training (%s)%n",
                stream.rows(), String.join(", ", stream.channels()), 1 / PERIOD_S, stream.anomalousRows(), generated.events().size(),
                clean, streamCsv);

        // 2. normalisation constants from the clean part: min-max to 0..1, applied exactly as the firmware does
        int channels = stream.channels().size();
        double[] min = new double[channels], max = new double[channels];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < clean; i++) {
            for (int c = 0; c < channels; c++) {
                min[c] = Math.min(min[c], stream.values()[i][c]);
                max[c] = Math.max(max[c], stream.values()[i][c]);
            }
        }
        PipelineConfig.Window window = new PipelineConfig.Window(arch.window(), 1);
        PipelineConfig base = new PipelineConfig("model.tflite", new PipelineConfig.Csv(",", "time", "label"), stream.channels(),
                new PipelineConfig.Normalization(PipelineConfig.Method.MINMAX, min, max, null, null), window, arch.score(), null,
                board.id(), null, 1 / PERIOD_S, null);
        int[] columns = new int[channels];
        for (int c = 0; c < channels; c++) columns[c] = c + 1;
        Preprocessor pre = new Preprocessor(base, columns);
        float[][] z = new float[stream.rows()][channels];
        for (int i = 0; i < z.length; i++) {
            for (int c = 0; c < channels; c++) z[i][c] = pre.normalise(c, stream.values()[i][c]);
        }

        // 3. windows: an autoencoder reconstructs its window, the forecaster predicts the row after it
        boolean forecast = arch == Arch.LSTM;
        int len = arch.window();
        int span = forecast ? len + 1 : len;
        float[][] trainX = windows(z, 0, clean, len, span);
        float[][] trainY = forecast ? nextRows(z, 0, clean, len) : trainX;
        float[][] allX = windows(z, 0, z.length, len, span);

        // 4. training
        FloatNetwork untrained = arch.build(channels, width, seed);
        o.printf(Locale.ROOT, "training %s (%s, %,d weights) on %,d windows of %d rows, up to %d epochs%n", arch.id,
                describe(untrained), dev.minnow.trainer.NetworkStats.of(untrained).weights(), trainX.length, len, epochs);
        o.flush();
        PrintStream progressOut = System.err;
        TrainingConfig tc = TrainingConfig.defaults().withEpochs(epochs).withSeed(seed).withEarlyStopping(5, true)
                .withProgress(quiet || System.console() == null ? Progress.quiet() : Progress.bar(progressOut)); // quiet when piped
        TrainingResult trained = new Trainer(tc).fit(untrained, trainX, trainY);
        FloatNetwork net = trained.network();
        o.printf(Locale.ROOT, "trained: %d epochs in %.1f s, best epoch %d (validation loss %.5f)%n", trained.history().size(),
                trained.seconds(), trained.bestEpoch(), trained.best().validationLoss());

        // 5. float32 and int8 models; the agreement is measured over every window of the stream
        float[][] representative = trainX.length <= 2000 ? trainX : Arrays.copyOf(trainX, 2000);
        Converter.Result conv = Converter.fromNetwork(net).dataset(representative).evaluationDataset(allX)
                .inputType(DataType.INT8).outputType(DataType.INT8).convert();
        byte[] floatBytes = conv.floatModel();
        byte[] int8Bytes = conv.quantizedModel();
        Path floatFile = out.resolve("model_float.tflite");
        Path int8File = out.resolve("model.tflite");
        Files.write(floatFile, floatBytes);
        Files.write(int8File, int8Bytes);
        Model floatModel = Model.load(floatBytes);
        Model int8Model = Model.load(int8Bytes);
        AgreementReport agreement = conv.report();

        // 6. fit, calibration on the clean part and the detection loop over the whole stream: the int8 model on the
        // board, the float32 reference on the same core without the board's memory limits (it is not what is deployed)
        Run f32, i8;
        try {
            i8 = detect(int8Model, base, board, trainCsv, streamCsv, out.resolve("scores.svg"));
        } catch (DoesNotFitException e) {
            throw UserError.failed(e.getMessage());
        }
        Board unlimited = new Board(board.id(), board.name(), board.mcu(), board.core(), board.accelerator(), board.clockMhz(), null, null,
                board.fpu(), board.sramReserveBytes(), board.flashReserveBytes(), board.stacks(), board.resultsName(), board.notes());
        f32 = detect(floatModel, base, unlimited, trainCsv, streamCsv, null);
        PipelineConfig cfg = i8.config;
        Path cfgFile = out.resolve("pipeline.json");
        cfg.write(cfgFile);

        // 7. firmware: C array, detector constants and the Arduino sketch
        FirmwareExporter.Result fw = FirmwareExporter.export(int8Model, int8Bytes, board, i8.fit, cfg, SKETCH, out.resolve("firmware"));

        // 8. report
        double maxDiff = 0, worstRatio = 0;
        double e = agreement.outputs().get(0).maxAbsError();
        for (int w = 0; w < f32.scores.length; w++) {
            double d = Math.abs(f32.scores[w] - i8.scores[w]);
            maxDiff = Math.max(maxDiff, d);
            worstRatio = Math.max(worstRatio, d / scoreBound(f32.scores[w], e));
        }
        FitReport fit = i8.fit;
        o.println();
        o.printf(Locale.ROOT, "model: float32 %,d B, int8 %,d B; int8 on %s: flash %,d of %,d B, arena %,d B (SRAM %,d of %,d B), "
                        + "inference ~%.3f ms (%s)%n",
                floatBytes.length, int8Bytes.length, board.name(), fit.flashNeededBytes(), fit.flashBytes() == null ? 0 : fit.flashBytes(),
                fit.arenaBytes(), fit.sramNeededBytes(), fit.sramBytes() == null ? 0 : fit.sramBytes(), i8.latencyMs, i8.stack);
        o.printf(Locale.ROOT, "quantization: max |output error| %.5f (%.2f steps of %.5f); window scores float vs int8 differ by at most %.3g, "
                        + "%.0f%% of the bound that error allows%n",
                e, agreement.outputs().get(0).maxErrorInSteps(), agreement.outputs().get(0).outputScale(), maxDiff, 100 * worstRatio);
        o.printf(Locale.ROOT, "detection over %,d windows (threshold: %.4g quantile of the clean part's scores x %.3g):%n",
                i8.eval.windows(), quantile, factor);
        o.println("  model    threshold  precision  recall     F1    false alarms  missed alarms  ROC AUC  intervals");
        for (Run r : List.of(f32, i8)) {
            Evaluation v = r.eval;
            o.printf(Locale.ROOT, "  %-7s  %9.3g  %9s  %6s  %6s  %12s  %13s  %7s  %d of %d%n", r == f32 ? "float32" : "int8", r.config.threshold(),
                    fmt(v.precision()), fmt(v.recall()), fmt(v.f1()), pct(v.falseAlarmRate()), pct(v.missedAlarmRate()), fmt(v.rocAuc()),
                    v.detectedIntervals(), v.intervals());
        }
        o.println();
        o.println("artifacts in " + out.toAbsolutePath().normalize() + ":");
        o.println("  " + int8File.getFileName() + "        the int8 model (" + floatFile.getFileName() + ": its float32 original)");
        o.println("  " + cfgFile.getFileName() + "       the pipeline config (channels, min-max constants, window, score, calibrated threshold, board)");
        o.println("  scores.svg          the int8 detector's score over time, the threshold and the labelled anomalies");
        o.println("  firmware/           " + fw.files().stream().map(p -> p.getFileName().toString()).reduce((a, b) -> a + ", " + b).orElse(""));
        o.println("  stream.csv, train.csv  the generated stream and its clean part");
        double seconds = (System.nanoTime() - t0) / 1e9;
        o.printf(Locale.ROOT, "done in %.1f s%n", seconds);
        o.flush();
        return new Outcome(f32, i8, agreement, fw, seconds);
    }

    /**
     * The largest |int8 score - float score| an output error of at most {@code e} per value allows for an MSE score
     * whose float value is {@code floatScore}: with d the output change and r the float residual,
     * mean((r+d)^2 - r^2) = mean(d (2r + d)) is at most e (2 mean|r| + e), and mean|r| <= sqrt(mean r^2).
     */
    static double scoreBound(double floatScore, double e) {
        return e * (2 * Math.sqrt(floatScore) + e) * (1 + 1e-4) + 1e-6;
    }

    /**
     * What one model did on the board.
     *
     * @param config    the pipeline config with the threshold calibrated for this model
     * @param fit       flash and SRAM on the board
     * @param latencyMs the cost model's inference estimate on the board
     * @param stack     the stack of that estimate
     * @param eval      the detection loop's metrics against the labels
     * @param scores    every window's score, in stream order
     */
    record Run(PipelineConfig config, FitReport fit, double latencyMs, String stack, Evaluation eval, double[] scores) {}

    /** Calibrates the threshold on the clean part, then runs the detection loop over the stream and keeps every score. */
    private Run detect(Model model, PipelineConfig cfg, Board board, Path trainCsv, Path streamCsv, Path svg) throws IOException {
        PipelineConfig calibrated;
        try (DetectionPipeline p = DetectionPipeline.open(model, cfg, board); InputStream in = Files.newInputStream(trainCsv)) {
            calibrated = p.calibrate(in, trainCsv.getFileName().toString(), DetectionPipeline.CalibrationSpec.quantile(quantile, factor)).config();
        }
        try (DetectionPipeline p = DetectionPipeline.open(model, calibrated, board)) {
            DetectionPipeline.Result r;
            try (InputStream in = Files.newInputStream(streamCsv)) {
                r = p.detect(in, streamCsv.getFileName().toString(), ev -> { }, svg != null);
            }
            if (svg != null) Files.writeString(svg, r.svg(), StandardCharsets.UTF_8);
            List<Double> scores = new ArrayList<>();
            try (InputStream in = Files.newInputStream(streamCsv)) {
                DetectionLoop.run(p.detector(), in, streamCsv.getFileName().toString(),
                        (row, line, timeText, seconds, w, score, alarm) -> scores.add(score));
            }
            return new Run(calibrated, p.fit(), p.estimate().latencyMs(), p.estimate().stack(), r.summary().evaluation(),
                    scores.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** The board {@code id} from the built-in catalog plus {@code extra} (may be null); exit 2 naming the known ids. */
    static Board board(Path extra, String id) throws IOException {
        try {
            return BoardsOption.catalog(extra).get(id);
        } catch (MinnowException e) {
            throw UserError.usage(e.getMessage());
        }
    }

    private static void writeCsv(SensorStream s, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            s.writeCsv(w);
        }
    }

    /** Windows of {@code len} rows (flattened) starting at every row r in [from, to - span]. */
    static float[][] windows(float[][] z, int from, int to, int len, int span) {
        int n = Math.max(0, to - from - span + 1);
        int ch = z[0].length;
        float[][] w = new float[n][len * ch];
        for (int k = 0; k < n; k++) {
            for (int t = 0; t < len; t++) System.arraycopy(z[from + k + t], 0, w[k], t * ch, ch);
        }
        return w;
    }

    /** The row after each window of {@link #windows} with span len + 1. */
    static float[][] nextRows(float[][] z, int from, int to, int len) {
        int n = Math.max(0, to - from - len);
        float[][] y = new float[n][];
        for (int k = 0; k < n; k++) y[k] = z[from + k + len].clone();
        return y;
    }

    private static String describe(FloatNetwork net) {
        StringBuilder sb = new StringBuilder();
        for (var l : net.layers()) sb.append(sb.length() == 0 ? "" : " > ").append(l.getClass().getSimpleName());
        return sb.toString();
    }

    private static String fmt(Double v) { return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v); }

    private static String pct(Double v) { return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v); }
}
