package dev.minnow.emulator.detect;

import dev.minnow.emulator.Corpus;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.InputFormatException;
import dev.minnow.emulator.Json;
import dev.minnow.emulator.analysis.DoesNotFitException;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.emulator.board.CoreFamily;
import dev.minnow.emulator.board.Fpu;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The detector end to end: a corpus detector, calibrate on normal data, detect on labelled data. */
class DetectionPipelineTest {
    private static final BoardCatalog BOARDS = BoardCatalog.builtin();

    private static InputStream text(String s) { return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)); }

    /**
     * 8 channels of sines at 100 Hz; rows in [anomalyFrom, anomalyTo) carry a step of +4 on every channel and label 1.
     */
    static String sensorCsv(int rows, int anomalyFrom, int anomalyTo, long seed) {
        Random r = new Random(seed);
        StringBuilder s = new StringBuilder("t;c0;c1;c2;c3;c4;c5;c6;c7;anomaly\n");
        for (int i = 0; i < rows; i++) {
            boolean anomalous = i >= anomalyFrom && i < anomalyTo;
            s.append(String.format(Locale.ROOT, "%.2f", i * 0.01));
            for (int c = 0; c < 8; c++) {
                double v = Math.sin(i * 0.05 * (c + 1)) + 0.05 * r.nextGaussian() + (anomalous ? 4 : 0);
                s.append(';').append(String.format(Locale.ROOT, "%.5f", v));
            }
            s.append(';').append(anomalous ? "1.0" : "0.0").append('\n');
        }
        return s.toString();
    }

    static PipelineConfig denseConfig(Double threshold) {
        List<String> ch = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");
        double[] mean = new double[8], std = new double[8];
        java.util.Arrays.fill(std, 0.7);
        return new PipelineConfig("model.tflite", new PipelineConfig.Csv(null, "t", "anomaly"), ch,
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, mean, std), new PipelineConfig.Window(60, 10),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                threshold, "nucleo-l4r5zi", null, null, null);
    }

    @Test
    void calibrateThenDetectOnACorpusDetector(@TempDir Path dir) throws IOException {
        Model model = EngineAccess.load(Corpus.model("detectors/dense_ae_480_i8"));
        Path cfgFile = dir.resolve("pipeline.json");
        denseConfig(null).write(cfgFile);
        PipelineConfig cfg = PipelineConfig.load(cfgFile);
        Board board = BOARDS.get(cfg.board());

        DetectionPipeline.CalibrationResult cal;
        try (DetectionPipeline p = DetectionPipeline.open(model, cfg, board)) {
            cal = p.calibrate(text(sensorCsv(3000, -1, -1, 1)), "normal.csv", DetectionPipeline.CalibrationSpec.quantile(0.99, 1.2));
            EmulatorException noThreshold = assertThrows(EmulatorException.class,
                    () -> p.detect(text(sensorCsv(100, -1, -1, 2)), "x.csv", e -> {}, false));
            assertTrue(noThreshold.getMessage().contains("no threshold"), noThreshold.getMessage());
        }
        assertEquals((3000 - 60) / 10 + 1, cal.windows());
        assertTrue(cal.exact());
        assertEquals(cal.quantileValue() * 1.2, cal.threshold(), 1e-12);
        cal.config().write(cfgFile);
        PipelineConfig calibrated = PipelineConfig.load(cfgFile);
        assertEquals(cal.threshold(), calibrated.threshold());
        assertEquals("quantile", calibrated.calibration().method());

        List<DetectionEvent> events = new ArrayList<>();
        DetectionPipeline.Result result;
        try (DetectionPipeline p = DetectionPipeline.open(model, calibrated, board)) {
            result = p.detect(text(sensorCsv(4000, 2000, 2300, 3)), "labelled.csv", events::add, true);
        }
        DetectionPipeline.Summary s = result.summary();
        assertEquals(4000, s.rows());
        assertEquals((4000 - 60) / 10 + 1, s.windows());
        assertEquals(events.size(), s.anomalies());
        assertEquals(calibrated.threshold(), s.threshold());
        for (DetectionEvent e : events) {
            assertTrue(e.score() > e.threshold());
            assertEquals(calibrated.threshold(), e.threshold());
            assertEquals(String.format(Locale.ROOT, "%.2f", (e.row() - 1) * 0.01), e.time());
            assertEquals(e.row() + 1, e.line());
            assertTrue(e.toJsonLine().startsWith("{\"row\":") && !e.toJsonLine().contains("\n"));
        }
        Evaluation ev = s.evaluation();
        assertNotNull(ev);
        // windows end every 10 rows from row 60: those ending in rows 2001..2300 are labelled (the label of row 2001 is row
        // index 2000)
        assertEquals(30, ev.positives());
        assertEquals(ev.truePositives() + ev.falsePositives(), s.anomalies());
        assertTrue(ev.recall() > 0.5, "a +4 step on every channel stands far above normal reconstruction error: " + ev.toText());
        assertTrue(ev.rocAuc() > 0.9, ev.toText());
        assertEquals(1, ev.intervals());
        assertEquals("s", ev.delayUnit());
        // real time: 100 Hz from the time column, a window every 10 rows = 100 ms
        assertNotNull(s.realTime());
        assertEquals("time column", s.realTime().rateSource());
        assertEquals(100.0, s.realTime().sampleRateHz(), 1e-9);
        assertEquals(100.0, s.realTime().hopPeriodMs(), 1e-9);
        assertTrue(s.realTime().fits(), s.realTime().toText());
        assertTrue(s.toText().contains("real time: fits"), s.toText());
        assertTrue(result.svg().startsWith("<svg") && result.svg().contains("class=\"anomaly\"") && result.svg().contains("class=\"threshold\""));
        assertTrue(Json.pretty(s).contains("\"evaluation\""));
    }

    /** The hand-checked example of {@link EvaluationTest}, through CSV, model and threshold. */
    @Test
    void handCheckedMetricsEndToEnd() throws IOException {
        StringBuilder csv = new StringBuilder("time,value,label\n");
        for (int i = 0; i < 10; i++) {
            csv.append(100 + 0.5 * (i + 1)).append(',').append(EvaluationTest.SCORES[i]).append(',').append(EvaluationTest.LABELS[i]).append('\n');
        }
        // the model echoes its one input; the score is that output: score = the CSV value
        PipelineConfig cfg = new PipelineConfig(null, new PipelineConfig.Csv(",", "time", "label"), List.of("value"), null,
                new PipelineConfig.Window(1, 1), new PipelineConfig.Score(PipelineConfig.ScoreKind.OUTPUT, null, null, 0, 0), 0.5,
                null, null, null, null);
        List<DetectionEvent> events = new ArrayList<>();
        try (DetectionPipeline p = DetectionPipeline.open(TestModels.scaledIdentity(1, 1f), cfg, BOARDS.get("nucleo-l4r5zi"))) {
            DetectionPipeline.Result r = p.detect(text(csv.toString()), "hand.csv", events::add, false);
            EvaluationTest.checkHandExample(r.summary().evaluation(), 0.5, "s");
            assertNull(r.svg());
            assertEquals(2.0, r.summary().realTime().sampleRateHz(), 1e-9);
        }
        assertEquals(List.of(3L, 5L, 6L, 10L), events.stream().map(DetectionEvent::row).toList());
        assertEquals("101.5", events.get(0).time());
        assertEquals(0.9, events.get(0).score(), 1e-6);
    }

    @Test
    void forecasterAndSigmaCalibration() throws IOException {
        Model model = EngineAccess.load(Corpus.model("detectors/lstm_forecaster_i8"));
        PipelineConfig cfg = new PipelineConfig(null, new PipelineConfig.Csv(null, null, null), List.of("c0"),
                new PipelineConfig.Normalization(PipelineConfig.Method.MINMAX, new double[] {-1.5}, new double[] {1.5}, null, null),
                new PipelineConfig.Window(10, 1), new PipelineConfig.Score(PipelineConfig.ScoreKind.FORECAST, PipelineConfig.ErrorMeasure.MAE,
                null, null, null), null, null, null, null, null);
        String csv = sensorCsv(300, -1, -1, 5);
        try (DetectionPipeline p = DetectionPipeline.open(model, cfg, BOARDS.get("arduino-nano-33-ble-sense"))) {
            DetectionPipeline.CalibrationResult c = p.calibrate(text(csv), "n.csv", DetectionPipeline.CalibrationSpec.sigma(3));
            assertEquals(300 - 11 + 1, c.windows(), "a forecaster's window spans 11 rows");
            assertEquals(c.mean() + 3 * c.std(), c.threshold(), 1e-12);
            try (DetectionPipeline q = DetectionPipeline.open(model, c.config(), BOARDS.get("arduino-nano-33-ble-sense"))) {
                DetectionPipeline.Result r = q.detect(text(csv), "n.csv", e -> {}, false);
                assertNull(r.summary().realTime(), "no time column and no sampleRateHz");
                assertTrue(r.summary().realTimeNote().contains("no sampleRateHz"));
                assertNull(r.summary().evaluation());
                assertTrue(r.summary().anomalies() < r.summary().windows() / 10);
            }
        }
    }

    @Test
    void badInputIsNamed() throws IOException {
        Model model = EngineAccess.load(Corpus.model("detectors/dense_ae_480_i8"));
        try (DetectionPipeline p = DetectionPipeline.open(model, denseConfig(1.0), BOARDS.get("nucleo-l4r5zi"))) {
            String good = sensorCsv(70, -1, -1, 1);
            String broken = good.replaceFirst("\n(0\\.05;)[^;]*;", "\n$1oops;");
            InputFormatException e = assertThrows(InputFormatException.class, () -> p.detect(text(broken), "b.csv", x -> {}, false));
            assertEquals(7, e.line());
            assertEquals(6, e.column());
            assertTrue(e.getMessage().startsWith("b.csv:7:6: column 'c0' 'oops' is not a number"), e.getMessage());
            e = assertThrows(InputFormatException.class, () -> p.detect(text("t;c0\n0;1\n"), "h.csv", x -> {}, false));
            assertTrue(e.getMessage().contains("no column 'c1'"), e.getMessage());
            e = assertThrows(InputFormatException.class, () -> p.detect(text(good.replace(";0.0\n", ";2\n")), "l.csv", x -> {}, false));
            assertTrue(e.getMessage().contains("labels must be 0 or 1"), e.getMessage());
            e = assertThrows(InputFormatException.class, () -> p.detect(text(good.replaceFirst("\n0\\.00;", "\nnoon;")), "t.csv", x -> {}, false));
            assertTrue(e.getMessage().contains("neither seconds nor an ISO-8601 date-time"), e.getMessage());
        }
        // a board too small for the arena fails as flashing would, with the numbers
        Board tiny = new Board("tiny", "Tiny", "X", CoreFamily.CORTEX_M0_PLUS, null, 48.0, 1024L * 1024, 8L * 1024, Fpu.NONE, 2048L,
                4096L, null, null, null);
        DoesNotFitException d = assertThrows(DoesNotFitException.class, () -> DetectionPipeline.open(model, denseConfig(1.0), tiny));
        assertEquals("SRAM", d.memory());
        assertEquals(8L * 1024, d.available());
        assertTrue(d.needed() > d.available());
        assertTrue(d.getMessage().matches("tiny: the model needs [0-9,]+ bytes of SRAM, the board has 8,192 \\([0-9,]+ bytes short\\)"), d.getMessage());
    }

    @Test
    void isoTimesAndConfigErrors(@TempDir Path dir) throws IOException {
        assertEquals(1583077446.0, TimeParser.seconds("2020-03-01 15:44:06"), 1e-6);
        assertEquals(1583077446.25, TimeParser.seconds("2020-03-01T15:44:06.25"), 1e-6);
        assertEquals(1583077446.0 - 3600, TimeParser.seconds("2020-03-01T15:44:06+01:00"), 1e-6);
        assertEquals(12.5, TimeParser.seconds("12.5"));
        assertTrue(Double.isNaN(TimeParser.seconds("noon")));
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\n  \"channels\": [\"a\"],\n  \"window\": {\"length\": 0, \"hop\": 1},\n  \"score\": {\"kind\": \"output\"}\n}\n");
        InputFormatException e = assertThrows(InputFormatException.class, () -> PipelineConfig.load(f));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("window.length must be >= 1, got 0"), e.getMessage());
        Files.writeString(f, "{\"channels\": [\"a\"], \"window\": {\"length\": 1, \"hop\": 1}, \"score\": {\"kind\": \"output\"}, \"treshold\": 2}");
        e = assertThrows(InputFormatException.class, () -> PipelineConfig.load(f));
        assertTrue(e.getMessage().contains("treshold"), e.getMessage());
        Files.writeString(f, "{\"channels\": [\"a\"], \"window\": {\"length\": 1, \"hop\": 1}, \"score\": {\"kind\": \"median\"}}");
        e = assertThrows(InputFormatException.class, () -> PipelineConfig.load(f));
        assertTrue(e.getMessage().contains("score.kind 'median' is not one of reconstruction, forecast, output"), e.getMessage());
        Files.writeString(f, "{\"channels\": [\"a\", \"b\"], \"normalization\": {\"method\": \"zscore\", \"mean\": [0], \"std\": [1]},"
                + " \"window\": {\"length\": 1, \"hop\": 1}, \"score\": {\"kind\": \"output\"}}");
        e = assertThrows(InputFormatException.class, () -> PipelineConfig.load(f));
        assertTrue(e.getMessage().contains("normalization has parameters for 1 channels, channels lists 2"), e.getMessage());
        assertThrows(EmulatorException.class, () -> PipelineConfig.load(dir.resolve("missing.json")));
    }

    /** Every property of the JSON schema is a property of the config record, and back. */
    @Test
    void schemaMatchesTheConfigRecord() throws IOException {
        var schema = Json.mapper().readTree(Path.of("pipeline-config.schema.json").toFile());
        List<String> props = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(props::add);
        List<String> components = new ArrayList<>();
        for (var c : PipelineConfig.class.getRecordComponents()) components.add(c.getName());
        assertEquals(components, props);
        List<String> score = new ArrayList<>();
        schema.get("properties").get("score").get("properties").fieldNames().forEachRemaining(score::add);
        assertEquals(List.of("kind", "error", "over", "output", "element"), score);
        assertFalse(props.isEmpty());
    }
}
