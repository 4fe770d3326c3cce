package dev.minnow.writer;

import dev.minnow.model.DataType;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Operator versions and the model's {@code min_runtime_version} as TFLite's converter sets them
 * ({@code tensorflow/lite/tools/versioning/op_version.cc} and {@code runtime_version.cc}), for the operators this
 * module writes. TFLM itself ignores versions; they are written so that the files look exactly like converter
 * output to every other TFLite tool.
 */
public final class OpVersions {
    private OpVersions() {}

    /** Operators with a version rule here. */
    private static final Map<String, String[]> RUNTIME = Map.ofEntries(
            // index = version - 1; null where runtime_version.cc lists no entry
            Map.entry("AVERAGE_POOL_2D", new String[] {"1.5.0", "1.14.0", "2.3.0"}),
            Map.entry("MAX_POOL_2D", new String[] {"1.5.0", "1.14.0", "2.3.0"}),
            Map.entry("CONV_2D", new String[] {"1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.4.0", "2.9.0", null, null}),
            Map.entry("DEPTHWISE_CONV_2D", new String[] {"1.5.0", "1.12.0", "1.14.0", "2.2.0", "2.3.0", "2.3.0", null}),
            Map.entry("FULLY_CONNECTED", new String[] {"1.5.0", "1.10.0", "1.14.0", "1.14.0", "2.0.0", "2.1.0", "2.3.0",
                    "2.3.0", "2.3.0", null, null, null}),
            Map.entry("TRANSPOSE_CONV", new String[] {"1.9.0", "2.2.0", "2.3.0", null, null}),
            Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM", new String[] {"1.13.1", "1.14.0", "2.3.0", null, null}),
            Map.entry("RESHAPE", new String[] {"1.5.0"}),
            Map.entry("EXPAND_DIMS", new String[] {"1.10.0"}),
            Map.entry("SQUEEZE", new String[] {"1.6.0", "2.5.0"}),
            Map.entry("STRIDED_SLICE", new String[] {"1.6.0", "1.14.0", "2.1.0", "2.2.0", "2.5.0", "2.6.0", null, null}),
            Map.entry("LOGISTIC", new String[] {"1.14.0", "1.14.0", "2.3.0"}),
            Map.entry("TANH", new String[] {"1.14.0", "1.14.0", "2.3.0"}),
            Map.entry("RELU", new String[] {"1.5.0", "2.1.0", "2.5.0"}),
            Map.entry("RELU6", new String[] {"1.5.0", "1.14.0", "2.5.0"}),
            Map.entry("SOFTMAX", new String[] {"1.5.0", "1.14.0", "2.3.0"}),
            Map.entry("QUANTIZE", new String[] {"1.14.0", "1.15.0", "2.7.0", null}),
            Map.entry("DEQUANTIZE", new String[] {"1.13.1", "1.14.0", "1.15.0", "2.2.0", "2.7.0", null}));

    /** Whether {@link #version} knows the operator. */
    public static boolean knows(String builtinName) { return RUNTIME.containsKey(builtinName); }

