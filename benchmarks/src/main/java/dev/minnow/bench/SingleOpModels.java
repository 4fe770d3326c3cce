package dev.minnow.bench;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.writer.ModelWriter;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.WorkCount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

/**
 * Cuts one operator out of a real model into a single-op model (weights, quantization and options as the model has
 * them; the operator's activation inputs become the model's inputs, filled with seeded random data), and writes the
 * same operator as a case of the C reference's spec format. The benchmarks' only use of {@link ModelWriter} and of
 * the model classes.
 */
public final class SingleOpModels {
    private SingleOpModels() {}

    /** What one operator costs: {@code amount} multiply-accumulates ("MAC") or element operations ("elem"). */
    public record Work(long amount, String unit) {}

    /**
     * A single-op model: the .tflite bytes, its inputs, the operator as a C reference case (null when the C
     * reference does not take it), its work, and a one-line description of its shapes.
     */
    public record SingleOp(String op, byte[] model, List<byte[]> inputs, String cSpec, Work work, String shapes) {}

    /** The {@code occurrence}-th (0-based) operator named {@code op} of the model's main subgraph, cut out. */
    public static SingleOp slice(Path modelFile, String op, int occurrence, String caseName) throws IOException {
        SubgraphInfo g = Model.load(modelFile).mainSubgraph();
        int seen = 0;
        for (OperatorInfo node : g.operators()) {
            if (!node.opCode().displayName().equals(op)) continue;
            if (seen++ == occurrence) return slice(g, node, caseName);
        }
        throw new IllegalArgumentException(modelFile + " has " + seen + " " + op + " operators, not " + (occurrence + 1));
    }

    /** The multiply-accumulates of a whole model, as the engine counts them ({@link EngineRun#work}). */
    public static long modelMacs(Path modelFile) throws IOException {
        return EngineRun.work(Files.readAllBytes(modelFile)).macs();
    }

    private static SingleOp slice(SubgraphInfo g, OperatorInfo node, String caseName) {
        String op = node.opCode().displayName();
        Random random = new Random(caseName.hashCode());
        ModelWriter b = new ModelWriter().setDescription("minnow benchmark: " + caseName);
        int[] in = new int[node.inputCount()];
        List<Integer> graphInputs = new ArrayList<>();
        Map<Integer, byte[]> data = new LinkedHashMap<>();   // operator input position -> its bytes (inputs, constants, state)
        Map<Integer, Integer> added = new LinkedHashMap<>();   // model tensor -> single-op model tensor
        for (int k = 0; k < in.length; k++) {
            int ti = node.input(k);
            if (ti < 0) { in[k] = -1; continue; }
            TensorInfo t = g.tensor(ti);
            if (added.containsKey(ti)) {   // the same tensor twice (x + x): one tensor, one model input
                in[k] = added.get(ti);
                data.put(k, data.get(indexOf(node.inputs(), ti)));
                continue;
            }
            if (t.isConstant()) {
                in[k] = b.addConstant(t.name(), t.type(), t.shape(), t.quantization(), t.constantData());
                data.put(k, t.constantData());
            } else if (t.isVariable()) {
                in[k] = b.addVariable(t.name(), t.type(), t.shape(), t.quantization());
                byte[] init = new byte[(int) t.byteSize()];   // TFLM's reset value: int8 holds the zero point, the rest 0
                if (t.type() == DataType.INT8) Arrays.fill(init, (byte) t.quantization().zeroPoint());
                data.put(k, init);
            } else {
                in[k] = b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
                graphInputs.add(in[k]);
                data.put(k, randomData(t, random));
            }
            added.put(ti, in[k]);
        }
        int[] out = new int[node.outputCount()];
        for (int k = 0; k < out.length; k++) {
            TensorInfo t = g.tensor(node.output(k));
            out[k] = b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
        }
        int[] inter = node.intermediates();
        for (int k = 0; k < inter.length; k++) {
            TensorInfo t = g.tensor(inter[k]);
            inter[k] = b.addTensor(t.name(), t.type(), t.shape(), t.quantization());
        }
        var options = node.options();
        b.addOperator(op, node.opCode().version(), in, out, inter, options.isPresent() ? options.type() : null,
                options.isPresent() ? options.asMap() : Map.of());
        b.setInputs(graphInputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(out);
        List<byte[]> inputs = new ArrayList<>();
        for (int graphInput : graphInputs) inputs.add(data.get(indexOf(in, graphInput)));
        byte[] model = b.build();
        return new SingleOp(op, model, inputs, cSpec(g, node, caseName, data), work(model), shapes(g, node));
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) if (a[i] == v) return i;
        return -1;
    }

