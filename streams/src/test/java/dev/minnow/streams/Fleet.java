package dev.minnow.streams;

import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.emulator.detect.DetectionLoop;
import dev.minnow.emulator.detect.DetectionPipeline;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.model.Model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A labelled fleet for tests: devices of two groups (a dense int8 autoencoder over 8 channels and an int8 LSTM
 * forecaster over 1 channel, both corpus detectors, thresholds calibrated on normal data), each with its own
 * sensor stream (sines and noise, an anomalous step in some), as CSV for the library's detection loop and as
 * telemetry records (single samples and batches, channels by position or by name) for the topology.
 */
final class Fleet {
    /** The group of the dense autoencoder (the topology's default group in tests). */
    static final String DENSE = "dense";
    /** The group of the LSTM forecaster (devices mapped to it through the device-groups table). */
    static final String LSTM = "lstm";

    /** One telemetry record: device and JSON value. */
    record Telemetry(String device, byte[] value) {}

    /** A device: its group and its stream as rows of (time text, raw value texts). */
    record Device(String id, String group, String[] times, String[][] values) {
        /** The stream as the detection loop's CSV. */
        String csv(List<String> channels) {
            StringBuilder s = new StringBuilder("t;").append(String.join(";", channels)).append('\n');
            for (int r = 0; r < times.length; r++) s.append(times[r]).append(';').append(String.join(";", values[r])).append('\n');
            return s.toString();
        }
    }

    static Path corpus() {
        String p = System.getProperty("minnow.conformance");
        Path dir = p != null ? Path.of(p) : Path.of("..", "shared", "conformance");
        assertTrue(Files.isDirectory(dir), "conformance corpus not found at " + dir.toAbsolutePath() + " (pass -Dminnow.conformance=DIR)");
        return dir;
    }

    static byte[] modelBytes(String detector) throws IOException {
        return Files.readAllBytes(corpus().resolve("detectors").resolve(detector).resolve("model.tflite"));
    }

    static List<String> channels(int n) {
        List<String> c = new ArrayList<>();
        for (int i = 0; i < n; i++) c.add("c" + i);
        return c;
    }

