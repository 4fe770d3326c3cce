package dev.minnow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.SubgraphInfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import static dev.minnow.cli.CliTest.model;
import static dev.minnow.cli.CliTest.run;
import static dev.minnow.cli.RunCommandTest.expectUsage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code minnow convert}: a JSON network or float .tflite plus a dataset in, an int8 model and the agreement report out. */
class ConvertCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;
    Path net, data;

    /** A small dense autoencoder 8-4-8 with seeded weights and 60 calibration samples (with a header line). */
    @BeforeEach
    void network() throws Exception {
        Random rnd = new Random(7);
        net = Files.writeString(tmp.resolve("ae.json"), "{\"name\": \"tiny_ae\", \"input_shape\": [8], \"layers\": ["
                + "{\"type\": \"Dense\", \"units\": 4, \"activation\": \"relu\", \"kernel\": " + matrix(rnd, 8, 4) + ", \"bias\": [0, 0.1, 0, 0]},"
                + "{\"type\": \"Dropout\", \"rate\": 0.2},"
                + "{\"type\": \"Dense\", \"units\": 8, \"kernel\": " + matrix(rnd, 4, 8) + ", \"bias\": [0, 0, 0, 0, 0, 0, 0, 0.05]}]}");
        StringBuilder csv = new StringBuilder("f0,f1,f2,f3,f4,f5,f6,f7\n");
        for (int s = 0; s < 60; s++) {
            for (int i = 0; i < 8; i++) csv.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", rnd.nextGaussian()));
            csv.append('\n');
        }
        data = Files.writeString(tmp.resolve("calibration.csv"), csv);
    }

    private static String matrix(Random rnd, int rows, int cols) {
        StringBuilder sb = new StringBuilder("[");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ", [");
            for (int c = 0; c < cols; c++) sb.append(c == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", rnd.nextDouble() - 0.5));
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    @Test
    void writesTheInt8ModelAndPrintsTheAgreementReport() throws Exception {
        Path out = tmp.resolve("ae_int8.tflite"), flt = tmp.resolve("ae_float.tflite");
        CliTest.Run r = run("convert", net.toString(), "--dataset", data.toString(), "--output", out.toString(),
                "--float-output=" + flt, "--detector-threshold=0.5");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("float vs int8 over 60 samples\n  StatefulPartitionedCall:0: max |err| "), r.out());
        assertTrue(r.out().contains("detector at threshold 0.500000: "), r.out());
        assertTrue(r.out().contains("wrote " + out + " (" + Files.size(out) + " bytes: int8, float32 input, float32 output)"), r.out());
        Model q = Model.load(out), f = Model.load(flt);
        assertEquals(DataType.FLOAT32, edge(q, true));
        assertTrue(q.opCodes().stream().anyMatch(c -> c.displayName().equals("QUANTIZE")), q.opCodes().toString());
        assertEquals("tiny_ae", f.description());
        CliTest.Run info = run("info", out.toString());
        assertEquals(0, info.code(), "the written model allocates: " + info.err());
    }

    @Test
    void int8EdgesAndJson() throws Exception {
        Path flt = tmp.resolve("ae.tflite"), out = tmp.resolve("ae_int8io.tflite");
        assertEquals(0, run("convert", net.toString(), "-d", data.toString(), "-o", tmp.resolve("x.tflite").toString(),
                "--float-output", flt.toString()).code());
        CliTest.Run r = run("convert", flt.toString(), "-d", data.toString(), "-o", out.toString(), "--input-type", "int8",
                "--output-type=int8", "--per-tensor-dense", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(60, j.get("samples").asInt());
        assertEquals("int8", j.get("inputType").asText());
        assertFalse(j.get("perChannelDense").asBoolean());
        assertEquals(Files.size(out), j.get("bytes").asLong());
        JsonNode o = j.get("outputs").get(0);
        assertEquals(480, o.get("elements").asInt());
        assertTrue(o.get("maxAbsError").asDouble() <= 2 * o.get("outputScale").asDouble() + 1e-6, o.toString());
        assertTrue(j.get("decisions").isNull());
        Model q = Model.load(out);
        assertEquals(DataType.INT8, edge(q, true));
        assertEquals(DataType.INT8, edge(q, false));
    }

    private static DataType edge(Model m, boolean input) {
        SubgraphInfo g = m.mainSubgraph();
        return g.tensor(input ? g.inputs()[0] : g.outputs()[0]).type();
    }

    @Test
    void errorsNameTheFileAndTheProblem() throws Exception {
        String out = tmp.resolve("out.tflite").toString();
        expectUsage(run("convert", net.toString(), "-d", tmp.resolve("absent.csv").toString(), "-o", out), "absent.csv: not found");
        expectUsage(run("convert", tmp.resolve("absent.json").toString(), "-d", data.toString(), "-o", out), "absent.json: not found");
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "1,2,3\n");
        expectUsage(run("convert", net.toString(), "-d", bad.toString(), "-o", out), "bad.csv line 1: 3 values, the model input takes 8");
        Path raw = Files.write(tmp.resolve("odd.bin"), new byte[33]);
        expectUsage(run("convert", net.toString(), "-d", raw.toString(), "-o", out),
                "odd.bin: 33 bytes is not a whole number of 8-value float32 samples (32 bytes each)");
        Path typo = Files.writeString(tmp.resolve("typo.json"), "{\"input_shape\": [8], \"layers\": [{\"type\": \"Dense\", \"kernal\": [[1]]}]}");
        expectUsage(run("convert", typo.toString(), "-d", data.toString(), "-o", out), "typo.json.layers[0]: unknown key 'kernal'");
        Path cut = Files.writeString(tmp.resolve("cut.json"), "{\"input_shape\": [8], \"layers\": [");
        expectUsage(run("convert", cut.toString(), "-d", data.toString(), "-o", out), "cut.json: not valid JSON");
        expectUsage(run("convert", net.toString(), "-d", data.toString(), "-o", net.toString()), "--output " + net + " is the source");
        expectUsage(run("convert", net.toString(), "-d", data.toString()), "Missing required option: '--output=OUT'");
        expectUsage(run("convert", net.toString(), "-d", data.toString(), "-o", out, "--input-type", "int16"), "'int16' is not float32 or int8");
        expectUsage(run("convert", net.toString(), "-d", data.toString(), "-o", tmp.resolve("no/such/dir/x.tflite").toString()), "does not exist");
        expectUsage(run("convert", net.toString(), "-d", data.toString(), "-o", out, "--detector-threshold", "NaN"),
                "--detector-threshold must be a finite number");
        Path narrow = Files.writeString(tmp.resolve("narrow.json"), "{\"input_shape\": [8], \"layers\": [{\"type\": \"Dense\", "
                + "\"kernel\": " + matrix(new Random(1), 8, 2) + ", \"bias\": [0, 0]}]}");
        expectUsage(run("convert", narrow.toString(), "-d", data.toString(), "-o", out, "--detector-threshold", "0.5"),
                "narrow.json maps 8 input values to 2 output values");
        assertFalse(Files.exists(Path.of(out)), "nothing written on errors");
    }

    @Test
    void modelsTheQuantizerCannotHandleExitOne() {
        CliTest.Run r = run("convert", model("models/tflm-hello_world_int8").toString(), "-d", data.toString(), "-o",
                tmp.resolve("x.tflite").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("hello_world_int8/model.tflite: cannot be quantized: model input (tensor 0 'serving_default_dense_input:0') is not a float32 activation"), r.err());
        CliTest.Run dense = run("convert", model("models/tflm-hello_world_float").toString(), "-d", data.toString(), "-o",
                tmp.resolve("y.tflite").toString());
        assertEquals(2, dense.code(), "hello_world takes 1 value per sample, the CSV has 8: " + dense.err());
        assertTrue(dense.err().contains("calibration.csv line 2: 8 values, the model input takes 1"), dense.err());
    }
}