    /**
     * The version the converter records for {@code op} in subgraph {@code g}, from its tensors' types, quantization
     * and options; throws {@link IllegalArgumentException} for operators without a rule here.
     */
    public static int version(SubgraphWriter g, OperatorSpec op) {
        String name = op.builtinName();
        DataType i0 = type(g, op.inputs(), 0), i1 = type(g, op.inputs(), 1), i2 = type(g, op.inputs(), 2);
        DataType o0 = type(g, op.outputs(), 0);
        Map<String, Object> opt = op.options().values();
        int inputs = op.inputs().length;
        return switch (name) {
            case "CONV_2D" -> {
                if (i0 == DataType.INT16 && i1 == DataType.INT8 && o0 == DataType.INT16 && intOpt(opt, "quantizedBiasType") != 0) yield 8;
                if (grouped(g, op)) yield 6;
                if (i0 == DataType.INT16 && i1 == DataType.INT16 && o0 == DataType.INT16) yield 4;
                if (i0 == DataType.INT8 && i1 == DataType.INT8 && o0 == DataType.INT8) yield 3;
                if (i0 == DataType.INT8 && i1 == DataType.INT4 && o0 == DataType.INT8) yield 7;
                if (i0 == DataType.FLOAT32 && i1 == DataType.INT8 && o0 == DataType.FLOAT32) yield perChannel(g, op, 1) ? 5 : 2;
                yield 1;
            }
            case "DEPTHWISE_CONV_2D" -> {
                if (i0 == DataType.INT16 && i1 == DataType.INT16 && o0 == DataType.INT16) yield 5;
                if (i0 == DataType.FLOAT32 && i1 == DataType.INT8 && o0 == DataType.FLOAT32) yield perChannel(g, op, 1) ? 6 : 4;
                if (i0 == DataType.INT8 && i1 == DataType.INT8 && o0 == DataType.INT8) yield 3;
                if (i0 == DataType.INT8 && i1 == DataType.INT4 && o0 == DataType.INT8) yield 7;
                if (intOpt(opt, "dilationWFactor", 1) != 1 || intOpt(opt, "dilationHFactor", 1) != 1) yield 2;
                yield 1;
            }
            case "FULLY_CONNECTED" -> {
                if (i0 == DataType.FLOAT32 && i1 == DataType.INT8 && o0 == DataType.FLOAT32 && perChannel(g, op, 1)) yield 12;
                if (i0 == DataType.INT16 && i1 == DataType.INT8 && o0 == DataType.INT16 && intOpt(opt, "quantizedBiasType") != 0) yield 11;
                if (i0 == DataType.INT16 && i1 == DataType.INT16 && o0 == DataType.INT16) yield 7;
                if (inputs == 2) yield 6;
                if (boolOpt(opt, "keepNumDims")) yield 5;
                if (i0 == DataType.INT8 && i1 == DataType.INT8 && o0 == DataType.INT8) yield 4;
                if (i0 == DataType.INT8 && i1 == DataType.INT4 && o0 == DataType.INT8) yield 10;
                if (i0 == DataType.FLOAT32 && i1 == DataType.INT8 && o0 == DataType.FLOAT32) yield boolOpt(opt, "asymmetricQuantizeInputs") ? 9 : 3;
                if (intOpt(opt, "weightsFormat") != 0) yield 2;
                yield 1;
            }
            case "TRANSPOSE_CONV" -> {
                // inputs: output shape, filter, input, bias
                DataType in = i2, filter = i1;
                if (in == DataType.INT16 && filter == DataType.INT8 && o0 == DataType.INT16 && intOpt(opt, "quantizedBiasType") != 0) yield 5;
                if (intOpt(opt, "fusedActivationFunction") != 0) yield 4;
                if (inputs == 4 && op.inputs()[3] >= 0) yield 3;
                if (filter == DataType.INT8) yield 2;
                yield 1;
            }
            case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> {
                if (i0 == DataType.INT16 && i2 == DataType.INT8 && o0 == DataType.INT16) yield 5;
                if (boolOpt(opt, "diagonalRecurrentTensors")) yield 4;
                if (i0 == DataType.FLOAT32 && i2 == DataType.INT8 && o0 == DataType.FLOAT32) yield boolOpt(opt, "asymmetricQuantizeInputs") ? 3 : 2;
                yield 1;
            }
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> i0 == DataType.INT16 && o0 == DataType.INT16 ? 3 : i0 == DataType.INT8 ? 2 : 1;
            case "RESHAPE", "EXPAND_DIMS" -> 1;
            case "SQUEEZE" -> i0 == DataType.STRING ? 2 : 1;
            case "STRIDED_SLICE" -> {
                if (boolOpt(opt, "offset")) yield 8;
                if (i0 == DataType.UINT32) yield 7;
                if (intOpt(opt, "ellipsisMask") != 0 || intOpt(opt, "newAxisMask") != 0) yield 6;
                if (i0 == DataType.STRING) yield 5;
                if (g.tensor(op.inputs()[0]).shape().length > 4) yield 4;
                if (i0 == DataType.BOOL) yield 3;
                yield i0 == DataType.INT8 ? 2 : 1;
            }
            case "LOGISTIC", "TANH" -> i0 == DataType.INT16 && o0 == DataType.INT16 ? 3 : i0 == DataType.INT8 ? 2 : 1;
            case "RELU" -> i0 == DataType.INT16 ? 3 : i0 == DataType.INT8 || i0 == DataType.UINT8 ? 2 : 1;
            case "RELU6", "SOFTMAX" -> i0 == DataType.INT16 ? 3 : i0 == DataType.INT8 ? 2 : 1;
            case "QUANTIZE" -> {
                if (i0 == DataType.INT4 || o0 == DataType.INT4) yield 4;
                if (g.tensor(op.outputs()[0]).quantization().isPerChannel()) yield 3;
                yield o0 == DataType.INT16 ? 2 : 1;
            }
            case "DEQUANTIZE" -> {
                if (i0 == DataType.INT4) yield 6;
                if (i0 == DataType.INT16 || i0 == DataType.FLOAT16) yield 3;
                if (i0 == DataType.INT8) yield g.tensor(op.inputs()[0]).quantization().isPerChannel() ? 5 : 2;
                yield 1;
            }
            default -> throw new IllegalArgumentException("no converter version rule for " + name + "; give its version explicitly");
        };
    }