    private static byte[] randomData(TensorInfo t, Random random) {
        byte[] bytes = new byte[(int) t.byteSize()];
        if (t.type() == DataType.FLOAT32) {
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < t.elementCount(); i++) bb.putFloat(random.nextFloat() * 2 - 1);
        } else {
            random.nextBytes(bytes);
        }
        return bytes;
    }

    /** The operator's work as the engine counts it: MACs for the matrix ops, element operations otherwise. */
    static Work work(byte[] singleOpModel) {
        WorkCount w = EngineRun.work(singleOpModel);
        return w.macs() > 0 ? new Work(w.macs(), "MAC") : new Work(w.elementOps(), "elem");
    }

    private static String shapes(SubgraphInfo g, OperatorInfo node) {
        StringJoiner ins = new StringJoiner(", ");
        boolean weights = false;
        for (int k = 0; k < node.inputCount(); k++) {
            int ti = node.input(k);
            if (ti < 0) continue;
            TensorInfo t = g.tensor(ti);
            if (t.isVariable()) continue;
            if (t.isConstant() && (t.rank() < 2 || weights)) continue;   // biases, shape and axis operands; the first weights only
            weights |= t.isConstant();
            ins.add(dims(t.shape()) + " " + t.type().lowerName());
        }
        TensorInfo o = g.tensor(node.output(0));
        StringBuilder s = new StringBuilder(ins.toString()).append(" -> ").append(dims(o.shape()));
        var opt = node.options();
        if (opt.has("strideH") && (opt.getInt("strideH", 1) != 1 || opt.getInt("strideW", 1) != 1)) {
            s.append(" s").append(opt.getInt("strideH", 1)).append('x').append(opt.getInt("strideW", 1));
        }
        return s.toString();
    }

    private static String dims(int[] shape) {
        StringJoiner j = new StringJoiner("x");
        for (int d : shape) j.add(Integer.toString(d));
        return j.toString();
    }

    // ---- the C reference's spec format (c-reference/README.md) ----

    private static final Map<String, String[]> ROLES = Map.ofEntries(
            Map.entry("FULLY_CONNECTED", new String[] {"input", "filter", "bias"}),
            Map.entry("CONV_2D", new String[] {"input", "filter", "bias"}),
            Map.entry("DEPTHWISE_CONV_2D", new String[] {"input", "filter", "bias"}),
            Map.entry("TRANSPOSE_CONV", new String[] {"output_shape", "filter", "input", "bias"}),
            Map.entry("AVERAGE_POOL_2D", new String[] {"input"}), Map.entry("MAX_POOL_2D", new String[] {"input"}),
            Map.entry("ADD", new String[] {"input1", "input2"}), Map.entry("SUB", new String[] {"input1", "input2"}),
            Map.entry("MUL", new String[] {"input1", "input2"}),
            Map.entry("SOFTMAX", new String[] {"input"}), Map.entry("LOGISTIC", new String[] {"input"}),
            Map.entry("TANH", new String[] {"input"}), Map.entry("RELU", new String[] {"input"}),
            Map.entry("RELU6", new String[] {"input"}), Map.entry("LEAKY_RELU", new String[] {"input"}),
            Map.entry("QUANTIZE", new String[] {"input"}), Map.entry("DEQUANTIZE", new String[] {"input"}),
            Map.entry("SVDF", new String[] {"input", "weights_feature", "weights_time", "bias", "state"}),
            Map.entry("UNIDIRECTIONAL_SEQUENCE_LSTM", new String[] {
                "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights",
                "input_to_output_weights", "recurrent_to_input_weights", "recurrent_to_forget_weights",
                "recurrent_to_cell_weights", "recurrent_to_output_weights", "cell_to_input_weights",
                "cell_to_forget_weights", "cell_to_output_weights", "input_gate_bias", "forget_gate_bias",
                "cell_gate_bias", "output_gate_bias", "projection_weights", "projection_bias", "output_state",
                "cell_state", "input_layer_norm_coefficients", "forget_layer_norm_coefficients",
                "cell_layer_norm_coefficients", "output_layer_norm_coefficients"}));

    private static String cSpec(SubgraphInfo g, OperatorInfo node, String caseName, Map<Integer, byte[]> data) {
        String op = node.opCode().displayName();
        String[] roles = ROLES.get(op);
        if (roles == null || node.outputCount() != 1) return null;
        var o = node.options();
        Map<String, Number> attrs = new LinkedHashMap<>();
        attrs.put("activation", o.getInt("fusedActivationFunction", 0));
        switch (op) {
            case "SOFTMAX" -> attrs.put("beta", o.getFloat("beta", 1f));
            case "LEAKY_RELU" -> attrs.put("alpha", o.getFloat("alpha", 0f));
            case "SVDF" -> attrs.put("rank", o.getInt("rank", 1));
            case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> {
                attrs.put("cell_clip", o.getFloat("cellClip", 0f));
                attrs.put("proj_clip", o.getFloat("projClip", 0f));
                attrs.put("time_major", o.getBool("timeMajor", false) ? 1 : 0);
            }
            default -> { }
        }
        if (op.equals("DEPTHWISE_CONV_2D")) attrs.put("depth_multiplier", o.getInt("depthMultiplier", 1));
        if (op.endsWith("POOL_2D")) {
            attrs.put("filter_h", o.getInt("filterHeight", 1));
            attrs.put("filter_w", o.getInt("filterWidth", 1));
        }
        if (op.equals("CONV_2D") || op.equals("DEPTHWISE_CONV_2D") || op.endsWith("POOL_2D") || op.equals("TRANSPOSE_CONV")) {
            attrs.put("padding", o.getInt("padding", 0));
            attrs.put("stride_h", o.getInt("strideH", 1));
            attrs.put("stride_w", o.getInt("strideW", 1));
            attrs.put("dilation_h", o.getInt("dilationHFactor", 1));
            attrs.put("dilation_w", o.getInt("dilationWFactor", 1));
        }
        StringBuilder sb = new StringBuilder("case ").append(caseName).append("\nop ").append(op).append('\n');
        attrs.forEach((k, v) -> sb.append("attr ").append(k).append(' ').append(v).append('\n'));
        for (int k = 0; k < roles.length; k++) {
            int ti = k < node.inputCount() ? node.input(k) : -1;
            if (ti < 0) { sb.append("tensor ").append(roles[k]).append(" none\n"); continue; }
            if (g.tensor(ti).type() == DataType.INT4) return null;   // packed weights: the C reference takes them unpacked
            tensorLine(sb, roles[k], g.tensor(ti), data.get(k));
        }
        tensorLine(sb, "output", g.tensor(node.output(0)), null);
        return sb.append("end\n").toString();
    }

    private static void tensorLine(StringBuilder sb, String role, TensorInfo t, byte[] data) {
        sb.append("tensor ").append(role).append(' ').append(t.type().lowerName()).append(" shape");
        for (int d : t.shape()) sb.append(' ').append(d);
        Quantization q = t.quantization();
        if (q.isQuantized()) {
            sb.append(" scale");
            for (float s : q.scales()) sb.append(' ').append(Float.toString(s));
            sb.append(" zp");
            for (long z : q.zeroPoints()) sb.append(' ').append(z);
            if (q.quantizedDimension() != 0) sb.append(" qdim ").append(q.quantizedDimension());
        }
        if (data != null && data.length > 0) sb.append(" data ").append(HexFormat.of().formatHex(data));
        sb.append('\n');
    }
}
