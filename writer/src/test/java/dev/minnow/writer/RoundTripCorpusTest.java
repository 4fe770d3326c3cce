package dev.minnow.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every corpus model round-trips: {@code Model.load(write(Model.load(bytes)))} equals the first model (description,
 * schema version, operator codes, every subgraph's tensors with buffers and quantization, operators with options,
 * inputs and outputs, signatures, metadata), and the written model runs in the engine on every input set and
 * sequence of the case with the same output bytes (or the same rejection) as the original.
 */
class RoundTripCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCorpusModelRoundTrips() throws IOException {
        Path root = Corpus.root();
        List<Path> cases;
        try (Stream<Path> s = Files.walk(root)) {
            cases = s.filter(p -> p.getFileName().toString().equals("model.tflite")).map(Path::getParent).sorted().toList();
        }
        assertTrue(cases.size() > 1000, "corpus has only " + cases.size() + " models");
        int compared = 0, run = 0, sets = 0;
        List<String> failures = new ArrayList<>();
        for (Path dir : cases) {
            String rel = root.relativize(dir).toString();
            try {
                byte[] bytes = Files.readAllBytes(dir.resolve("model.tflite"));
                Model original = Model.load(bytes);
                byte[] written = ModelWriter.write(original);
                Model back = Model.load(written);
                assertSameModel(original, back, rel);
                compared++;
                sets += runBoth(dir, original, back, rel);
                run++;
            } catch (AssertionError | RuntimeException e) {
                failures.add(rel + ": " + e.getMessage());
            }
        }
        System.out.printf("round trip: %d models compared, %d run on %d input sets and sequences, %d failures%n", compared, run, sets, failures.size());
        if (!failures.isEmpty()) fail(failures.size() + " cases failed, first: " + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
    }

    static void assertSameModel(Model a, Model b, String what) {
        assertEquals(a.description(), b.description(), what + " description");
        assertEquals(a.schemaVersion(), b.schemaVersion(), what + " schema version");
        assertEquals(a.opCodes(), b.opCodes(), what + " operator codes");
        assertEquals(a.subgraphs().size(), b.subgraphs().size(), what + " subgraph count");
        for (int s = 0; s < a.subgraphs().size(); s++) {
            var x = a.subgraphs().get(s);
            var y = b.subgraphs().get(s);
            assertEquals(x.tensors().size(), y.tensors().size(), what + " subgraph " + s + " tensor count");
            for (int t = 0; t < x.tensors().size(); t++) {
                assertEquals(x.tensors().get(t), y.tensors().get(t), what + " subgraph " + s + " tensor " + t);
            }
            assertEquals(x.operators(), y.operators(), what + " subgraph " + s + " operators");
            assertEquals(x, y, what + " subgraph " + s);
        }
        assertEquals(a.signatureDefs(), b.signatureDefs(), what + " signatures");
        Map<String, byte[]> ma = a.metadata(), mb = b.metadata();
        assertEquals(ma.keySet(), mb.keySet(), what + " metadata names");
        for (String k : ma.keySet()) assertArrayEquals(ma.get(k), mb.get(k), what + " metadata " + k);
    }

    /** Runs both models on every input set of the case; returns the number of sets run. */
    private static int runBoth(Path dir, Model original, Model written, String rel) throws IOException {
        JsonNode c = JSON.readTree(dir.resolve("case.json").toFile());
        List<byte[][]> inputs = new ArrayList<>();
        for (JsonNode set : c.path("sets")) {
            List<byte[]> in = new ArrayList<>();
            for (JsonNode f : set.path("inputs")) in.add(Files.readAllBytes(dir.resolve(f.asText())));
            inputs.add(in.toArray(new byte[0][]));
        }
        List<String> a = outputs(original, inputs), b = outputs(written, inputs);
        assertEquals(a, b, rel + " outputs");
        int runs = inputs.size();
        for (JsonNode seq : c.path("sequences")) {
            int frames = seq.path("frames").asInt();
            List<byte[]> in = new ArrayList<>();
            for (JsonNode f : seq.path("inputs")) in.add(Files.readAllBytes(dir.resolve(f.asText())));
            assertEquals(sequence(original, in, frames), sequence(written, in, frames), rel + " sequence " + seq.path("id").asText());
            runs++;
        }
        return runs;
    }

    /** Outputs of {@code frames} invokes in a row on one interpreter, state carried over (FORMAT.md's sequences). */
    private static String sequence(Model m, List<byte[]> inputs, int frames) {
        Interpreter it = new Interpreter(m);
        StringBuilder sb = new StringBuilder();
        try {
            it.allocateTensors();
            for (int f = 0; f < frames; f++) {
                for (int k = 0; k < inputs.size(); k++) {
                    byte[] all = inputs.get(k);
                    int n = all.length / frames;
                    it.getInputTensor(k).copyFrom(Arrays.copyOfRange(all, f * n, (f + 1) * n));
                }
                it.invoke();
                for (int k = 0; k < it.getOutputTensorCount(); k++) sb.append(Base64.getEncoder().encodeToString(it.getOutputTensor(k).toByteArray())).append(' ');
            }
        } catch (RuntimeException e) {
            sb.append("rejected: ").append(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        }
        return sb.toString();
    }

    /** Every output's bytes (base64) per set, of every set, or the rejection message (a fresh state per set, as the corpus runs). */
    private static List<String> outputs(Model m, List<byte[][]> sets) {
        List<String> out = new ArrayList<>();
        Interpreter it = new Interpreter(m);
        try {
            it.allocateTensors();
        } catch (RuntimeException e) {
            out.add("rejected at allocation: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return out;
        }
        for (byte[][] set : sets) {
            it.reset();
            try {
                for (int k = 0; k < set.length; k++) it.getInputTensor(k).copyFrom(set[k]);
                it.invoke();
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < it.getOutputTensorCount(); k++) sb.append(Base64.getEncoder().encodeToString(it.getOutputTensor(k).toByteArray())).append(' ');
                out.add(sb.toString());
            } catch (RuntimeException e) {
                out.add("rejected at invoke: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        return out;
    }
}
