package dev.minnow.streams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.emulator.detect.PipelineConfig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Objects;

/**
 * What one device group runs: the pipeline config (channels, normalisation, window, score, threshold) and the model
 * file's bytes. The value of the detectors topic, keyed by group id, as JSON: {@code {"config": {...}, "model":
 * "<base64 of the .tflite>"}}; the config has the pipeline-config schema of the emulator.
 *
 * @param config the pipeline config (its {@code model} field is ignored: the model travels with it)
 * @param model  the .tflite file
 */
public record DetectorSpec(PipelineConfig config, byte[] model) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** The JSON form on the topic. */
    private record Wire(PipelineConfig config, String model) {}

    public DetectorSpec {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(model, "model");
    }

    /** Reads the topic's JSON; a malformed value fails with a message naming the problem. */
    public static DetectorSpec parse(byte[] json) {
        Wire w;
        try {
            // the config parser gives line and column for its own errors
            var tree = JSON.readTree(json);
            if (tree == null || !tree.isObject()) throw new IllegalArgumentException("detector spec is not a JSON object");
            for (var it = tree.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("config") && !f.equals("model")) {
                    throw new IllegalArgumentException("detector spec has an unknown field '" + f + "' (config, model)");
                }
            }
            if (!tree.path("config").isObject()) throw new IllegalArgumentException("detector spec has no config object");
            if (!tree.path("model").isTextual()) throw new IllegalArgumentException("detector spec has no model (base64 text)");
            PipelineConfig cfg = PipelineConfig.parse(new ByteArrayInputStream(JSON.writeValueAsBytes(tree.get("config"))), "config");
            w = new Wire(cfg, tree.get("model").asText());
        } catch (IOException e) {
            throw new IllegalArgumentException("detector spec is not valid JSON: " + e.getMessage(), e);
        }
        byte[] model;
        try {
            model = Base64.getDecoder().decode(w.model());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("detector spec's model is not base64: " + e.getMessage(), e);
        }
        return new DetectorSpec(w.config(), model);
    }

    /** The topic's JSON. */
    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(new Wire(config, Base64.getEncoder().encodeToString(model)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a detector spec", e);
        }
    }
}
