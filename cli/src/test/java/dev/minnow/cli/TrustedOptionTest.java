package dev.minnow.cli;

import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.minnow.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --trusted}: a small model whose activations exceed the default budget is refused with the way out named. */
class TrustedOptionTest {
    /** A 400-byte model whose ADD writes 3.2 MB: over the default arena limit for its size (2 MiB + 64 B per byte). */
    private static Path bigActivation(Path dir) throws Exception {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {800_000}, null);
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        return Files.write(dir.resolve("big.tflite"), b.setInputs(x).setOutputs(o).build());
    }

    @Test
    void aModelOverTheDefaultBudgetIsRefusedWithTheLimitAndTheFlagNamedAndRunsWithTrusted(@TempDir Path tmp) throws Exception {
        Path model = bigActivation(tmp);
        for (String command : new String[] {"arena", "info"}) {
            CliTest.Run r = run(command, model.toString());
            assertEquals(1, r.code(), command + ": " + r.out() + r.err());
            for (String w : new String[] {"3200000", "arena bytes", "withMaxArenaBytes", "--trusted"}) {
                assertTrue(r.err().contains(w), command + ": '" + w + "' not in " + r.err());
            }
            CliTest.Run trusted = run(command, "--trusted", model.toString());
            assertEquals(0, trusted.code(), command + " --trusted: " + trusted.err());
        }
    }

    /**
     * A 600-byte detector over windows of 8 rows x 1 channel that reconstructs its input exactly, through a PAD to
     * [100000, 8] floats (3.2 MB, over the default arena limit for its size) and a SLICE back to [1, 8].
     */
    private static Path bigDetector(Path dir) throws Exception {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1, 8}, null);
        int pads = b.addConstant("paddings", DataType.INT32, new int[] {2, 2}, null, ints(0, 99_999, 0, 0));
        int wide = b.addTensor("wide", DataType.FLOAT32, new int[] {100_000, 8}, null);
        int begin = b.addConstant("begin", DataType.INT32, new int[] {2}, null, ints(0, 0));
        int size = b.addConstant("size", DataType.INT32, new int[] {2}, null, ints(1, 8));
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {1, 8}, null);
        b.addOperator("PAD", 1, new int[] {x, pads}, new int[] {wide}, "PadOptions", Map.of());
        b.addOperator("SLICE", 1, new int[] {wide, begin, size}, new int[] {o}, "SliceOptions", Map.of());
        return Files.write(dir.resolve("big-detector.tflite"), b.setInputs(x).setOutputs(o).build());
    }

    private static byte[] ints(int... v) {
        ByteBuffer buf = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : v) buf.putInt(i);
        return buf.array();
    }

    @Test
    void theEmulatorCommandsRefuseAModelOverTheDefaultBudgetNamingTheLimitAndTrustedAndAcceptItWithTrusted(@TempDir Path tmp)
            throws Exception {
        Path model = bigDetector(tmp);
        Path boards = Files.writeString(tmp.resolve("boards.json"), """
                {"boards": [{"id": "big-m7", "name": "Big M7", "mcu": "X7", "core": "Cortex-M7", "clockMhz": 480,
                  "flashBytes": 16777216, "sramBytes": 67108864, "fpu": "single", "sramReserveBytes": 2048}]}
                """);
        Path cfg = tmp.resolve("pipeline.json");
        new PipelineConfig(model.toString(), new PipelineConfig.Csv(null, null, null), List.of("c0"),
                new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null, new double[] {0}, new double[] {1}),
                new PipelineConfig.Window(8, 4),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null, null, null),
                1.0, "big-m7", null, null, null).write(cfg);
        StringBuilder rows = new StringBuilder("c0\n");
        for (int i = 0; i < 40; i++) rows.append(i % 7).append('\n');
        Path csv = Files.writeString(tmp.resolve("normal.csv"), rows);
        Path out = tmp.resolve("calibrated.json");
        List<List<String>> commands = List.of(
                List.of("analyze", model.toString()),
                List.of("fit", model.toString(), "--board", "big-m7", "--boards", boards.toString()),
                List.of("fit", model.toString(), "--all-boards", "--boards", boards.toString()),
                List.of("export", model.toString(), "--board", "big-m7", "--boards", boards.toString(), "--out", tmp.resolve("fw").toString()),
                List.of("detect", "--config", cfg.toString(), "--boards", boards.toString(), "--input", csv.toString()),
                List.of("calibrate", "--config", cfg.toString(), "--boards", boards.toString(), "--input", csv.toString(), "--out", out.toString()));
        for (List<String> command : commands) {
            CliTest.Run r = run(command.toArray(String[]::new));
            assertEquals(1, r.code(), command + ": " + r.out() + r.err());
            for (String w : new String[] {"3200000", "arena bytes", "limit of", "--trusted"}) {
                assertTrue(r.err().contains(w), command + ": '" + w + "' not in " + r.err());
            }
            CliTest.Run trusted = run(concat(command, "--trusted"));
            assertEquals(0, trusted.code(), command + " --trusted: " + trusted.out() + trusted.err());
        }
        assertEquals(0.0, PipelineConfig.load(out).threshold(), "calibrate --trusted ran the exact reconstruction: every score 0");
    }

    /**
     * A 300-byte float TRANSPOSE_CONV from [1, 2, 2, 1] to [1, 1001, 1001, 1] (stride 1000, a 1x1 filter): a 4 MB
     * output, over the default arena limit for its size.
     */
    private static Path bigUpsampler(Path dir) throws Exception {
        ModelWriter b = new ModelWriter();
        int shape = b.addConstant("output_shape", DataType.INT32, new int[] {4}, null, ints(1, 1001, 1001, 1));
        int filter = b.addConstant("filter", DataType.FLOAT32, new int[] {1, 1, 1, 1}, null, ints(Float.floatToIntBits(0.5f)));
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1, 2, 2, 1}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {1, 1001, 1001, 1}, null);
        b.addOperator("TRANSPOSE_CONV", 1, new int[] {shape, filter, x}, new int[] {o}, "TransposeConvOptions",
                Map.of("padding", 1, "strideW", 1000, "strideH", 1000));
        return Files.write(dir.resolve("upsampler.tflite"), b.setInputs(x).setOutputs(o).build());
    }

    @Test
    void convertRefusesAFloatModelOverTheDefaultBudgetAndQuantizesItWithTrusted(@TempDir Path tmp) throws Exception {
        Path model = bigUpsampler(tmp);
        Path data = Files.writeString(tmp.resolve("data.csv"), "1,2,3,4\n-1,0.5,2,-3\n");
        Path out = tmp.resolve("int8.tflite");
        CliTest.Run r = run("convert", model.toString(), "--dataset", data.toString(), "--output", out.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        for (String w : new String[] {"4008004", "arena bytes", "limit of", "--trusted"}) {
            assertTrue(r.err().contains(w), "convert: '" + w + "' not in " + r.err());
        }
        CliTest.Run trusted = run("convert", model.toString(), "--dataset", data.toString(), "--output", out.toString(), "--trusted");
        assertEquals(0, trusted.code(), trusted.out() + trusted.err());
        assertTrue(Files.size(out) > 0, "the int8 model is written");
    }

    private static String[] concat(List<String> command, String option) {
        List<String> all = new java.util.ArrayList<>(command);
        all.add(option);
        return all.toArray(String[]::new);
    }
}
