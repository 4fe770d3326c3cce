package dev.minnow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.emulator.analysis.FitCheck;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.emulator.export.FirmwareExporter;
import dev.minnow.model.Model;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator commands as a user meets them (issue 13's "Done when"): analyze and fit on the MLPerf Tiny
 * anomaly-detection model, calibrate then detect over a labelled CSV with a corpus detector, export, and every
 * error path with its exit code and a message naming the problem and the numbers.
 */
class EmulatorCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CHANNELS = List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7");

    record Run(int code, String out, String err) {
        String all() { return out + err; }
    }

    static Run run(Object... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] a = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        int code = Main.run(a, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Path ad() { return Corpus.require().resolve("models/mlperftiny-ad_model_ToyCar_quant_fullint_micro/model.tflite"); }

    static Path resnet() { return Corpus.require().resolve("models/mlperftiny-ic_pretrainedResnet/model.tflite"); }

    /** The corpus's dense autoencoder over 60 rows x 8 channels, int8 inside, float input and output. */
    static Path dense480() { return Corpus.require().resolve("detectors/dense_ae_480_i8/model.tflite"); }

    /**
     * 8 channels of sines at 100 Hz plus noise; rows in [anomalyFrom, anomalyTo) carry a step of +4 on every channel
     * and label 1.
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
            s.append(';').append(anomalous ? "1" : "0").append('\n');
        }
        return s.toString();
    }

    /** A config for {@link #dense480()}: z-score with std 0.7, windows of 60 rows every 10, MSE reconstruction. */
    static PipelineConfig denseConfig(String model, Double threshold, String board, Double sampleRateHz) {
        double[] mean = new double[8], std = new double[8];
        Arrays.fill(std, 0.7);
        return new PipelineConfig(model, new PipelineConfig.Csv(null, "t", "anomaly"), CHANNELS,
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, mean, std), new PipelineConfig.Window(60, 10),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                threshold, board, null, sampleRateHz, null);
    }

    static Path write(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /** A boards file with one board of {@code sramKib} KiB SRAM (2 KiB reserve) and 1 MiB flash. */
    static Path tinyBoards(Path dir, int sramKib) throws Exception {
        return write(dir.resolve("boards.json"), """
                {"boards": [{"id": "tiny-m0", "name": "Tiny M0+", "mcu": "X1", "core": "Cortex-M0+", "clockMhz": 48,
                  "flashBytes": 1048576, "sramBytes": %d, "fpu": "none", "sramReserveBytes": 2048}]}
                """.formatted(sramKib * 1024));
    }

    @Test
    void everyEmulatorCommandHasHelp() {
        for (String c : List.of("analyze", "fit", "detect", "calibrate", "export")) {
            for (String h : List.of("--help", "-h")) {
                Run r = run(c, h);
                assertEquals(0, r.code(), c + " " + h + ": " + r.err());
                assertTrue(r.out().contains("Usage: minnow " + c), r.out());
                assertTrue(r.out().contains("--boards=FILE"), c + " takes --boards: " + r.out());
                assertTrue(r.out().contains("--trusted") && r.out().contains("default budget for untrusted models"),
                        c + " takes --trusted and says what it lifts: " + r.out());
            }
            assertTrue(run("--help").out().contains(c), "minnow --help lists " + c);
        }
    }

    @Test
    void analyzeListsTheLayersOfTheMlperfTinyAdModelWith264192Macs() throws Exception {
        Run text = run("analyze", ad());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("264,192 MACs"), text.out());
        assertEquals(10, text.out().lines().filter(l -> l.contains("FULLY_CONNECTED")).count(), text.out());
        assertTrue(text.out().contains("parameters"), text.out());
        assertTrue(text.out().contains("arena (TFLM on a 32-bit MCU)"), text.out());
        assertFalse(text.out().contains("latency"), "no estimate without --board");

        Run json = run("analyze", ad(), "--json", "--board", "NUCLEO-L4R5ZI");
        assertEquals(0, json.code(), json.err());
        JsonNode root = JSON.readTree(json.out());
        JsonNode layers = root.get("analysis").get("layers");
        long macs = 0, params = 0;
        for (JsonNode l : layers) {
            macs += l.get("macs").asLong();
            params += l.get("parameters").asLong();
            if (l.get("op").asText().equals("FULLY_CONNECTED")) {
                // a fully connected layer does input depth x output depth MACs, its shapes say how many
                JsonNode in = l.get("inputs").get(0).get("shape"), out = l.get("outputs").get(0).get("shape");
                assertEquals(in.get(1).asLong() * out.get(1).asLong(), l.get("macs").asLong(), l.toString());
            }
        }
        assertEquals(12, layers.size());
        assertEquals(264_192, macs);
        assertEquals(264_192, root.get("analysis").get("totals").get("macs").asLong());
        assertEquals(params, root.get("analysis").get("totals").get("parameters").asLong());
        JsonNode estimate = root.get("estimate");
        assertEquals("nucleo-l4r5zi", estimate.get("board").asText());
        assertTrue(estimate.get("latencyMs").asDouble() > 0, estimate.toString());

        Run withBoard = run("analyze", ad(), "--board", "nucleo-l4r5zi", "--stack", "tflm-ref");
        assertEquals(0, withBoard.code(), withBoard.err());
        assertTrue(withBoard.out().contains("stack    ") && withBoard.out().contains("(tflm-ref)"), withBoard.out());
        assertTrue(withBoard.out().contains("expected "), "the estimate carries its error band: " + withBoard.out());
    }

    @Test
    void fitFitsTheAdModelOnNucleoL4r5ziAndRefusesATooSmallBoardWithTheNumbers(@TempDir Path tmp) throws Exception {
        Run ok = run("fit", ad(), "--board", "nucleo-l4r5zi");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().startsWith("board NUCLEO-L4R5ZI (nucleo-l4r5zi): fits"), ok.out());
        assertTrue(ok.out().contains("SRAM   FITS") && ok.out().contains("flash  FITS"), ok.out());
        assertTrue(ok.out().contains("latency "), "the inference estimate follows: " + ok.out());
        JsonNode report = JSON.readTree(run("fit", ad(), "--board", "nucleo-l4r5zi", "--json").out());
        assertEquals("FITS", report.get("sram").asText());
        long arena = report.get("arenaBytes").asLong();
        assertEquals(0, arena % 16);

        // a board with 4 KiB of SRAM, 2 KiB of it reserved: the arena does not fit
        Path boards = tinyBoards(tmp, 4);
        Run refused = run("fit", ad(), "--board", "tiny-m0", "--boards", boards);
        assertEquals(1, refused.code(), refused.all());
        long needed = arena + 2048, available = 4 * 1024;
        assertEquals(String.format(Locale.ROOT, "minnow fit: tiny-m0: the model needs %,d bytes of SRAM, the board has %,d (%,d bytes short)",
                needed, available, needed - available), refused.err().strip());
        assertTrue(refused.out().contains("DOES NOT FIT"), "the full report is printed before the refusal: " + refused.out());
        JsonNode refusedJson = JSON.readTree(run("fit", ad(), "--board", "tiny-m0", "--boards", boards, "--json").out());
        assertEquals("DOES_NOT_FIT", refusedJson.get("sram").asText());

        Run resnet = run("fit", resnet(), "--board", "nucleo-g0b1re");
        assertEquals(1, resnet.code());
        assertTrue(resnet.err().contains("nucleo-g0b1re: the model needs 218,176 bytes of SRAM, the board has 147,456 (70,720 bytes short)"),
                resnet.err());

        // a board whose SRAM size is not stated: the verdict is unknown, not a refusal
        Path unstated = write(tmp.resolve("unstated.json"), """
                {"boards": [{"id": "vague", "name": "Vague", "core": "Cortex-M4F", "clockMhz": 80, "flashBytes": 1048576}]}
                """);
        Run vague = run("fit", ad(), "--board", "vague", "--boards", unstated);
        assertEquals(0, vague.code(), vague.all());
        assertTrue(vague.out().contains("fits where known") && vague.out().contains("SRAM   UNKNOWN") && vague.out().contains("size not stated"),
                vague.out());

        Run all = run("fit", ad(), "--all-boards", "--boards", boards);
        assertEquals(0, all.code(), all.err());
        List<String> lines = all.out().lines().toList();
        assertEquals(BoardCatalog.builtin().all().size() + 2, lines.size(), "header, every built-in board and tiny-m0: " + all.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("tiny-m0 ") && l.contains("DOES NOT FIT")), all.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("nucleo-l4r5zi ") && l.contains("fits")), all.out());
        JsonNode allJson = JSON.readTree(run("fit", ad(), "--all-boards", "--json").out());
        assertEquals(BoardCatalog.builtin().all().size(), allJson.size());
    }

    @Test
    void calibrateWritesAThresholdThatDetectThenUsesEndToEnd(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("pipeline.json");
        denseConfig(dense480().toAbsolutePath().toString(), null, "nucleo-l4r5zi", null).write(cfg);
        Path normal = write(tmp.resolve("normal.csv"), sensorCsv(3000, -1, -1, 1));
        Path labelled = write(tmp.resolve("labelled.csv"), sensorCsv(4000, 2000, 2300, 3));

        Run cal = run("calibrate", "--config", cfg, "--input", normal, "--quantile", "0.99", "--factor", "1.2");
        assertEquals(0, cal.code(), cal.all());
        PipelineConfig calibrated = PipelineConfig.load(cfg);
        double threshold = calibrated.threshold();
        assertEquals(0.99, calibrated.calibration().quantile());
        assertEquals(1.2, calibrated.calibration().factor());
        assertEquals((3000 - 60) / 10 + 1, calibrated.calibration().windows());
        assertEquals(calibrated.calibration().scoreQuantile() * 1.2, threshold, 1e-12);
        assertTrue(cal.out().startsWith("threshold " + threshold + " (quantile: quantile 0.99 = "), cal.out());
        assertTrue(cal.out().contains(" x 1.2, 295 windows of " + normal + ")"), cal.out());
        assertEquals(CHANNELS, calibrated.channels(), "calibrate keeps everything else");
        assertEquals("nucleo-l4r5zi", calibrated.board());

        Path events = tmp.resolve("events.jsonl"), summary = tmp.resolve("summary.json"), plot = tmp.resolve("score.svg");
        Run det = run("detect", "--config", cfg, "--input", labelled, "--events", events, "--summary", summary, "--plot", plot);
        assertEquals(1, det.code(), "anomalies found: " + det.all());
        assertEquals("", det.out(), "events went to the file");
        List<String> lines = Files.readAllLines(events);
        JsonNode s = JSON.readTree(summary.toFile());
        assertEquals(4000, s.get("rows").asLong());
        assertEquals((4000 - 60) / 10 + 1, s.get("windows").asLong());
        assertEquals(lines.size(), s.get("anomalies").asLong());
        assertTrue(lines.size() > 0);
        assertEquals(threshold, s.get("threshold").asDouble());
        for (String l : lines) {
            JsonNode e = JSON.readTree(l);
            assertEquals(threshold, e.get("threshold").asDouble(), l);
            assertTrue(e.get("score").asDouble() > threshold, l);
            assertEquals(e.get("row").asLong() + 1, e.get("line").asLong(), l);
        }
        JsonNode ev = s.get("evaluation");
        assertEquals(30, ev.get("positives").asLong(), ev.toString());
        assertEquals(lines.size(), ev.get("truePositives").asLong() + ev.get("falsePositives").asLong());
        for (String metric : List.of("precision", "recall", "f1", "falseAlarmRate", "missedAlarmRate", "rocAuc")) {
            assertTrue(ev.has(metric), metric + " in " + ev);
        }
        assertTrue(ev.get("recall").asDouble() > 0.5, ev.toString());
        assertTrue(s.get("realTime").get("fits").asBoolean(), s.toString());
        assertTrue(det.err().contains("precision") && det.err().contains("ROC AUC") && det.err().contains("real time: fits"), det.err());
        String svg = Files.readString(plot);
        assertTrue(svg.startsWith("<svg") && svg.contains("class=\"threshold\"") && svg.contains("class=\"anomaly\""), svg);

        // events to stdout by default, then the summary as JSON with --json; the same run gives the same events
        Run jsonRun = run("detect", dense480(), "--config", cfg, "--input", labelled, "--json");
        assertEquals(1, jsonRun.code(), jsonRun.err());
        List<String> outLines = jsonRun.out().lines().toList();
        assertEquals(lines, outLines.subList(0, lines.size()));
        JsonNode s2 = JSON.readTree(String.join("\n", outLines.subList(lines.size(), outLines.size())));
        assertEquals(s.get("anomalies").asLong(), s2.get("anomalies").asLong());
        assertEquals("", jsonRun.err(), "no text summary with --json");

        // a threshold above every normal score: the normal data is clean, exit 0; calibrate --out leaves CFG alone
        Path strict = tmp.resolve("strict.json");
        Run sigma = run("calibrate", "--config", cfg, "--input", normal, "--sigma", "20", "--out", strict);
        assertEquals(0, sigma.code(), sigma.all());
        assertTrue(sigma.out().startsWith("threshold ") && sigma.out().contains("(sigma: mean "), sigma.out());
        assertEquals(threshold, PipelineConfig.load(cfg).threshold(), "CFG untouched with --out");
        PipelineConfig strictCfg = PipelineConfig.load(strict);
        assertEquals("sigma", strictCfg.calibration().method());
        assertEquals(strictCfg.calibration().scoreMean() + 20 * strictCfg.calibration().scoreStd(), strictCfg.threshold(), 1e-9);
        Run clean = run("detect", "--config", strict, "--input", normal);
        assertEquals(0, clean.code(), clean.all());
        assertEquals("", clean.out(), "no event");
        assertTrue(clean.err().contains(", 0 anomalies"), clean.err());
    }

    @Test
    void detectAndCalibrateReadStdin(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("p.json");
        denseConfig(dense480().toString(), null, null, null).write(cfg);
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(sensorCsv(200, -1, -1, 7).getBytes(StandardCharsets.UTF_8)));
            Run cal = run("calibrate", "--config", cfg, "--input", "-", "--board", "disco-f746ng");
            assertEquals(0, cal.code(), cal.all());
            assertTrue(cal.out().contains("15 windows of stdin"), cal.out());
            assertEquals(null, PipelineConfig.load(cfg).board(), "calibrate --board does not rewrite the config's board");
            System.setIn(new ByteArrayInputStream(sensorCsv(200, 100, 200, 8).getBytes(StandardCharsets.UTF_8)));
            Run det = run("detect", "--config", cfg, "--board", "disco-f746ng");
            assertEquals(1, det.code(), det.all());
            assertTrue(det.err().startsWith("stdin: 200 rows, 15 windows"), det.err());
            assertTrue(det.err().contains("on disco-f746ng"), det.err());
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void exportWritesWhatTheLibraryWritesWithTheModelBytes(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("p.json");
        denseConfig(null, 2.5, null, null).write(cfg);
        Path dir = tmp.resolve("fw");
        Run r = run("export", dense480(), "--board", "nucleo-l4r5zi", "--out", dir, "--config", cfg, "--name", "pump_monitor");
        assertEquals(0, r.code(), r.all());
        List<String> names = List.of("model_data.h", "model_data.cc", "detector_config.h", "pump_monitor.ino");
        for (String n : names) assertTrue(r.out().contains("wrote " + dir.resolve(n)), r.out());
        assertTrue(r.out().contains("MicroMutableOpResolver<4>: AddQuantize() AddReshape() AddFullyConnected() AddDequantize()"), r.out());

        // the array's bytes are the model file's
        byte[] model = Files.readAllBytes(dense480());
        String source = Files.readString(dir.resolve("model_data.cc"));
        String body = source.substring(source.indexOf('{') + 1, source.indexOf('}'));
        Matcher m = Pattern.compile("0x([0-9a-fA-F]{2})").matcher(body);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        while (m.find()) bytes.write(Integer.parseInt(m.group(1), 16));
        assertArrayEquals(model, bytes.toByteArray());
        assertTrue(source.contains("alignas(16)"), source);

        // the same files as the library writes (FirmwareExporterTest compiles those with g++ against the TFLM stub)
        Model loaded = Model.load(dense480());
        Board board = BoardCatalog.builtin().get("nucleo-l4r5zi");
        Path lib = tmp.resolve("lib");
        FirmwareExporter.Result expected = FirmwareExporter.export(loaded, model, board, FitCheck.shipped().check(loaded, board),
                PipelineConfig.load(cfg), "pump_monitor", lib);
        for (String n : names) assertEquals(Files.readString(lib.resolve(n)), Files.readString(dir.resolve(n)), n);
        assertTrue(r.out().contains(String.format(Locale.ROOT, "kTensorArenaSize %,d bytes", expected.arenaBytes())), r.out());
        assertTrue(Files.readString(dir.resolve("detector_config.h")).contains(Long.toString(expected.arenaBytes())));

        // without a config: a plain model sketch named detector
        Path plain = tmp.resolve("plain");
        Run p = run("export", ad(), "--board", "nucleo-l4r5zi", "--out", plain);
        assertEquals(0, p.code(), p.all());
        assertTrue(Files.isRegularFile(plain.resolve("detector.ino")), p.out());
    }

    @Test
    void badUsageAndBadInputExitWithTwoNamingTheProblem(@TempDir Path tmp) throws Exception {
        // unknown board: the known ones are listed
        for (Run r : List.of(run("analyze", ad(), "--board", "uno-r3"), run("fit", ad(), "--board", "uno-r3"),
                run("export", ad(), "--board", "uno-r3", "--out", tmp.resolve("x")))) {
            assertEquals(2, r.code(), r.all());
            assertTrue(r.err().contains("unknown board 'uno-r3'; known boards: arduino-nano-33-ble-sense, nucleo-l4r5zi"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("x")), "nothing exported for an unknown board");
        Run stack = run("analyze", ad(), "--board", "nucleo-l4r5zi", "--stack", "tflm-9000");
        assertEquals(2, stack.code());
        assertTrue(stack.err().contains("unknown stack 'tflm-9000'; known stacks: ") && stack.err().contains("tflm-cmsis-nn"), stack.err());
        Run stackAlone = run("analyze", ad(), "--stack", "tflm-ref");
        assertEquals(2, stackAlone.code());
        assertTrue(stackAlone.err().contains("--stack tflm-ref needs --board"), stackAlone.err());

        // models: missing, a directory, not a flatbuffer
        Path junk = write(tmp.resolve("junk.tflite"), "this is not a model at all");
        for (String c : List.of("analyze", "fit")) {
            Run missing = c.equals("fit") ? run(c, tmp.resolve("none.tflite"), "--board", "nucleo-l4r5zi") : run(c, tmp.resolve("none.tflite"));
            assertEquals(2, missing.code(), missing.all());
            assertTrue(missing.err().contains("none.tflite: not found"), missing.err());
            Run dir = run(c, tmp);
            assertEquals(2, dir.code(), dir.all());
        }

        // fit needs exactly one of --board and --all-boards
        assertEquals(2, run("fit", ad()).code());
        Run both = run("fit", ad(), "--board", "nucleo-l4r5zi", "--all-boards");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());

        // a malformed boards file: file, line and column
        Path boards = write(tmp.resolve("boards.json"), "{\"boards\": [\n  {\"id\": \"x\", \"name\": \"X\", \"core\": \"Cortex-M4F\", \"clockMhz\": -5}\n]}\n");
        Run badBoards = run("fit", ad(), "--board", "x", "--boards", boards);
        assertEquals(2, badBoards.code(), badBoards.all());
        assertTrue(badBoards.err().startsWith("minnow fit: " + boards + ":2:"), badBoards.err());
        assertTrue(badBoards.err().contains("clockMhz must be > 0, got -5"), badBoards.err());
        Run noBoards = run("fit", ad(), "--board", "x", "--boards", tmp.resolve("nope.json"));
        assertEquals(2, noBoards.code());
        assertTrue(noBoards.err().contains("nope.json does not exist"), noBoards.err());
        for (Run r : List.of(noBoards, badBoards, stack)) assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    /** A model the engine rejects is the model failing, exit 1, as in info, run and arena (README's exit codes). */
    @Test
    void aModelTheEngineRejectsExitsWithOneInEveryCommand(@TempDir Path tmp) throws Exception {
        // not a flatbuffer at all
        Path junk = write(tmp.resolve("junk.tflite"), "this is not a model at all");
        Path junkCfg = tmp.resolve("junk.json");
        denseConfig(junk.toString(), 2.0, "nucleo-l4r5zi", null).write(junkCfg);
        Path csv = write(tmp.resolve("s.csv"), sensorCsv(100, -1, -1, 3));
        for (Run r : List.of(run("analyze", junk), run("fit", junk, "--board", "nucleo-l4r5zi"),
                run("export", junk, "--board", "nucleo-l4r5zi", "--out", tmp.resolve("j")),
                run("detect", "--config", junkCfg, "--input", csv), run("calibrate", "--config", junkCfg, "--input", csv))) {
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("junk.tflite: not a valid .tflite model"), r.err());
        }

        // a valid model the engine cannot run (float input to an int8-weight FULLY_CONNECTED, as TFLM refuses it);
        // its input is 640 floats: 80 rows x 8 channels
        Path hybrid = Corpus.require().resolve("models/mlperftiny-ad_model_ToyCar_quant/model.tflite");
        Path cfg = tmp.resolve("hybrid.json");
        double[] mean = new double[8], std = new double[8];
        Arrays.fill(std, 0.7);
        new PipelineConfig(hybrid.toString(), new PipelineConfig.Csv(null, "t", "anomaly"), CHANNELS,
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, mean, std), new PipelineConfig.Window(80, 10),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                2.0, "nucleo-l4r5zi", null, null, null).write(cfg);
        Map<String, Run> runs = new LinkedHashMap<>();
        runs.put("analyze", run("analyze", hybrid));
        runs.put("fit", run("fit", hybrid, "--board", "nucleo-l4r5zi"));
        runs.put("export", run("export", hybrid, "--board", "nucleo-l4r5zi", "--out", tmp.resolve("h")));
        runs.put("detect", run("detect", "--config", cfg, "--input", csv));
        runs.put("calibrate", run("calibrate", "--config", cfg, "--input", csv));
        runs.forEach((command, r) -> {
            assertEquals(1, r.code(), command + ": " + r.all());
            assertTrue(r.err().startsWith("minnow " + command + ": "), r.err());
            assertTrue(r.err().contains("FULLY_CONNECTED (node 0)") && r.err().contains("not supported"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        });
        assertFalse(Files.exists(tmp.resolve("h")), "nothing exported for a model the engine cannot run");
        assertEquals(2.0, PipelineConfig.load(cfg).threshold(), "a failed calibration writes nothing");
    }

    @Test
    void detectAndCalibrateErrorsNameTheFileLineAndNumbers(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("p.json");
        denseConfig(dense480().toString(), 2.0, "nucleo-l4r5zi", null).write(cfg);
        String good = sensorCsv(100, -1, -1, 1);

        // a broken CSV line: file, line and column
        Path broken = write(tmp.resolve("broken.csv"), good.replaceFirst("\n(0\\.05;)[^;]*;", "\n$1oops;"));
        Run r = run("detect", "--config", cfg, "--input", broken);
        assertEquals(2, r.code(), r.all());
        assertEquals("minnow detect: " + broken + ":7:6: column 'c0' 'oops' is not a number", r.err().strip());
        Run c = run("calibrate", "--config", cfg, "--input", broken);
        assertEquals(2, c.code(), c.all());
        assertTrue(c.err().contains(broken + ":7:6: column 'c0' 'oops' is not a number"), c.err());
        assertEquals(2.0, PipelineConfig.load(cfg).threshold(), "a failed calibration writes nothing");
        Path shortLine = write(tmp.resolve("short.csv"), good.replaceFirst("\n(0\\.03;[^\n]*);[^;\n]*\n", "\n$1\n"));
        Run s = run("detect", "--config", cfg, "--input", shortLine);
        assertEquals(2, s.code(), s.all());
        assertTrue(s.err().contains(shortLine + ":5:") && s.err().contains("9 fields, the header has 10"), s.err());
        Path noColumn = write(tmp.resolve("nocol.csv"), "t;c0\n0;1\n");
        Run nc = run("detect", "--config", cfg, "--input", noColumn);
        assertEquals(2, nc.code());
        assertTrue(nc.err().contains("no column 'c1'"), nc.err());
        Run missing = run("detect", "--config", cfg, "--input", tmp.resolve("absent.csv"));
        assertEquals(2, missing.code(), missing.all());
        assertTrue(missing.err().contains("absent.csv: not found"), missing.err());

        // too few rows for one window
        Path few = write(tmp.resolve("few.csv"), sensorCsv(59, -1, -1, 1));
        Run f = run("calibrate", "--config", cfg, "--input", few);
        assertEquals(2, f.code(), f.all());
        assertTrue(f.err().contains(few + ": no complete window (needs 60 rows)"), f.err());

        // calibration methods
        Run mixed = run("calibrate", "--config", cfg, "--input", few, "--sigma", "3", "--factor", "2");
        assertEquals(2, mixed.code());
        assertTrue(mixed.err().contains("--sigma 3.0") && mixed.err().contains("--factor 2.0"), mixed.err());
        Run q = run("calibrate", "--config", cfg, "--input", few, "--quantile", "1.5");
        assertEquals(2, q.code());
        assertTrue(q.err().contains("quantile 1.5 is not in (0, 1]"), q.err());
        assertEquals(2, run("calibrate", "--config", cfg).code(), "--input is required");

        // configs: no threshold, no board, no model, malformed, not matching the model
        Path noThreshold = tmp.resolve("nothreshold.json");
        denseConfig(dense480().toString(), null, "nucleo-l4r5zi", null).write(noThreshold);
        Run nt = run("detect", "--config", noThreshold, "--input", few);
        assertEquals(2, nt.code());
        assertTrue(nt.err().contains("has no threshold: run minnow calibrate"), nt.err());
        Path noBoard = tmp.resolve("noboard.json");
        denseConfig(dense480().toString(), 2.0, null, null).write(noBoard);
        Run nb = run("detect", "--config", noBoard, "--input", few);
        assertEquals(2, nb.code());
        assertTrue(nb.err().contains("names no board: pass --board B") && nb.err().contains("nucleo-l4r5zi"), nb.err());
        Path noModel = tmp.resolve("nomodel.json");
        denseConfig(null, 2.0, "nucleo-l4r5zi", null).write(noModel);
        Run nm = run("calibrate", "--config", noModel, "--input", few);
        assertEquals(2, nm.code());
        assertTrue(nm.err().contains("names no model: pass MODEL"), nm.err());
        Path malformed = write(tmp.resolve("bad.json"), "{\n  \"channels\": [\"a\"],\n  \"window\": {\"length\": 60 \"hop\": 1}\n}\n");
        Run mf = run("detect", dense480(), "--config", malformed, "--input", few);
        assertEquals(2, mf.code());
        assertTrue(mf.err().startsWith("minnow detect: " + malformed + ":3:"), mf.err());
        Path incomplete = write(tmp.resolve("incomplete.json"), "{\n  \"channels\": [\"a\"]\n}\n");
        Run ic = run("detect", dense480(), "--config", incomplete, "--input", few);
        assertEquals(2, ic.code());
        assertTrue(ic.err().contains(incomplete + ":3:") && ic.err().contains("window is missing"), ic.err());
        Run mismatch = run("detect", Corpus.require().resolve("detectors/dense_ae_640_i8/model.tflite"), "--config", cfg, "--input", few);
        assertEquals(2, mismatch.code(), mismatch.all());
        assertTrue(mismatch.err().contains("model input") && mismatch.err().contains("480"), mismatch.err());
        Run absentCfg = run("detect", "--config", tmp.resolve("none.json"), "--input", few);
        assertEquals(2, absentCfg.code());
        assertTrue(absentCfg.err().contains("none.json does not exist"), absentCfg.err());
        Run unwritable = run("detect", "--config", cfg, "--input", write(tmp.resolve("ok.csv"), good), "--events", tmp);
        assertEquals(2, unwritable.code(), unwritable.all());
        assertTrue(unwritable.err().contains(tmp + ": cannot write the events"), unwritable.err());
    }

    @Test
    void checksThatFailExitWithOne(@TempDir Path tmp) throws Exception {
        Path boards = tinyBoards(tmp, 8);
        Path cfg = tmp.resolve("p.json");
        denseConfig(dense480().toString(), 1e9, "tiny-m0", null).write(cfg);
        Path csv = write(tmp.resolve("s.csv"), sensorCsv(200, -1, -1, 1));

        // the detector does not fit the board: detect, calibrate and export refuse it as flashing would
        for (Run r : List.of(run("detect", "--config", cfg, "--input", csv, "--boards", boards),
                run("calibrate", "--config", cfg, "--input", csv, "--boards", boards),
                run("export", dense480(), "--board", "tiny-m0", "--boards", boards, "--out", tmp.resolve("fw")))) {
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().matches("(?s)minnow (detect|calibrate|export): tiny-m0: the model needs [0-9,]+ bytes of SRAM, "
                    + "the board has 8,192 \\([0-9,]+ bytes short\\)\\R"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("fw")), "no firmware for a board it cannot be flashed on");
        assertEquals(1e9, PipelineConfig.load(cfg).threshold());

        // no anomaly, but at a million samples a second one inference takes longer than the hop of 10 rows
        Path fast = tmp.resolve("fast.json");
        double[] mean = new double[8], std = new double[8];
        Arrays.fill(std, 0.7);
        new PipelineConfig(dense480().toString(), new PipelineConfig.Csv(null, null, null), CHANNELS,
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, mean, std), new PipelineConfig.Window(60, 10),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                1e9, "nucleo-l4r5zi", null, 1e6, null).write(fast);
        Run late = run("detect", "--config", fast, "--input", csv);
        assertEquals(1, late.code(), late.all());
        assertTrue(late.err().contains(", 0 anomalies") && late.err().contains("real time: DOES NOT FIT"), late.err());
    }

    @Test
    void exportRefusesWhatAFirmwareCouldNotBe(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("p.json");
        denseConfig(null, null, null, null).write(cfg);
        Path out = tmp.resolve("fw");
        Run noThreshold = run("export", dense480(), "--board", "nucleo-l4r5zi", "--out", out, "--config", cfg);
        assertEquals(2, noThreshold.code(), noThreshold.all());
        assertTrue(noThreshold.err().contains("has no threshold: run minnow calibrate"), noThreshold.err());
        Run name = run("export", dense480(), "--board", "nucleo-l4r5zi", "--out", out, "--name", "my-sketch");
        assertEquals(2, name.code(), name.all());
        assertTrue(name.err().contains("sketch name 'my-sketch' must be a C identifier"), name.err());
        assertFalse(Files.exists(out), "nothing written for refused exports");
        Path file = write(tmp.resolve("file"), "x");
        Run notDir = run("export", dense480(), "--board", "nucleo-l4r5zi", "--out", file);
        assertEquals(2, notDir.code(), notDir.all());
        assertTrue(notDir.err().contains(file + ": exists and is not a directory"), notDir.err());
        assertEquals(2, run("export", dense480(), "--out", out).code(), "--board is required");
        assertEquals(2, run("export", dense480(), "--board", "nucleo-l4r5zi").code(), "--out is required");
    }

    @Test
    void theProgressBarCountsTheBytesReadAndClearsItself() throws Exception {
        assertEquals("[###############               ]  50%  0.0 of 0.0 MB", ProgressBar.line(50, 100));
        assertTrue(ProgressBar.line(3_000_000, 2_000_000).startsWith("[" + "#".repeat(30) + "] 100%"));
        StringWriter err = new StringWriter();
        byte[] data = new byte[10_000];
        try (ProgressBar.Counting in = new ProgressBar.Counting(new ByteArrayInputStream(data), data.length, new PrintWriter(err))) {
            byte[] buf = new byte[4000];
            long total = 0;
            for (int n; (n = in.read(buf, 0, buf.length)) > 0; ) total += n;
            assertEquals(data.length, total);
        }
        String drawn = err.toString();
        assertTrue(drawn.startsWith("\r["), drawn);
        assertTrue(drawn.endsWith("\r"), "the bar is wiped at the end: " + drawn);
        assertFalse(ProgressBar.interactive(), "tests run without a console: no bar");
    }
}