    /**
     * The {@code min_runtime_version} the converter records: the highest runtime version any (operator, version)
     * of the model needs, "" when none is known.
     */
    public static String minRuntimeVersion(ModelWriter model) {
        String best = "";
        for (int s = 0; s < model.subgraphCount(); s++) {
            for (OperatorSpec op : model.subgraph(s).operators()) {
                String[] table = RUNTIME.get(op.builtinName());
                if (table == null || op.customCode() != null || op.version() > table.length) continue;
                String v = table[op.version() - 1];
                if (v != null && compare(best, v) < 0) best = v;
            }
        }
        return best;
    }

    /** The metadata bytes of a runtime version: the string zero-padded to the converter's 16-byte buffer. */
    public static byte[] runtimeVersionBytes(String version) {
        byte[] s = version.getBytes(StandardCharsets.US_ASCII);
        if (s.length >= 16) throw new IllegalArgumentException("runtime version '" + version + "' does not fit 16 bytes");
        return Arrays.copyOf(s, 16);
    }

    /** Adds the model's {@code min_runtime_version} metadata computed from its operators. */
    public static void addMinRuntimeVersion(ModelWriter model) {
        model.addMetadata("min_runtime_version", runtimeVersionBytes(minRuntimeVersion(model)));
    }

    /** Compares dotted versions numerically ("1.14.0" > "1.5.0"); "" is below everything. */
    static int compare(String a, String b) {
        String[] x = a.isEmpty() ? new String[0] : a.split("\\."), y = b.isEmpty() ? new String[0] : b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = Integer.compare(Integer.parseInt(x[i]), Integer.parseInt(y[i]));
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    private static DataType type(SubgraphWriter g, int[] idx, int k) {
        return k < idx.length && idx[k] >= 0 ? g.tensor(idx[k]).type() : null;
    }

    private static boolean perChannel(SubgraphWriter g, OperatorSpec op, int input) {
        int t = op.inputs()[input];
        return t >= 0 && g.tensor(t).quantization().isPerChannel();
    }

    private static boolean grouped(SubgraphWriter g, OperatorSpec op) {
        int[] in = op.inputs();
        if (in.length < 2 || in[0] < 0 || in[1] < 0) return false;
        int[] x = g.tensor(in[0]).shape(), f = g.tensor(in[1]).shape();
        return x.length == 4 && f.length == 4 && x[3] != f[3];
    }

    private static int intOpt(Map<String, Object> o, String name) { return intOpt(o, name, 0); }

    private static int intOpt(Map<String, Object> o, String name, int dflt) {
        Object v = o.get(name);
        if (v instanceof Boolean b) return b ? 1 : 0;
        return v instanceof Number n ? n.intValue() : dflt;
    }

    private static boolean boolOpt(Map<String, Object> o, String name) { return intOpt(o, name) != 0; }
}
