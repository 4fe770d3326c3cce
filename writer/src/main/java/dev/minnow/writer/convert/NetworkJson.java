package dev.minnow.writer.convert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.Dropout;
import dev.minnow.writer.network.Flatten;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;
import dev.minnow.writer.network.Reshape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads and writes a {@link FloatNetwork} as JSON (the format is documented in writer/README.md): Keras layer class
 * names as {@code "type"}, Keras's config keys in snake case, weights as nested arrays in Keras's layouts. Reading
 * is strict: unknown keys, missing weights, ragged arrays, non-finite numbers and inconsistent sizes are errors
 * that name the JSON path and the numbers.
 */
public final class NetworkJson {
    /** Floats parsed exactly (decimal to float32 in one rounding), so written networks read back bit for bit. */
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private NetworkJson() {}

    /** Reads a network from a JSON file. */
    public static FloatNetwork read(Path file) throws IOException {
        try {
            return parse(MAPPER.readTree(file.toFile()), file.getFileName().toString());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), e);
        }
    }

    /** Reads a network from JSON text. */
    public static FloatNetwork parse(String json) {
        try {
            return parse(MAPPER.readTree(json), "network");
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Writes a network as JSON text. */
    public static String write(FloatNetwork net) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", net.name());
        ArrayNode shape = root.putArray("input_shape");
        for (int d : net.inputShape()) shape.add(d);
        ArrayNode layers = root.putArray("layers");
        for (Layer l : net.layers()) {
            ObjectNode o = layers.addObject();
            if (l instanceof Dense d) {
                o.put("type", "Dense");
                o.put("units", d.units());
                o.put("activation", d.activation().kerasName());
                o.set("kernel", matrix(d.kernel()));
                o.set("bias", vector(d.bias()));
            } else if (l instanceof Lstm m) {
                o.put("type", "LSTM");
                o.put("units", m.units());
                o.put("return_sequences", m.returnSequences());
                o.set("kernel", matrix(m.kernel()));
                o.set("recurrent_kernel", matrix(m.recurrentKernel()));
                o.set("bias", vector(m.bias()));
            } else if (l instanceof Conv1D c) {
                o.put("type", "Conv1D");
                o.put("filters", c.filters());
                o.put("kernel_size", c.kernelSize());
                o.put("strides", c.stride());
                o.put("dilation_rate", c.dilation());
                o.put("padding", c.padding().name().toLowerCase(Locale.ROOT));
                o.put("activation", c.activation().kerasName());
                o.set("kernel", cube(c.kernel()));
                o.set("bias", vector(c.bias()));
            } else if (l instanceof Conv1DTranspose c) {
                o.put("type", "Conv1DTranspose");
                o.put("filters", c.filters());
                o.put("kernel_size", c.kernelSize());
                o.put("strides", c.stride());
                o.put("padding", c.padding().name().toLowerCase(Locale.ROOT));
                o.put("activation", c.activation().kerasName());
                o.set("kernel", cube(c.kernel()));
                o.set("bias", vector(c.bias()));
            } else if (l instanceof Dropout d) {
                o.put("type", "Dropout");
                o.put("rate", d.rate());
            } else if (l instanceof Flatten) {
                o.put("type", "Flatten");
            } else if (l instanceof Reshape r) {
                o.put("type", "Reshape");
                ArrayNode t = o.putArray("target_shape");
                for (int d : r.targetShape()) t.add(d);
            }
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- reading ----

    private static FloatNetwork parse(JsonNode root, String where) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException(where + ": the network must be a JSON object");
        keys(root, where, Set.of("name", "input_shape", "layers", "format"));
        String name = root.has("name") ? text(root.get("name"), where + ".name") : "network";
        int[] inputShape = ints(required(root, "input_shape", where), where + ".input_shape");
        JsonNode layersNode = required(root, "layers", where);
        if (!layersNode.isArray()) throw new IllegalArgumentException(where + ".layers must be an array");
        List<Layer> layers = new ArrayList<>();
        int[] shape = inputShape.clone();
        for (int i = 0; i < layersNode.size(); i++) {
            String w = where + ".layers[" + i + "]";
            Layer l;
            try {
                l = layer(layersNode.get(i), w);
                shape = l.outputShape(shape);
            } catch (IllegalArgumentException e) {
                if (e.getMessage().startsWith(w)) throw e;
                throw new IllegalArgumentException(w + ": " + e.getMessage(), e);
            }
            layers.add(l);
        }
        try {
            return new FloatNetwork(name, inputShape, layers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static Layer layer(JsonNode n, String w) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException(w + " must be an object");
        String type = text(required(n, "type", w), w + ".type");
        switch (type) {
            case "Dense" -> {
                keys(n, w, Set.of("type", "name", "units", "activation", "kernel", "bias"));
                float[][] k = matrix(required(n, "kernel", w), w + ".kernel");
                checkSize(n, "units", k[0].length, w);
                return new Dense(k, floats(required(n, "bias", w), w + ".bias"), activation(n, w));
            }
            case "LSTM" -> {
                keys(n, w, Set.of("type", "name", "units", "return_sequences", "kernel", "recurrent_kernel", "bias"));
                float[][] k = matrix(required(n, "kernel", w), w + ".kernel");
                checkSize(n, "units", k[0].length / 4, w);
                return new Lstm(k, matrix(required(n, "recurrent_kernel", w), w + ".recurrent_kernel"),
                        floats(required(n, "bias", w), w + ".bias"), bool(n, "return_sequences", false, w));
            }
            case "Conv1D" -> {
                keys(n, w, Set.of("type", "name", "filters", "kernel_size", "strides", "dilation_rate", "padding", "activation", "kernel", "bias"));
                float[][][] k = cube(required(n, "kernel", w), w + ".kernel");
                checkSize(n, "kernel_size", k.length, w);
                checkSize(n, "filters", k[0][0].length, w);
                return new Conv1D(k, floats(required(n, "bias", w), w + ".bias"), integer(n, "strides", 1, w),
                        integer(n, "dilation_rate", 1, w), padding(n, w), activation(n, w));
            }
            case "Conv1DTranspose" -> {
                keys(n, w, Set.of("type", "name", "filters", "kernel_size", "strides", "padding", "activation", "kernel", "bias"));
                float[][][] k = cube(required(n, "kernel", w), w + ".kernel");
                checkSize(n, "kernel_size", k.length, w);
                checkSize(n, "filters", k[0].length, w);
                return new Conv1DTranspose(k, floats(required(n, "bias", w), w + ".bias"), integer(n, "strides", 1, w),
                        padding(n, w), activation(n, w));
            }
            case "Dropout" -> {
                keys(n, w, Set.of("type", "name", "rate"));
                JsonNode r = required(n, "rate", w);
                if (!r.isNumber()) throw new IllegalArgumentException(w + ".rate must be a number");
                return new Dropout(r.floatValue());
            }
            case "Flatten" -> {
                keys(n, w, Set.of("type", "name"));
                return new Flatten();
            }
            case "Reshape" -> {
                keys(n, w, Set.of("type", "name", "target_shape"));
                return new Reshape(ints(required(n, "target_shape", w), w + ".target_shape"));
            }
            default -> throw new IllegalArgumentException(w + ".type '" + type
                    + "' is not a supported layer (Dense, LSTM, Conv1D, Conv1DTranspose, Dropout, Flatten, Reshape)");
        }
    }

    private static void keys(JsonNode n, String w, Set<String> allowed) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) throw new IllegalArgumentException(w + ": unknown key '" + k + "' (allowed: " + new java.util.TreeSet<>(allowed) + ")");
        }
    }

    private static JsonNode required(JsonNode n, String key, String w) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) throw new IllegalArgumentException(w + " has no '" + key + "'");
        return v;
    }

    private static String text(JsonNode n, String w) {
        if (!n.isTextual()) throw new IllegalArgumentException(w + " must be a string");
        return n.asText();
    }

    private static Activation activation(JsonNode n, String w) {
        if (!n.has("activation")) return Activation.LINEAR;
        try {
            return Activation.fromKeras(text(n.get("activation"), w + ".activation"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(w + ".activation: " + e.getMessage(), e);
        }
    }

    private static Padding padding(JsonNode n, String w) {
        if (!n.has("padding")) return Padding.VALID;
        String p = text(n.get("padding"), w + ".padding");
        return switch (p) {
            case "same" -> Padding.SAME;
            case "valid" -> Padding.VALID;
            default -> throw new IllegalArgumentException(w + ".padding '" + p + "' is not 'same' or 'valid'");
        };
    }

    private static int integer(JsonNode n, String key, int dflt, String w) {
        JsonNode v = n.get(key);
        if (v == null) return dflt;
        if (v.isArray() && v.size() == 1) v = v.get(0);   // Keras writes strides and dilation_rate as 1-tuples
        if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new IllegalArgumentException(w + "." + key + " must be an integer, got " + v);
        return v.intValue();
    }

    private static boolean bool(JsonNode n, String key, boolean dflt, String w) {
        JsonNode v = n.get(key);
        if (v == null) return dflt;
        if (!v.isBoolean()) throw new IllegalArgumentException(w + "." + key + " must be true or false, got " + v);
        return v.booleanValue();
    }

    private static void checkSize(JsonNode n, String key, int actual, String w) {
        if (!n.has(key)) return;
        int v = integer(n, key, -1, w);
        if (v != actual) throw new IllegalArgumentException(w + "." + key + " is " + v + " but the weights give " + actual);
    }

    private static int[] ints(JsonNode n, String w) {
        if (!n.isArray()) throw new IllegalArgumentException(w + " must be an array of integers");
        int[] v = new int[n.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToInt()) throw new IllegalArgumentException(w + "[" + i + "] must be an integer, got " + e);
            v[i] = e.intValue();
        }
        return v;
    }

    private static float[] floats(JsonNode n, String w) {
        if (!n.isArray()) throw new IllegalArgumentException(w + " must be an array of numbers");
        float[] v = new float[n.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode e = n.get(i);
            if (!e.isNumber()) throw new IllegalArgumentException(w + "[" + i + "] must be a number, got " + e);
            v[i] = e.floatValue();
            if (!Float.isFinite(v[i])) throw new IllegalArgumentException(w + "[" + i + "] = " + e + " is not a finite float32");
        }
        return v;
    }

    private static float[][] matrix(JsonNode n, String w) {
        if (!n.isArray() || n.isEmpty()) throw new IllegalArgumentException(w + " must be a non-empty array of rows");
        float[][] m = new float[n.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = floats(n.get(i), w + "[" + i + "]");
            if (m[i].length != m[0].length) throw new IllegalArgumentException(w + "[" + i + "] has " + m[i].length + " values, row 0 has " + m[0].length);
        }
        if (m[0].length == 0) throw new IllegalArgumentException(w + " has empty rows");
        return m;
    }

    private static float[][][] cube(JsonNode n, String w) {
        if (!n.isArray() || n.isEmpty()) throw new IllegalArgumentException(w + " must be a non-empty array of matrices");
        float[][][] c = new float[n.size()][][];
        for (int i = 0; i < c.length; i++) {
            c[i] = matrix(n.get(i), w + "[" + i + "]");
            if (c[i].length != c[0].length || c[i][0].length != c[0][0].length) {
                throw new IllegalArgumentException(w + "[" + i + "] is " + c[i].length + "x" + c[i][0].length + ", [0] is "
                        + c[0].length + "x" + c[0][0].length);
            }
        }
        return c;
    }

    private static ArrayNode vector(float[] v) {
        ArrayNode a = MAPPER.createArrayNode();
        for (float x : v) a.add(x);
        return a;
    }

    private static ArrayNode matrix(float[][] m) {
        ArrayNode a = MAPPER.createArrayNode();
        for (float[] row : m) a.add(vector(row));
        return a;
    }

    private static ArrayNode cube(float[][][] c) {
        ArrayNode a = MAPPER.createArrayNode();
        for (float[][] m : c) a.add(matrix(m));
        return a;
    }
}
