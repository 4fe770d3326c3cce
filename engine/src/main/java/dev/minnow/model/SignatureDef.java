package dev.minnow.model;

import java.util.Map;

/**
 * A signature of the model (a named entry point from the original SavedModel): which subgraph it runs and the
 * alias of each of its input and output tensors.
 *
 * @param key           the signature key, e.g. "serving_default"
 * @param subgraphIndex the subgraph it runs
 * @param inputs        input alias to tensor index in that subgraph, in model order
 * @param outputs       output alias to tensor index in that subgraph, in model order
 */
public record SignatureDef(String key, int subgraphIndex, Map<String, Integer> inputs, Map<String, Integer> outputs) {
    /** Copies the maps, keeping their order. */
    public SignatureDef {
        inputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputs));
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
    }
}
