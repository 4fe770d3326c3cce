package dev.minnow.writer.quant;

import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SignatureDef;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.LeArrays;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.OpVersions;
import dev.minnow.writer.OperatorSpec;
import dev.minnow.writer.OptionsTable;
import dev.minnow.writer.SubgraphWriter;
import dev.minnow.writer.TensorSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Post-training full-integer quantization of a float {@code .tflite}, as TFLite's converter does it with a
 * representative dataset and int8 builtins only:
 * <ul>
 *   <li>activations int8 asymmetric from the calibrated range ({@link QuantMath#activation}); reshapes, slices and
 *       pooling keep their input's parameters; LOGISTIC and SOFTMAX outputs are fixed at 1/256 with zero point
 *       -128, TANH at 1/128 with zero point 0, as TFLM's int8 kernels require;</li>
 *   <li>weights int8 symmetric (zero point 0, [-127, 127]), per channel for CONV_2D (axis 0), DEPTHWISE_CONV_2D
 *       (axis 3), TRANSPOSE_CONV (axis 0) and FULLY_CONNECTED (axis 0, unless {@link Options#perChannelDense} is
 *       off), per tensor for the LSTM, whose TFLM kernel takes one scale per weight tensor;</li>
 *   <li>biases int32 at input scale x weight scale (per channel where the weights are);</li>
 *   <li>UNIDIRECTIONAL_SEQUENCE_LSTM with an int8 output-state variable sharing the output's parameters, an int16
 *       cell state at the power-of-two scale covering the calibrated cell range, zero point 0 (TFLM computes the
 *       gates at the fixed 2^-12 / 2^-15 scales and requires the power of two), and the five intermediates the
 *       converter writes (four empty float tensors, the effective-hidden one int8 at the output's
 *       parameters; TFLM reads none of them);</li>
 *   <li>float32 or int8 model input and output as chosen; float ones get a QUANTIZE / DEQUANTIZE at the edge;</li>
 *   <li>operator versions and {@code min_runtime_version} recomputed as the converter sets them.</li>
 * </ul>
 */
public final class Quantizer {
    /** The operators this quantizer handles. */
    public static final Set<String> SUPPORTED = Set.of("FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV",
            "UNIDIRECTIONAL_SEQUENCE_LSTM", "AVERAGE_POOL_2D", "MAX_POOL_2D", "RESHAPE", "EXPAND_DIMS", "SQUEEZE",
            "STRIDED_SLICE", "LOGISTIC", "TANH", "RELU", "RELU6", "SOFTMAX");
    private static final Set<String> SAME_SCALE = Set.of("AVERAGE_POOL_2D", "MAX_POOL_2D", "RESHAPE", "EXPAND_DIMS",
            "SQUEEZE", "STRIDED_SLICE");
    private static final String[] LSTM_INTERMEDIATES = {"input_to_input_intermediate", "input_to_forget_intermediate",
            "input_to_cell_intermediate", "input_to_output_intermediate", "effective_hidden_scale_intermediate"};

    /**
     * Quantization choices.
     *
     * @param inputType       FLOAT32 (a QUANTIZE op converts) or INT8 (the model takes quantized input)
     * @param outputType      FLOAT32 (a DEQUANTIZE op converts) or INT8
     * @param perChannelDense per-channel FULLY_CONNECTED weights (the converter's default) instead of per-tensor
     */
    public record Options(DataType inputType, DataType outputType, boolean perChannelDense) {
        public Options {
            for (DataType t : new DataType[] {inputType, outputType}) {
                if (t != DataType.FLOAT32 && t != DataType.INT8) {
                    throw new IllegalArgumentException("model input/output type must be float32 or int8, not " + (t == null ? "null" : t.lowerName()));
                }
            }
        }

        /** float32 input and output, per-channel weights: the converter's defaults. */
        public static Options defaults() { return new Options(DataType.FLOAT32, DataType.FLOAT32, true); }
    }

    /** A quantized model and the calibration it was made from. */
    public record Result(byte[] model, Calibration calibration) {
        public Result { model = model.clone(); }
        @Override public byte[] model() { return model.clone(); }
    }

    private enum Role { ACTIVATION, WEIGHT, BIAS, LSTM_OUTPUT_STATE, LSTM_CELL_STATE, COPY }

    private record Plan(Role role, int axis, int inputTensor, int weightTensor, int op) {}

    private final Model model;
    private final SubgraphInfo g;
    private final Options options;
    private final Calibration cal;
    private final Map<Integer, Plan> plans = new LinkedHashMap<>();
    private final Map<Integer, AffineParams> params = new HashMap<>();
    /** Scales of each weight tensor (one per channel), filled when the weights are quantized. */
    private final Map<Integer, double[]> weightScales = new HashMap<>();

    private Quantizer(Model model, Options options, Calibration cal) {
        this.model = model;
        this.g = model.mainSubgraph();
        this.options = options;
        this.cal = cal;
    }

    /** Calibrates {@code floatModel} on {@code samples} and writes its full-integer quantization (default budget). */
    public static Result quantize(Model floatModel, float[][] samples, Options options) {
        return quantize(floatModel, samples, options, ModelBudget.DEFAULT);
    }

    /** {@link #quantize(Model, float[][], Options)} with the float model allocated under {@code budget} to calibrate. */
    public static Result quantize(Model floatModel, float[][] samples, Options options, ModelBudget budget) {
        Objects.requireNonNull(options, "options");
        validate(floatModel);
        Calibration cal = Calibration.run(floatModel, samples, budget);
        return new Result(new Quantizer(floatModel, options, cal).build(), cal);
    }

    /** Checks that the float model is one this quantizer handles; the message names the first problem. */
    public static void validate(Model m) {
        if (m.subgraphs().size() != 1) throw new IllegalArgumentException("model has " + m.subgraphs().size() + " subgraphs; only single-subgraph models are quantized");
        SubgraphInfo g = m.mainSubgraph();
        if (g.inputs().length != 1) throw new IllegalArgumentException("model has " + g.inputs().length + " inputs; only single-input models are quantized");
        if (g.outputs().length == 0) throw new IllegalArgumentException("model has no outputs");
        for (int i : g.inputs()) requireFloatActivation(g, i, "model input");
        for (int o : g.outputs()) {
            requireFloatActivation(g, o, "model output");
            if (o == g.inputs()[0]) throw new IllegalArgumentException("model output " + o + " is the model input; nothing to quantize");
        }
        for (OperatorInfo op : g.operators()) {
            String name = op.opCode().displayName();
            String w = "operator " + op.index() + " (" + name + ")";
            if (!SUPPORTED.contains(name)) throw new IllegalArgumentException(w + " is not supported by the quantizer (supported: " + new java.util.TreeSet<>(SUPPORTED) + ")");
            for (int k = 0; k < op.outputCount(); k++) requireFloatActivation(g, op.output(k), w + " output " + k);
            int fused = op.options().getInt("fusedActivationFunction", 0);
            if (fused != 0 && fused != 1 && fused != 2 && fused != 3 && !name.equals("UNIDIRECTIONAL_SEQUENCE_LSTM")) {
                throw new IllegalArgumentException(w + ": fused activation " + fused + " has no int8 kernel in TFLM (only none, relu, relu_n1_to_1, relu6)");
            }
            switch (name) {
                case "FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                    requireFloatActivation(g, op.input(0), w + " input");
                    requireConstant(g, op.input(1), DataType.FLOAT32, w + " weights");
                    if (op.inputCount() > 2 && op.input(2) >= 0) requireConstant(g, op.input(2), DataType.FLOAT32, w + " bias");
                }
                case "TRANSPOSE_CONV" -> {
                    requireConstant(g, op.input(0), DataType.INT32, w + " output shape");
                    requireConstant(g, op.input(1), DataType.FLOAT32, w + " weights");
                    requireFloatActivation(g, op.input(2), w + " input");
                    if (op.inputCount() > 3 && op.input(3) >= 0) requireConstant(g, op.input(3), DataType.FLOAT32, w + " bias");
                }
                case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> validateLstm(g, op, w);
                default -> {
                    requireFloatActivation(g, op.input(0), w + " input");
                    for (int k = 1; k < op.inputCount(); k++) if (op.input(k) >= 0) requireConstant(g, op.input(k), DataType.INT32, w + " input " + k);
                }
            }
        }
    }

    private static void validateLstm(SubgraphInfo g, OperatorInfo op, String w) {
        if (op.inputCount() != 24) throw new IllegalArgumentException(w + " has " + op.inputCount() + " inputs, expected 24");
        requireFloatActivation(g, op.input(0), w + " input");
        for (int k = 1; k <= 8; k++) requireConstant(g, op.input(k), DataType.FLOAT32, w + " weights " + k);
        for (int k = 12; k <= 15; k++) requireConstant(g, op.input(k), DataType.FLOAT32, w + " bias " + k);
        for (int k : new int[] {9, 10, 11, 16, 17, 20, 21, 22, 23}) {
            if (op.input(k) >= 0) throw new IllegalArgumentException(w + " uses input " + k + " (peephole, projection or layer norm), which the quantizer does not handle");
        }
        for (int k : new int[] {18, 19}) {
            TensorInfo t = g.tensor(op.input(k));
            if (!t.isVariable() || t.type() != DataType.FLOAT32) throw new IllegalArgumentException(w + " state input " + k + " is not a float32 variable");
        }
        if (op.options().getBool("timeMajor", false)) throw new IllegalArgumentException(w + " is time-major; only batch-major LSTMs are quantized");
        if (op.options().getInt("fusedActivationFunction", 0) != 4) throw new IllegalArgumentException(w + ": cell activation must be tanh (4)");
        TensorInfo in = g.tensor(op.input(0));
        if (in.rank() != 3 || in.dim(0) != 1) throw new IllegalArgumentException(w + " input shape " + Arrays.toString(in.shape()) + " is not [1, time, features]");
    }

    private static void requireFloatActivation(SubgraphInfo g, int t, String what) {
        if (t < 0) throw new IllegalArgumentException(what + " is missing");
        TensorInfo info = g.tensor(t);
        if (info.type() != DataType.FLOAT32 || info.isConstant() || info.isVariable()) {
            throw new IllegalArgumentException(what + " (tensor " + t + " '" + info.name() + "') is not a float32 activation");
        }
    }

    private static void requireConstant(SubgraphInfo g, int t, DataType type, String what) {
        if (t < 0) throw new IllegalArgumentException(what + " is missing");
        TensorInfo info = g.tensor(t);
        if (!info.isConstant() || info.type() != type) {
            throw new IllegalArgumentException(what + " (tensor " + t + " '" + info.name() + "') is not a " + type.lowerName() + " constant");
        }
    }

    // ---- planning ----

    private void plan(int tensor, Plan p) {
        Plan old = plans.putIfAbsent(tensor, p);
        if (old != null && !old.equals(p) && !(old.role == Role.ACTIVATION && p.role == Role.ACTIVATION)) {
            throw new IllegalArgumentException("tensor " + tensor + " '" + g.tensor(tensor).name() + "' has two roles (" + old.role + ", " + p.role
                    + "); shared weights are not supported");
        }
    }

    private AffineParams calibrated(int t) {
        if (!cal.has(t)) throw new IllegalStateException("tensor " + t + " '" + g.tensor(t).name() + "' was not calibrated");
        return QuantMath.activation(cal.min(t), cal.max(t));
    }

    private AffineParams paramsOf(int t) {
        AffineParams p = params.get(t);
        if (p == null) throw new IllegalStateException("tensor " + t + " '" + g.tensor(t).name() + "' is used before it is produced");
        return p;
    }

    private void planAll() {
        int input = g.inputs()[0];
        plan(input, new Plan(Role.ACTIVATION, -1, -1, -1, -1));
        params.put(input, calibrated(input));
        for (OperatorInfo op : g.operators()) {
            String name = op.opCode().builtinName();
            int k = op.index();
            int out = op.output(0);
            plan(out, new Plan(Role.ACTIVATION, -1, -1, -1, k));
            switch (name) {
                case "FULLY_CONNECTED", "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                    int axis = name.equals("DEPTHWISE_CONV_2D") ? 3 : name.equals("CONV_2D") || options.perChannelDense() ? 0 : -1;
                    plan(op.input(1), new Plan(Role.WEIGHT, axis, -1, -1, k));
                    if (op.inputCount() > 2 && op.input(2) >= 0) plan(op.input(2), new Plan(Role.BIAS, axis < 0 ? -1 : 0, op.input(0), op.input(1), k));
                    params.put(out, calibrated(out));
                }
                case "TRANSPOSE_CONV" -> {
                    plan(op.input(0), new Plan(Role.COPY, -1, -1, -1, k));
                    plan(op.input(1), new Plan(Role.WEIGHT, 0, -1, -1, k));
                    if (op.inputCount() > 3 && op.input(3) >= 0) plan(op.input(3), new Plan(Role.BIAS, 0, op.input(2), op.input(1), k));
                    params.put(out, calibrated(out));
                }
                case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> {
                    for (int gate = 0; gate < 4; gate++) {
                        plan(op.input(1 + gate), new Plan(Role.WEIGHT, -1, -1, -1, k));
                        plan(op.input(5 + gate), new Plan(Role.WEIGHT, -1, -1, -1, k));
                        plan(op.input(12 + gate), new Plan(Role.BIAS, -1, op.input(0), op.input(1 + gate), k));
                    }
                    plan(op.input(18), new Plan(Role.LSTM_OUTPUT_STATE, -1, -1, -1, k));
                    plan(op.input(19), new Plan(Role.LSTM_CELL_STATE, -1, -1, -1, k));
                    // Output and recurrent state share one range (the converter's restrict_scale); the state starts at 0.
                    params.put(out, calibrated(out));
                    params.put(op.input(18), params.get(out));
                }
                case "LOGISTIC", "SOFTMAX" -> params.put(out, new AffineParams(1.0 / 256, -128));
                case "TANH" -> params.put(out, new AffineParams(1.0 / 128, 0));
                case "RELU", "RELU6" -> params.put(out, calibrated(out));
                default -> {   // same-scale operators
                    if (!SAME_SCALE.contains(name)) throw new IllegalStateException("no rule for " + name);
                    for (int i = 1; i < op.inputCount(); i++) if (op.input(i) >= 0) plan(op.input(i), new Plan(Role.COPY, -1, -1, -1, k));
                    params.put(out, paramsOf(op.input(0)));
                }
            }
            paramsOf(activationInput(op));
        }
    }

    private static int activationInput(OperatorInfo op) {
        return op.opCode().builtinName().equals("TRANSPOSE_CONV") ? op.input(2) : op.input(0);
    }

    // ---- writing ----

    private byte[] build() {
        planAll();
        ModelWriter out = new ModelWriter().setDescription(model.description());
        SubgraphWriter q = out.main().setName(g.name().isEmpty() ? "main" : g.name());
        int n = g.tensors().size();
        int[] map = new int[n];
        Arrays.fill(map, -1);
        int input = g.inputs()[0];
        Set<Integer> outputs = new java.util.LinkedHashSet<>();
        for (int o : g.outputs()) outputs.add(o);
        int floatInput = -1;
        Map<Integer, Integer> floatOutputs = new LinkedHashMap<>();
        // Weights first, in tensor order, so bias scales can use the weight scales.
        Map<Integer, byte[]> quantizedWeights = new HashMap<>();
        for (var e : plans.entrySet()) if (e.getValue().role == Role.WEIGHT) quantizedWeights.put(e.getKey(), quantizeWeights(e.getKey(), e.getValue()));
        for (int t = 0; t < n; t++) {
            Plan p = plans.get(t);
            if (p == null) continue;
            TensorInfo info = g.tensor(t);
            switch (p.role) {
                case ACTIVATION -> {
                    floatScale(paramsOf(t).scale(), "activation '" + info.name() + "' (calibrated range [" + cal.min(t) + ", " + cal.max(t) + "])");
                    Quantization qp = paramsOf(t).toQuantization();
                    if (t == input && options.inputType() == DataType.FLOAT32) {
                        floatInput = q.addTensor(spec(info, DataType.FLOAT32, Quantization.NONE, false, 0));
                        map[t] = q.addTensor(spec(info, DataType.INT8, qp, false, 0).withName(info.name() + "_int8"));
                    } else if (outputs.contains(t) && options.outputType() == DataType.FLOAT32) {
                        map[t] = q.addTensor(spec(info, DataType.INT8, qp, false, 0).withName(info.name() + "_int8"));
                        floatOutputs.put(t, q.addTensor(spec(info, DataType.FLOAT32, Quantization.NONE, false, 0)));
                    } else {
                        map[t] = q.addTensor(spec(info, DataType.INT8, qp, false, 0));
                    }
                }
                case WEIGHT -> {
                    double[] s = weightScales.get(t);
                    float[] fs = new float[s.length];
                    for (int c = 0; c < s.length; c++) fs[c] = floatScale(s[c], "weights '" + info.name() + "'");
                    Quantization wq = new Quantization(fs, new long[s.length], Math.max(0, p.axis));
                    int buffer = out.addBuffer(quantizedWeights.get(t));
                    map[t] = q.addTensor(spec(info, DataType.INT8, wq, false, buffer));
                }
                case BIAS -> {
                    double inScale = paramsOf(p.inputTensor).scale();
                    double[] ws = weightScales.get(p.weightTensor);
                    float[] b = floats(info);
                    int channels = p.axis < 0 ? 1 : b.length;
                    if (p.axis >= 0 && ws.length != b.length && ws.length != 1) {
                        throw new IllegalArgumentException("bias '" + info.name() + "' has " + b.length + " values for " + ws.length + " weight channels");
                    }
                    float[] scales = new float[channels];
                    double[] exact = new double[channels];
                    for (int c = 0; c < channels; c++) {
                        exact[c] = QuantMath.biasScale(inScale, ws.length == 1 ? ws[0] : ws[c]);
                        scales[c] = floatScale(exact[c], "bias '" + info.name() + "' (input scale x weight scale)");
                    }
                    int[] v = new int[b.length];
                    for (int i = 0; i < b.length; i++) v[i] = QuantMath.quantizeBias(b[i], exact[channels == 1 ? 0 : i]);
                    int buffer = out.addBuffer(LeArrays.ints(v));
                    map[t] = q.addTensor(spec(info, DataType.INT32, new Quantization(scales, new long[channels], 0), false, buffer));
                }
                case LSTM_OUTPUT_STATE -> map[t] = q.addTensor(spec(info, DataType.INT8, paramsOf(t).toQuantization(), true, 0));
                case LSTM_CELL_STATE -> {
                    double maxAbs = Math.max(cal.cellStateMaxAbs(p.op), 1.0 / 1024);
                    Quantization cq = new Quantization(new float[] {(float) QuantMath.powerOfTwoScale16(maxAbs)}, new long[] {0}, 0);
                    map[t] = q.addTensor(spec(info, DataType.INT16, cq, true, 0));
                }
                case COPY -> {
                    int buffer = out.addBuffer(info.constantData());
                    map[t] = q.addTensor(spec(info, info.type(), info.quantization(), false, buffer));
                }
            }
        }
        if (floatInput >= 0) q.addOperator(op(q, "QUANTIZE", new int[] {floatInput}, new int[] {map[input]}, OptionsTable.NONE, new int[0]));
        for (OperatorInfo op : g.operators()) {
            int[] in = op.inputs(), o = op.outputs();
            for (int i = 0; i < in.length; i++) in[i] = in[i] < 0 ? -1 : map[in[i]];
            for (int i = 0; i < o.length; i++) o[i] = map[o[i]];
            int[] intermediates = new int[0];
            if (op.opCode().builtinName().equals("UNIDIRECTIONAL_SEQUENCE_LSTM")) intermediates = lstmIntermediates(q, paramsOf(op.output(0)));
            OptionsTable opts = op.options().type().equals("NONE") ? OptionsTable.NONE
                    : new OptionsTable(op.options().type(), op.options().asMap(), op.options().isPresent());
            q.addOperator(op(q, op.opCode().builtinName(), in, o, opts, intermediates));
        }
        for (var e : floatOutputs.entrySet()) {
            q.addOperator(op(q, "DEQUANTIZE", new int[] {map[e.getKey()]}, new int[] {e.getValue()}, OptionsTable.NONE, new int[0]));
        }
        q.setInputs(floatInput >= 0 ? floatInput : map[input]);
        int[] newOutputs = g.outputs();
        for (int i = 0; i < newOutputs.length; i++) newOutputs[i] = floatOutputs.getOrDefault(newOutputs[i], map[newOutputs[i]]);
        q.setOutputs(newOutputs);
        for (SignatureDef sig : model.signatureDefs()) {
            out.addSignature(sig.key(), 0, remap(sig.inputs(), input, floatInput >= 0 ? floatInput : map[input], map, floatOutputs),
                    remap(sig.outputs(), input, floatInput >= 0 ? floatInput : map[input], map, floatOutputs));
        }
        OpVersions.addMinRuntimeVersion(out);
        return out.toByteArray();
    }

    /** The scale as float32, refusing what float32 cannot hold as a normal positive number. */
    private static float floatScale(double scale, String what) {
        float f = (float) scale;
        if (!(f >= Float.MIN_NORMAL) || Float.isInfinite(f)) {
            throw new IllegalArgumentException(what + ": scale " + scale + " is outside float32's normal range, which TFLM needs");
        }
        return f;
    }

    private static Map<String, Integer> remap(Map<String, Integer> m, int input, int newInput, int[] map, Map<Integer, Integer> floatOutputs) {
        Map<String, Integer> r = new LinkedHashMap<>();
        m.forEach((k, t) -> {
            int v = t == input ? newInput : floatOutputs.getOrDefault(t, map[t]);
            if (v < 0) throw new IllegalArgumentException("signature entry '" + k + "' names tensor " + t + ", which the quantized model drops");
            r.put(k, v);
        });
        return r;
    }

    /** The five intermediates the converter writes for an integer LSTM. */
    private static int[] lstmIntermediates(SubgraphWriter q, AffineParams output) {
        int[] idx = new int[5];
        for (int i = 0; i < 4; i++) {
            idx[i] = q.addTensor(new TensorSpec(LSTM_INTERMEDIATES[i], DataType.FLOAT32, new int[] {0}, null, Quantization.NONE, false, 0, false));
        }
        idx[4] = q.addTensor(new TensorSpec(LSTM_INTERMEDIATES[4], DataType.INT8, new int[] {0}, null, output.toQuantization(), false, 0, false));
        return idx;
    }

    private static OperatorSpec op(SubgraphWriter q, String name, int[] in, int[] out, OptionsTable options, int[] intermediates) {
        OperatorSpec spec = new OperatorSpec(OperatorSpec.builtinCode(name), null, 1, in, out, intermediates, options, null, null);
        int version = OpVersions.version(q, spec);
        return new OperatorSpec(spec.builtinCode(), null, version, in, out, intermediates, options, null, null);
    }

    private byte[] quantizeWeights(int t, Plan p) {
        TensorInfo info = g.tensor(t);
        int[] shape = info.shape();
        if (p.axis >= shape.length) throw new IllegalArgumentException("weights '" + info.name() + "' of rank " + shape.length + " have no axis " + p.axis);
        double[] scales = new double[p.axis < 0 ? 1 : shape[p.axis]];
        byte[] qv = QuantMath.quantizeWeights(floats(info), shape, p.axis, scales);
        weightScales.put(t, scales);
        return qv;
    }

    private static float[] floats(TensorInfo t) {
        return LeArrays.toFloats(Arrays.copyOf(t.constantData(), (int) t.elementCount() * 4));
    }

    private static TensorSpec spec(TensorInfo t, DataType type, Quantization q, boolean variable, int buffer) {
        return new TensorSpec(t.name(), type, t.shape(), t.shapeSignature(), q, variable, buffer, t.hasRank());
    }
}
