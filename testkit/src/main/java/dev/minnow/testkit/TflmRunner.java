package dev.minnow.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link TflmCase}s through the real TFLM with {@code tflm_run} (built by ../shared/tflm-reference/build.sh)
 * and collects {@link TflmRecords.ModelResult}s. Only the recording tests use it; the results are kept as resources.
 */
public final class TflmRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path tool;
    private final Path work;

    /** A runner of {@code tool} that keeps models, inputs and outputs under {@code work}. */
    public TflmRunner(Path tool, Path work) {
        if (!Files.isExecutable(tool)) throw new IllegalArgumentException("tflm_run is not executable: " + tool);
        this.tool = tool;
        this.work = work;
    }

    /** Runs every run of {@code c} and finds TFLM's minimum arena. */
    public TflmRecords.ModelResult run(TflmCase c) throws IOException, InterruptedException {
        Path dir = work.resolve(c.name());
        Files.createDirectories(dir);
        Path model = dir.resolve("model.tflite");
        Files.write(model, c.model());
        JsonNode arena = exec(List.of(tool.toString(), "--arena-only", model.toString()));
        String status = arena.path("status").asText();
        Long used = arena.path("arena_used_bytes").isNumber() && arena.get("arena_used_bytes").asLong() >= 0
                ? arena.get("arena_used_bytes").asLong() : null;
        Long min = arena.path("min_arena_bytes").isNumber() ? arena.get("min_arena_bytes").asLong() : null;
        List<TflmRecords.RunResult> runs = new ArrayList<>();
        for (int r = 0; r < c.runs().size(); r++) {
            TflmCase.Run run = c.runs().get(r);
            Path rd = dir.resolve("run_" + r);
            Files.createDirectories(rd);
            List<String> cmd = new ArrayList<>(List.of(tool.toString(), "--seq", Integer.toString(run.frames()), model.toString(), rd.toString()));
            for (int k = 0; k < run.inputs().size(); k++) {
                Path in = rd.resolve("input_" + k + ".bin");
                Files.write(in, run.inputs().get(k));
                cmd.add(in.toString());
            }
            JsonNode res = exec(cmd);
            List<byte[]> outputs = new ArrayList<>();
            if ("ok".equals(res.path("status").asText())) {
                for (JsonNode o : res.get("outputs")) outputs.add(Files.readAllBytes(rd.resolve("output_" + o.get("index").asInt() + ".bin")));
            }
            runs.add(new TflmRecords.RunResult(res.path("status").asText(), res.path("stage").asText(null), outputs));
        }
        return new TflmRecords.ModelResult(c.name(), TflmRecords.sha256(c.model()), status, used, min, runs);
    }

    private static JsonNode exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("tflm_run timed out: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8).strip();
        if (p.exitValue() >= 128 && !text.endsWith("}")) {
            // killed by a signal (TFLM crashed): recorded as such, the stage unknown
            return JSON.readTree("{\"status\":\"crash\",\"signal\":" + (p.exitValue() - 128) + "}");
        }
        String last = text.substring(text.lastIndexOf('\n') + 1);
        try {
            return JSON.readTree(last);
        } catch (IOException e) {
            throw new IOException("tflm_run printed no JSON line (" + cmd + "): " + text, e);
        }
    }
}