    static PipelineConfig denseConfig() {
        double[] mean = new double[8], std = new double[8];
        Arrays.fill(std, 0.7);
        return new PipelineConfig(null, new PipelineConfig.Csv(";", "t", null), channels(8),
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, mean, std), new PipelineConfig.Window(60, 10),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                null, "nucleo-l4r5zi", null, null, null);
    }

    static PipelineConfig lstmConfig() {
        return new PipelineConfig(null, new PipelineConfig.Csv(";", "t", null), channels(1),
                new PipelineConfig.Normalization(PipelineConfig.Method.MINMAX, new double[] {-1.5}, new double[] {1.5}, null, null),
                new PipelineConfig.Window(10, 1),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.FORECAST, PipelineConfig.ErrorMeasure.MAE, null, null, null),
                null, "nucleo-l4r5zi", null, null, null);
    }

    /** A device's stream: sines per channel, noise, and a +3 step over [from, to) (none when from < 0). */
    static Device device(String id, String group, int channels, int rows, int from, int to, long seed) {
        Random r = new Random(seed);
        String[] times = new String[rows];
        String[][] values = new String[rows][channels];
        double phase = r.nextDouble() * 6;
        for (int i = 0; i < rows; i++) {
            times[i] = String.format(Locale.ROOT, "%.2f", i * 0.01);
            for (int c = 0; c < channels; c++) {
                double v = Math.sin(phase + i * 0.05 * (c + 1)) + 0.05 * r.nextGaussian() + (i >= from && i < to ? 3 : 0);
                values[i][c] = String.format(Locale.ROOT, "%.5f", v);
            }
        }
        return new Device(id, group, times, values);
    }

    final Map<String, PipelineConfig> configs = new LinkedHashMap<>();
    final Map<String, byte[]> models = new LinkedHashMap<>();
    final List<Device> devices = new ArrayList<>();

    /** {@code dense} + {@code lstm} devices, calibrated thresholds (the 0.9 quantile of a normal stream's scores). */
    static Fleet create(int dense, int lstm, int rows, long seed) throws IOException {
        Fleet f = new Fleet();
        f.add(DENSE, "dense_ae_480_i8", denseConfig(), 8);
        f.add(LSTM, "lstm_forecaster_i8", lstmConfig(), 1);
        Random r = new Random(seed);
        for (int i = 0; i < dense + lstm; i++) {
            boolean isDense = i < dense;
            int n = rows + r.nextInt(rows / 2);
            int from = i % 3 == 0 ? -1 : n / 3 + r.nextInt(n / 3);
            f.devices.add(device((isDense ? "pump-" : "valve-") + i, isDense ? DENSE : LSTM, isDense ? 8 : 1, n, from, from + 40,
                    r.nextLong()));
        }
        return f;
    }

    private void add(String group, String detector, PipelineConfig cfg, int channels) throws IOException {
        byte[] bytes = modelBytes(detector);
        Device normal = device("normal", group, channels, 600, -1, -1, 99);
        Model model = Model.load(bytes);
        try (DetectionPipeline p = DetectionPipeline.open(model, cfg, BoardCatalog.builtin().get(cfg.board()))) {
            DetectionPipeline.CalibrationResult c = p.calibrate(stream(normal.csv(cfg.channels())), "normal.csv",
                    DetectionPipeline.CalibrationSpec.quantile(0.9, 1.0));
            configs.put(group, c.config());
        }
        models.put(group, bytes);
    }

    DetectorSpec spec(String group) { return new DetectorSpec(configs.get(group), models.get(group)); }

    private static ByteArrayInputStream stream(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)); }

    /**
     * The library's answer: every window of each device's stream through {@link DetectionLoop} (the detection loop)
     * with the group's detector, as the topology's {@link WindowScore}s; events are those with {@code alarm}.
     */
    Map<String, List<WindowScore>> libraryWindows() throws IOException {
        Map<String, List<WindowScore>> out = new LinkedHashMap<>();
        for (Device d : devices) {
            PipelineConfig cfg = configs.get(d.group());
            Model model = Model.load(models.get(d.group()));
            List<WindowScore> ws = new ArrayList<>();
            try (DetectionPipeline p = DetectionPipeline.open(model, cfg, BoardCatalog.builtin().get(cfg.board()))) {
                DetectionLoop.run(p.detector(), stream(d.csv(cfg.channels())), d.id() + ".csv",
                        (row, line, timeText, seconds, window, score, alarm) -> ws.add(new WindowScore(d.id(), row,
                                timeText == null ? null : timeText.toString(), window, score, cfg.threshold(), alarm)));
            }
            out.put(d.id(), ws);
        }
        return out;
    }

    /** The library's events (DetectionPipeline.detect) per device, as WindowScores. */
    Map<String, List<WindowScore>> libraryEvents() throws IOException {
        Map<String, List<WindowScore>> out = new LinkedHashMap<>();
        for (Device d : devices) {
            PipelineConfig cfg = configs.get(d.group());
            List<WindowScore> ev = new ArrayList<>();
            try (DetectionPipeline p = DetectionPipeline.open(Model.load(models.get(d.group())), cfg, BoardCatalog.builtin().get(cfg.board()))) {
                p.detect(stream(d.csv(cfg.channels())), d.id() + ".csv",
                        e -> ev.add(new WindowScore(d.id(), e.row(), e.time(), e.window(), e.score(), e.threshold(), true)), false);
            }
            out.put(d.id(), ev);
        }
        return out;
    }

    /**
     * The fleet's telemetry, devices interleaved at random (each device's order kept): records of 1 to 12 samples,
     * as a single sample or a batch, values as an array or by channel name.
     */
    List<Telemetry> telemetry(long seed) {
        Random r = new Random(seed);
        List<List<Telemetry>> per = new ArrayList<>();
        for (Device d : devices) {
            List<String> ch = configs.get(d.group()).channels();
            List<Telemetry> recs = new ArrayList<>();
            int i = 0;
            while (i < d.times().length) {
                int n = Math.min(d.times().length - i, 1 + r.nextInt(12));
                boolean byName = r.nextInt(4) == 0;
                StringBuilder s = new StringBuilder();
                if (n == 1 && r.nextBoolean()) {
                    sample(s, d, i, ch, byName);
                } else {
                    s.append("{\"samples\":[");
                    for (int k = 0; k < n; k++) {
                        if (k > 0) s.append(',');
                        sample(s, d, i + k, ch, byName);
                    }
                    s.append("]}");
                }
                recs.add(new Telemetry(d.id(), s.toString().getBytes(StandardCharsets.UTF_8)));
                i += n;
            }
            per.add(recs);
        }
        List<Telemetry> out = new ArrayList<>();
        int[] next = new int[per.size()];
        int left = per.size();
        while (left > 0) {
            int k = r.nextInt(per.size());
            if (next[k] == per.get(k).size()) continue;
            out.add(per.get(k).get(next[k]++));
            if (next[k] == per.get(k).size()) left--;
        }
        return out;
    }

    private static void sample(StringBuilder s, Device d, int row, List<String> ch, boolean byName) {
        // time as a JSON string (the CSV's text); values as the CSV's number texts
        s.append("{\"time\":\"").append(d.times()[row]).append("\",\"values\":");
        s.append(byName ? '{' : '[');
        for (int c = 0; c < ch.size(); c++) {
            if (c > 0) s.append(',');
            if (byName) s.append('"').append(ch.get(c)).append("\":");
            s.append(d.values()[row][c]);
        }
        s.append(byName ? '}' : ']').append('}');
    }
}
