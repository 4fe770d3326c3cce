package dev.minnow.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.writer.quant.QuantMath;
import dev.minnow.writer.quant.Quantizer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The written models in the real TFLM: every model of {@link ArchitecturesTest} (float, int8 with float I/O, int8
 * with int8 I/O, int8 with per-tensor FULLY_CONNECTED weights) runs through TFLM's reference interpreter ({@code tflm_run} built by
 * ../shared/tflm-reference/build.sh at the corpus commit) on held-out inputs, and its output bytes must equal
 * minnow's. Needs the TFLM build, so it runs only in the {@code tflm} profile:
 * {@code mvn -pl writer test -Ptflm -Dtflm.run=/work/tflm/bin/tflm_run}. The models, inputs, both outputs and a
 * report stay in writer/target/tflm-check.
 */
@Tag("tflm")
class TflmCheckTest {
    private static final int SAMPLES = 5;

    @Test
    void writtenModelsRunUnchangedInTflm() throws Exception {
        String tool = System.getProperty("tflm.run");
        if (tool == null || !Files.isExecutable(Path.of(tool))) fail("set -Dtflm.run to the tflm_run binary (got " + tool + ")");
        Path root = Path.of("target", "tflm-check");
        Files.createDirectories(root);
        List<String> lines = new ArrayList<>();
        lines.add("| model | variant | input sets | outputs identical | TFLM arena_used_bytes | minnow host64 arena |");
        lines.add("|---|---|---|---|---|---|");
        int models = 0, runs = 0, identical = 0;
        List<String> failures = new ArrayList<>();
        for (ArchitecturesTest.Case c : ArchitecturesTest.cases()) {
            Model fm = Model.load(c.floatModel());
            byte[][] variants = {c.floatModel(),
                    Quantizer.quantize(fm, c.calibration(), new Quantizer.Options(DataType.FLOAT32, DataType.FLOAT32, true)).model(),
                    Quantizer.quantize(fm, c.calibration(), new Quantizer.Options(DataType.INT8, DataType.INT8, true)).model(),
                    Quantizer.quantize(fm, c.calibration(), new Quantizer.Options(DataType.FLOAT32, DataType.FLOAT32, false)).model()};
            String[] names = {"float32", "int8 (float32 I/O)", "int8 (int8 I/O)", "int8, per-tensor dense weights"};
            for (int v = 0; v < variants.length; v++) {
                Path dir = root.resolve(c.name() + "_" + v);
                Files.createDirectories(dir);
                Path model = dir.resolve("model.tflite");
                Files.write(model, variants[v]);
                Model m = Model.load(variants[v]);
                Interpreter it = new Interpreter(m, new InterpreterOptions().setTarget(Target.HOST64));
                it.allocateTensors();
                int same = 0;
                long tflmArena = -1;
                for (int s = 0; s < SAMPLES; s++) {
                    Path in = dir.resolve("input_" + s + ".bin");
                    Files.write(in, inputBytes(it.getInputTensor(0), c.heldOut()[s]));
                    it.reset();
                    it.getInputTensor(0).copyFrom(Files.readAllBytes(in));
                    it.invoke();
                    byte[] minnow = it.getOutputTensor(0).toByteArray();
                    Files.write(dir.resolve("minnow_output_" + s + ".bin"), minnow);
                    Path out = dir.resolve("tflm_" + s);
                    Files.createDirectories(out);
                    JsonNode status = run(tool, model, out, in);
                    runs++;
                    if (!"ok".equals(status.path("status").asText())) {
                        failures.add(c.name() + " " + names[v] + ": TFLM " + status);
                        continue;
                    }
                    tflmArena = status.path("arena_used_bytes").asLong();
                    byte[] tflm = Files.readAllBytes(out.resolve("output_0.bin"));
                    if (Arrays.equals(minnow, tflm)) {
                        same++;
                        identical++;
                    } else {
                        failures.add(c.name() + " " + names[v] + " sample " + s + ": outputs differ");
                    }
                }
                models++;
                lines.add("| " + c.name() + " | " + names[v] + " | " + SAMPLES + " | " + same + " of " + SAMPLES + " | " + tflmArena
                        + " | " + it.arenaUsedBytes() + " |");
            }
        }
        lines.add("");
        lines.add(models + " models, " + runs + " TFLM runs, " + identical + " with byte-identical outputs");
        Files.write(root.resolve("report.md"), lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
        assertEquals(List.of(), failures);
        assertTrue(identical == runs && runs == models * SAMPLES);
    }

    /** The sample as the model input's bytes: float32, or int8 quantized with the input's parameters. */
    private static byte[] inputBytes(Tensor in, float[] x) {
        if (in.dataType() == DataType.FLOAT32) return LeArrays.floats(x);
        byte[] q = new byte[x.length];
        for (int i = 0; i < x.length; i++) q[i] = (byte) Math.max(-128, Math.min(127, QuantMath.roundHalfAway(x[i] / in.scale()) + in.zeroPoint()));
        return q;
    }

    private static JsonNode run(String tool, Path model, Path outDir, Path input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(tool, model.toString(), outDir.toString(), input.toString()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("tflm_run timed out on " + model);
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        String last = text.substring(text.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }
}
