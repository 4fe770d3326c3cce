package dev.minnow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.conformance.CorpusCase;
import dev.minnow.ops.Ops;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.minnow.cli.CliTest.model;
import static dev.minnow.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code minnow info}: the model's edges, ops and their support, sizes, metadata, signatures and allocation. */
class InfoCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void describesAQuantizedModel() throws Exception {
        Path m = model("models/tflm-hello_world_int8");
        CorpusCase c = CorpusCase.read(m.getParent());
        CliTest.Run r = run("info", m.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("#0 'serving_default_dense_input:0' int8 [1, 1] (signature [-1, 1])  scale 0.024480116, zero point -128"), out);
        assertTrue(out.contains("FULLY_CONNECTED              v4      3  supported"), out);
        assertTrue(out.contains("min_runtime_version          16 bytes  \"1.14.0\""), out);
        assertTrue(out.contains("serving_default (subgraph 0)"), out);
        assertTrue(out.contains("input  dense_input          -> #0 'serving_default_dense_input:0'"), out);
        assertTrue(out.contains("tensors        10"), out);
        assertTrue(out.contains("allocation     ok on mcu32: arena used " + c.arena().mcu32() + " bytes, minimum arena " + c.arena().minMcu32()), out);
        assertEquals("", r.err());
    }

    @Test
    void jsonCarriesTheSameFacts() throws Exception {
        Path m = model("models/tflm-hello_world_int8");
        CorpusCase c = CorpusCase.read(m.getParent());
        CliTest.Run r = run("info", "--json", "--target=host64", m.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = JSON.readTree(r.out());
        JsonNode in = j.get("inputs").get(0);
        assertEquals("int8", in.get("type").asText());
        assertEquals("[1,1]", in.get("shape").toString());
        assertEquals(-128, in.get("quantization").get("zeroPoints").get(0).asInt());
        assertEquals((float) c.inputs().get(0).scale()[0], (float) in.get("quantization").get("scales").get(0).asDouble());
        assertEquals(9, j.get("outputs").get(0).get("index").asInt());
        JsonNode op = j.get("operators").get(0);
        assertEquals("FULLY_CONNECTED", op.get("name").asText());
        assertEquals(4, op.get("version").asInt());
        assertEquals(3, op.get("nodes").asInt());
        assertTrue(op.get("supported").asBoolean());
        assertEquals(10, j.get("tensorCount").asInt());
        assertEquals(Files.size(m), j.get("sizeBytes").asLong());
        assertTrue(j.get("constantBytes").asLong() > 0 && j.get("constantBytes").asLong() < Files.size(m));
        assertEquals("1.14.0", j.get("metadata").get(0).get("text").asText());
        assertEquals(9, j.get("signatures").get(0).get("outputs").get("dense_2").asInt());
        assertEquals("host64", j.get("allocation").get("target").asText());
        assertEquals((long) c.arena().host64(), j.get("allocation").get("usedBytes").asLong());
    }

    @Test
    void anUnsupportedOpIsNamedAndTheModelFailsWithExitOne() throws Exception {
        Path vela = model("models/tflm-person_detect_vela");
        CliTest.Run r = run("info", vela.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("CUSTOM:ethos-u               v1      1  NOT SUPPORTED: minnow has no kernel for the custom op 'ethos-u'"), r.out());
        assertTrue(r.out().contains("allocation     FAILS on mcu32: operator CUSTOM:ethos-u version 1 (node 0) is not supported"), r.out());
        assertTrue(r.err().contains("person_detect_vela/model.tflite: the model cannot be allocated on mcu32: operator CUSTOM:ethos-u"), r.err());
        JsonNode j = JSON.readTree(run("info", "--json", vela.toString()).out());
        assertFalse(j.get("operators").get(0).get("supported").asBoolean());
        assertFalse(j.get("allocation").get("ok").asBoolean());
        assertTrue(j.get("allocation").get("error").asText().contains("CUSTOM:ethos-u"));
    }

    @Test
    void aCheckTflmMakesInPrepareIsNamed() {
        Path toyCar = model("models/mlperftiny-ad_model_ToyCar_quant");
        CliTest.Run r = run("info", toyCar.toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FULLY_CONNECTED") && r.out().contains("supported"), r.out());
        assertTrue(r.err().contains("FULLY_CONNECTED (node 0): Input type: FLOAT32 with filter type: INT8 not supported"), r.err());
    }

    /** Every real model and detector of the corpus: exit 1 exactly for the ones TFLM cannot allocate, TFLM's arena bytes otherwise. */
    @Test
    void agreesWithTflmOnEveryCorpusModel() throws Exception {
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (CorpusCase c : Corpus.cases()) {
            if ("ops".equals(c.group())) continue;
            n++;
            boolean rejects = c.expectsError() && !"invoke".equals(c.stage());
            // TFLM finds some problems only at invoke; the engine may already refuse those at allocation
            boolean either = c.expectsError() && "invoke".equals(c.stage());
            CliTest.Run r = run("info", "--json", c.model().toString());
            JsonNode j = JSON.readTree(r.out());
            if (r.code() != (rejects ? 1 : 0) && !(either && r.code() == 1)) {
                wrong.add(c.dir() + ": exit " + r.code() + " " + r.err());
                continue;
            }
            // TFLM records no arena and no tensors for the models it rejects
            if (c.expectsError()) continue;
            if (c.arena() != null && c.arena().mcu32() != null && c.arena().mcu32() != j.get("allocation").get("usedBytes").asLong()) {
                wrong.add(c.dir() + ": used " + j.get("allocation").get("usedBytes") + ", TFLM " + c.arena().mcu32());
            } else if (j.get("inputs").size() != c.inputs().size() || j.get("outputs").size() != c.outputs().size()) {
                wrong.add(c.dir() + ": " + j.get("inputs").size() + " inputs, " + j.get("outputs").size() + " outputs");
            }
        }
        assertTrue(n > 100, n + " models");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + n + ":\n" + String.join("\n", wrong));
    }

    @Test
    void opsListsEveryOperatorOfTheOpTable() throws Exception {
        CliTest.Run r = run("info", "--ops");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\n  9       FULLY_CONNECTED\n"), r.out());
        assertTrue(r.out().contains("\n  custom  CUSTOM:SignalRfft\n"), r.out());
        assertFalse(r.out().contains("CUSTOM:ethos-u"), r.out());
        JsonNode j = JSON.readTree(run("info", "--ops", "--json").out());
        assertEquals(Ops.all().size(), j.size());
        List<String> names = new ArrayList<>();
        j.forEach(o -> names.add(o.get("name").asText()));
        assertEquals(new java.util.TreeSet<>(Ops.all().keySet()), new java.util.TreeSet<>(names));
        long custom = names.stream().filter(n -> n.startsWith("CUSTOM:")).count();
        assertTrue(r.out().startsWith((names.size() - custom) + " builtin and " + custom + " custom operators"), r.out());
        // the same support verdict as a model's report
        JsonNode hello = JSON.readTree(run("info", "--json", model("models/tflm-hello_world_int8").toString()).out());
        assertTrue(names.contains(hello.get("operators").get(0).get("name").asText()));

        CliTest.Run both = run("info", "--ops", model("models/tflm-hello_world_int8").toString());
        assertEquals(2, both.code());
        assertTrue(both.err().contains("takes no MODEL"), both.err());
        CliTest.Run neither = run("info");
        assertEquals(2, neither.code());
        assertTrue(neither.err().contains("give a MODEL to describe, or --ops"), neither.err());
    }

    @Test
    void badPathsAreNamed(@TempDir Path tmp) throws Exception {
        CliTest.Run missing = run("info", tmp.resolve("absent.tflite").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("absent.tflite: not found"), missing.err());
        CliTest.Run dir = run("info", tmp.toString());
        assertEquals(2, dir.code());
        assertTrue(dir.err().contains(tmp + ": is a directory"), dir.err());
        Path junk = Files.write(tmp.resolve("junk.tflite"), "TFL3 but not really".getBytes());
        CliTest.Run bad = run("info", junk.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("junk.tflite: not a valid .tflite model"), bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());
    }
}
