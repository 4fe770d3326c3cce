package dev.minnow.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the real TFLM interpreter ({@code tflm_run} of ../shared/tflm-reference, host x86-64 build at the corpus
 * commit) did with a suite of {@link TflmCase}s, kept as a JSON test resource ({@code /tflm/<suite>.json}) so that
 * tests compare minnow with TFLM without a TFLM build: per model the SHA-256 of its bytes (a model whose builder
 * changed must be recorded again), arena_used_bytes and the smallest arena AllocateTensors accepts (host64), and per
 * run the status and each output's bytes over all frames.
 */
public final class TflmRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run's result: "ok" with outputs, or "error" with the stage TFLM failed at. */
    public record RunResult(String status, String stage, List<byte[]> outputs) {
        public RunResult {
            outputs = List.copyOf(outputs);
        }
    }

    /** One model's results. */
    public record ModelResult(String name, String sha256, String status, Long arenaUsedBytes, Long minArenaBytes,
                              List<RunResult> runs) {
        public ModelResult {
            runs = List.copyOf(runs);
        }
    }

    private TflmRecords() {}

    /** The SHA-256 of a model, in hex. */
    public static String sha256(byte[] model) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(model));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The recorded results of {@code suite} from the test resources, by model name. */
    public static Map<String, ModelResult> load(String suite) {
        String resource = "/tflm/" + suite + ".json";
        try (InputStream in = TflmRecords.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no recorded TFLM results " + resource + " on the class path");
            JsonNode root = JSON.readTree(in);
            Map<String, ModelResult> out = new LinkedHashMap<>();
            for (JsonNode m : root.get("models")) {
                List<RunResult> runs = new ArrayList<>();
                for (JsonNode r : m.get("runs")) {
                    List<byte[]> outputs = new ArrayList<>();
                    for (JsonNode o : r.path("outputs")) outputs.add(HexFormat.of().parseHex(o.asText()));
                    runs.add(new RunResult(r.get("status").asText(), r.path("stage").asText(null), outputs));
                }
                ModelResult mr = new ModelResult(m.get("name").asText(), m.get("sha256").asText(), m.get("status").asText(),
                        m.path("arena_used_bytes").isNumber() ? m.get("arena_used_bytes").asLong() : null,
                        m.path("min_arena_bytes").isNumber() ? m.get("min_arena_bytes").asLong() : null, runs);
                out.put(mr.name(), mr);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code results} as the resource file of a suite. */
    public static void write(Path file, String suite, String tool, List<ModelResult> results) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("suite", suite);
        root.put("tflm", "tensorflow/tflite-micro 90b983c2b3f1480642e040bbd2ddb37b998f3424, reference kernels, host x86-64 release");
        root.put("tool", tool);
        ArrayNode models = root.putArray("models");
        for (ModelResult m : results) {
            ObjectNode o = models.addObject();
            o.put("name", m.name());
            o.put("sha256", m.sha256());
            o.put("status", m.status());
            if (m.arenaUsedBytes() != null) o.put("arena_used_bytes", m.arenaUsedBytes());
            if (m.minArenaBytes() != null) o.put("min_arena_bytes", m.minArenaBytes());
            ArrayNode runs = o.putArray("runs");
            for (RunResult r : m.runs()) {
                ObjectNode ro = runs.addObject();
                ro.put("status", r.status());
                if (r.stage() != null) ro.put("stage", r.stage());
                ArrayNode outs = ro.putArray("outputs");
                for (byte[] b : r.outputs()) outs.add(HexFormat.of().formatHex(b));
            }
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
    }
}
