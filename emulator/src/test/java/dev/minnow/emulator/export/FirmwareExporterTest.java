package dev.minnow.emulator.export;

import dev.minnow.emulator.Corpus;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.analysis.FitCheck;
import dev.minnow.emulator.analysis.FitReport;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exported firmware compiles (host g++ against a stub of the TFLM declarations it uses) and carries the model. */
class FirmwareExporterTest {
    private static final Board L4R5 = BoardCatalog.builtin().get("nucleo-l4r5zi");

    private static Path stub() throws URISyntaxException {
        return Path.of(FirmwareExporterTest.class.getResource("/tflm-stub/TensorFlowLite.h").toURI()).getParent();
    }

    private static void compile(Path dir, Path source) throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("g++", "--version").start().waitFor() == 0, "g++ is not installed");
        List<String> cmd = new ArrayList<>(List.of("g++", "-std=c++17", "-Wall", "-Wextra", "-Werror", "-ffp-contract=off",
                "-I", stub().toString(), "-I", dir.toString(), "-c", "-o", dir.resolve(source.getFileName() + ".o").toString()));
        if (source.toString().endsWith(".ino")) cmd.addAll(List.of("-x", "c++"));
        cmd.add(source.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertEquals(0, p.waitFor(), "g++ failed on " + source.getFileName() + ":\n" + out.toString(StandardCharsets.UTF_8));
    }

    /** The bytes of g_model[] as the generated source spells them. */
    static byte[] arrayBytes(String source) {
        int start = source.indexOf('{'), end = source.indexOf("};");
        Matcher m = Pattern.compile("0x([0-9a-f]{2})").matcher(source.substring(start, end));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (m.find()) b.write(Integer.parseInt(m.group(1), 16));
        return b.toByteArray();
    }

    private static PipelineConfig config(List<String> channels, int length, PipelineConfig.ScoreKind kind, PipelineConfig.Span over,
                                         int output) {
        double[] mean = new double[channels.size()], std = new double[channels.size()];
        java.util.Arrays.fill(std, 0.5);
        return new PipelineConfig("model.tflite", null, channels, new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, mean, std),
                new PipelineConfig.Window(length, 1), new PipelineConfig.Score(kind, PipelineConfig.ErrorMeasure.MSE, over, output, 0), 0.125,
                "nucleo-l4r5zi", null, null, null);
    }

    private void exportAndCompile(String caseDir, PipelineConfig cfg, Path dir, List<String> expectedCalls) throws Exception {
        Path file = Corpus.model(caseDir);
        byte[] bytes = Files.readAllBytes(file);
        Model model = EngineAccess.load(file);
        FitReport fit = FitCheck.shipped().check(model, L4R5);
        FirmwareExporter.Result r = FirmwareExporter.export(model, bytes, L4R5, fit, cfg, "detector", dir);
        assertEquals(expectedCalls, r.resolverCalls());
        String source = Files.readString(dir.resolve("model_data.cc"));
        assertArrayEquals(bytes, arrayBytes(source), "the C array is the model file");
        assertTrue(source.contains("alignas(16) const unsigned char g_model[] = {"));
        assertTrue(source.contains("const unsigned int g_model_len = " + bytes.length + ";"));
        String config = Files.readString(dir.resolve("detector_config.h"));
        assertEquals(0, fit.arenaBytes() % 16);
        assertTrue(config.contains("constexpr int kTensorArenaSize = " + fit.arenaBytes() + ";"), config);
        String sketch = Files.readString(dir.resolve("detector.ino"));
        assertTrue(sketch.contains("static tflite::MicroMutableOpResolver<" + expectedCalls.size() + "> resolver;"));
        for (String c : expectedCalls) assertTrue(sketch.contains("resolver." + c), c);
        // the declared arena is one TFLM accepts
        try (Interpreter it = new Interpreter(model, new InterpreterOptions().setArenaSize(Math.toIntExact(fit.arenaBytes())))) {
            it.allocateTensors();
        }
        if (bytes.length < 64 * 1024) compile(dir, dir.resolve("model_data.cc")); // g++ takes seconds per 100 KB of array
        compile(dir, dir.resolve("detector.ino"));
    }

    @Test
    void autoencoderWithQuantizedIo(@TempDir Path dir) throws Exception {
        exportAndCompile("detectors/dense_ae_640_i8_intio", config(List.of("mel"), 640, PipelineConfig.ScoreKind.RECONSTRUCTION,
                PipelineConfig.Span.WINDOW, 0), dir, List.of("AddFullyConnected()"));
        String sketch = Files.readString(dir.resolve("detector.ino"));
        assertTrue(sketch.contains("Quantize(row[c], input)") && sketch.contains("Dequantize(output->data.int8[i], output)"));
        assertTrue(Files.readString(dir.resolve("detector_config.h")).contains("#define SCORE_RECONSTRUCTION 1"));
    }

    /** The array source of a small model compiles (the large ones are checked byte for byte, not compiled). */
    @Test
    void lstmForecasterWithFloatIo(@TempDir Path dir) throws Exception {
        exportAndCompile("detectors/lstm_forecaster_3ch_i8", config(List.of("x", "y", "z"), 30, PipelineConfig.ScoreKind.FORECAST, null, 0), dir,
                List.of("AddQuantize()", "AddUnidirectionalSequenceLSTM()", "AddStridedSlice()", "AddFullyConnected()", "AddDequantize()"));
        String config = Files.readString(dir.resolve("detector_config.h"));
        assertTrue(config.contains("constexpr int kWindowRows = 31;"), config);
        assertTrue(Files.readString(dir.resolve("detector.ino")).contains("interpreter->Reset();"));
    }

    @Test
    void scoreOutputAndConvAutoencoder(@TempDir Path dir) throws Exception {
        exportAndCompile("detectors/dense_ae_640_score_i8", config(List.of("mel"), 640, PipelineConfig.ScoreKind.OUTPUT, null, 1),
                dir.resolve("score"), List.of("AddQuantize()", "AddFullyConnected()", "AddSquaredDifference()", "AddMean()", "AddDequantize()"));
        exportAndCompile("detectors/conv_ae_seprelu_f32", config(List.of("a", "b", "c", "d", "e", "f", "g", "h"), 60,
                PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.Span.LAST, 0), dir.resolve("conv"),
                List.of("AddReshape()", "AddConv2D()", "AddTransposeConv()", "AddRelu()"));
    }

    @Test
    void modelWithoutPipelineAndCustomOps(@TempDir Path dir) throws Exception {
        // the audio front end: Signal custom ops, registered by their named Add methods; no detector config
        exportAndCompile("models/tflm-audio_preprocessor_int8", null, dir, FirmwareExporter.resolverCalls(
                EngineAccess.load(Corpus.model("models/tflm-audio_preprocessor_int8"))));
        String sketch = Files.readString(dir.resolve("detector.ino"));
        assertTrue(sketch.contains("resolver.AddWindow()") && sketch.contains("resolver.AddRfft()"), sketch);
    }

    /**
     * The sketch's loop (ring, hop, normalisation, quantization, scoring) computes the emulator's scores: the sketch runs
     * on the host over a stand-in runtime whose model is the same int8-in, dequantize-out echo, and prints a score for
     * every window (threshold below every score); the printed scores equal the detector's.
     */
    @Test
    void sketchLoopScoresAsTheEmulator(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("g++", "--version").start().waitFor() == 0, "g++ is not installed");
        dev.minnow.writer.ModelWriter b = new dev.minnow.writer.ModelWriter();
        dev.minnow.model.Quantization q = new dev.minnow.model.Quantization(new float[] {0.05f}, new long[] {-3}, 0);
        int in = b.addTensor("in", dev.minnow.model.DataType.INT8, new int[] {1, 8}, q);
        int out = b.addTensor("out", dev.minnow.model.DataType.FLOAT32, new int[] {1, 8}, null);
        b.addOperator("DEQUANTIZE", 1, new int[] {in}, new int[] {out}, null, java.util.Map.of());
        byte[] bytes = b.setInputs(in).setOutputs(out).build();
        Model model = Model.load(bytes);
        PipelineConfig cfg = new PipelineConfig(null, null, List.of("a", "b"), new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE,
                null, null, new double[] {0.5, -1}, new double[] {2, 0.25}), new PipelineConfig.Window(4, 3),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null), -1.0,
                null, null, null, null);
        StringBuilder stdin = new StringBuilder();
        List<String> expected = new ArrayList<>();
        FitReport fit = FitCheck.shipped().check(model, L4R5);
        try (dev.minnow.emulator.detect.Detector d = new dev.minnow.emulator.detect.Detector(model, cfg, Math.toIntExact(fit.arenaBytes()))) {
            dev.minnow.emulator.detect.DeviceState st = d.newState();
            for (int r = 0; r < 40; r++) {
                float x = ((r * 37) % 101 - 50) / 64f, y = ((r * 13) % 29 - 14) / 32f;
                stdin.append(x).append(',').append(y).append('\n');
                dev.minnow.emulator.detect.Preprocessor p = new dev.minnow.emulator.detect.Preprocessor(cfg, new int[] {0, 1});
                if (d.add(st, new float[] {p.normalise(0, x), p.normalise(1, y)})) {
                    expected.add(String.format(java.util.Locale.ROOT, "%f", d.score(st)));
                }
            }
        }
        assertEquals(13, expected.size(), "windows at rows 4, 7, ..., 40");
        FirmwareExporter.export(model, bytes, L4R5, fit, cfg, "detector", dir);
        Path exe = dir.resolve("detector_host");
        Path runtime = Path.of(FirmwareExporterTest.class.getResource("/tflm-stub-run/stub_runtime.cc").toURI());
        Process g = new ProcessBuilder("g++", "-std=c++17", "-Wall", "-Werror", "-ffp-contract=off", "-DSTUB_N=8", "-DSTUB_SCALE=0.05f",
                "-DSTUB_ZP=-3", "-DSTUB_CHANNELS=2", "-I", stub().toString(), "-I", dir.toString(), "-x", "c++",
                dir.resolve("detector.ino").toString(), dir.resolve("model_data.cc").toString(), runtime.toString(), "-o", exe.toString())
                .redirectErrorStream(true).start();
        String gccOut = new String(g.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, g.waitFor(), gccOut);
        Process run = new ProcessBuilder(exe.toString()).start();
        run.getOutputStream().write(stdin.toString().getBytes(StandardCharsets.UTF_8));
        run.getOutputStream().close();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), output);
        List<String> printed = new ArrayList<>();
        Matcher m = Pattern.compile("Anomaly detected! score (\\S+) > threshold -1.000000").matcher(output);
        while (m.find()) printed.add(m.group(1));
        assertEquals(expected, printed, output);
    }

    /** Every registration name in the table compiles against TFLM's method names. */
    @Test
    void everyResolverNameIsTflms(@TempDir Path dir) throws Exception {
        StringBuilder s = new StringBuilder("#include \"tensorflow/lite/micro/micro_mutable_op_resolver.h\"\nvoid RegisterAll() {\n");
        int n = TflmOpNames.builtins().size() + TflmOpNames.customs().size();
        s.append("  static tflite::MicroMutableOpResolver<").append(n).append("> r;\n");
        for (String m : TflmOpNames.builtins().values()) s.append("  r.").append(m).append("();\n");
        for (String m : TflmOpNames.customs().values()) s.append("  r.").append(m).append("();\n");
        s.append("}\n");
        Path f = dir.resolve("all_ops.cc");
        Files.writeString(f, s.toString());
        compile(dir, f);
        assertEquals(118, n, "TFLM's resolver has 118 named Add methods at the corpus commit");
    }

    @Test
    void refusesWhatTflmCannotRegister(@TempDir Path dir) throws IOException {
        Model model = EngineAccess.load(Corpus.model("detectors/dense_ae_480_i8"));
        FitReport fit = FitCheck.shipped().check(model, L4R5);
        EmulatorException e = assertThrows(EmulatorException.class, () -> FirmwareExporter.export(model, new byte[0], L4R5, fit,
                null, "not-an-identifier", dir));
        assertTrue(e.getMessage().contains("C identifier"));
        PipelineConfig noThreshold = new PipelineConfig(null, null, List.of("a"), null, new PipelineConfig.Window(480, 1),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.OUTPUT, null, null, 0, 0), null, null, null, null, null);
        e = assertThrows(EmulatorException.class, () -> FirmwareExporter.export(model, new byte[0], L4R5, fit, noThreshold, "d", dir));
        assertTrue(e.getMessage().contains("no threshold"), e.getMessage());
        assertEquals("1.0E-5f", FirmwareExporter.floatLiteral(1e-5f));
        assertEquals("3.0f", FirmwareExporter.floatLiteral(3f));
    }
}
