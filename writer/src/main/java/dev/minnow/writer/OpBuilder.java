package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.writer.network.Padding;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Typed operator building on a {@link SubgraphWriter}: each method appends one operator with its options table
 * spelled as the converter writes it and the version the converter records for the tensors' types
 * ({@link OpVersions}), and returns the operator's index. The tensors must exist with their final types and
 * quantization before the operator is added.
 */
public final class OpBuilder {
    private final SubgraphWriter g;

    /** Builds operators into {@code graph}. */
    public OpBuilder(SubgraphWriter graph) { this.g = graph; }

    /** The subgraph operators go into. */
    public SubgraphWriter graph() { return g; }

    // ---- tensors ----

    /** A float32 constant. */
    public int constantFloat(String name, int[] shape, float[] values) {
        return g.addConstant(name, DataType.FLOAT32, shape, Quantization.NONE, LeArrays.floats(values));
    }

    /** An int32 constant (shapes, slice bounds, biases with their quantization). */
    public int constantInt32(String name, int[] shape, int[] values, Quantization q) {
        return g.addConstant(name, DataType.INT32, shape, q, LeArrays.ints(values));
    }

    /** An int8 constant (quantized weights). */
    public int constantInt8(String name, int[] shape, byte[] values, Quantization q) {
        return g.addConstant(name, DataType.INT8, shape, q, values);
    }

    // ---- operators ----

    /** FULLY_CONNECTED: input, weights [units, inputs], bias (-1 for none) to output. */
    public int fullyConnected(int input, int weights, int bias, int output, FusedActivation activation, boolean keepNumDims) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("fusedActivationFunction", activation.code());
        o.put("weightsFormat", 0);
        o.put("keepNumDims", keepNumDims);
        o.put("asymmetricQuantizeInputs", false);
        return add("FULLY_CONNECTED", new int[] {input, weights, bias}, new int[] {output}, "FullyConnectedOptions", o);
    }

    /** CONV_2D: NHWC input, OHWI filter, bias (-1 for none). */
    public int conv2d(int input, int filter, int bias, int output, Padding padding, int strideW, int strideH,
                      int dilationW, int dilationH, FusedActivation activation) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.ordinal());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("fusedActivationFunction", activation.code());
        o.put("dilationWFactor", dilationW);
        o.put("dilationHFactor", dilationH);
        return add("CONV_2D", bias < 0 ? new int[] {input, filter} : new int[] {input, filter, bias}, new int[] {output}, "Conv2DOptions", o);
    }

    /** DEPTHWISE_CONV_2D: NHWC input, [1, H, W, C * multiplier] filter, bias (-1 for none). */
    public int depthwiseConv2d(int input, int filter, int bias, int output, Padding padding, int strideW, int strideH,
                               int depthMultiplier, int dilationW, int dilationH, FusedActivation activation) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.ordinal());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("depthMultiplier", depthMultiplier);
        o.put("fusedActivationFunction", activation.code());
        o.put("dilationWFactor", dilationW);
        o.put("dilationHFactor", dilationH);
        return add("DEPTHWISE_CONV_2D", bias < 0 ? new int[] {input, filter} : new int[] {input, filter, bias}, new int[] {output},
                "DepthwiseConv2DOptions", o);
    }

    /** TRANSPOSE_CONV: int32 output-shape constant, OHWI filter, NHWC input, bias (-1 for none). */
    public int transposeConv(int outputShape, int filter, int input, int bias, int output, Padding padding, int strideW,
                             int strideH, FusedActivation activation) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.ordinal());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("fusedActivationFunction", activation.code());
        int[] in = bias < 0 ? new int[] {outputShape, filter, input} : new int[] {outputShape, filter, input, bias};
        return add("TRANSPOSE_CONV", in, new int[] {output}, "TransposeConvOptions", o);
    }

    /** AVERAGE_POOL_2D or MAX_POOL_2D ({@code max}). */
    public int pool2d(boolean max, int input, int output, Padding padding, int strideW, int strideH, int filterW, int filterH,
                      FusedActivation activation) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("padding", padding.ordinal());
        o.put("strideW", strideW);
        o.put("strideH", strideH);
        o.put("filterWidth", filterW);
        o.put("filterHeight", filterH);
        o.put("fusedActivationFunction", activation.code());
        return add(max ? "MAX_POOL_2D" : "AVERAGE_POOL_2D", new int[] {input}, new int[] {output}, "Pool2DOptions", o);
    }

    /** RESHAPE with an int32 shape tensor and no options table, as the MLIR converter writes it. */
    public int reshape(int input, int shape, int output) {
        return add("RESHAPE", new int[] {input, shape}, new int[] {output}, null, null);
    }

    /** STRIDED_SLICE with constant int32 begin, end and strides tensors. */
    public int stridedSlice(int input, int begin, int end, int strides, int output, int beginMask, int endMask,
                            int shrinkAxisMask) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("beginMask", beginMask);
        o.put("endMask", endMask);
        o.put("ellipsisMask", 0);
        o.put("newAxisMask", 0);
        o.put("shrinkAxisMask", shrinkAxisMask);
        o.put("offset", false);
        return add("STRIDED_SLICE", new int[] {input, begin, end, strides}, new int[] {output}, "StridedSliceOptions", o);
    }

    /**
     * UNIDIRECTIONAL_SEQUENCE_LSTM without peepholes, projection or layer norm, batch-major ([batch, time,
     * features]), tanh cell activation.
     *
     * @param inputWeights     input-to-gate weights in gate order input, forget, cell, output ([units, inputs])
     * @param recurrentWeights recurrent weights in the same order ([units, units])
     * @param biases           gate biases in the same order ([units])
     * @param intermediates    intermediate tensors (the quantized LSTM's five), empty for none
     */
    public int lstm(int input, int[] inputWeights, int[] recurrentWeights, int[] biases, int outputState, int cellState,
                    int output, float cellClip, int[] intermediates) {
        if (inputWeights.length != 4 || recurrentWeights.length != 4 || biases.length != 4) {
            throw new IllegalArgumentException("LSTM needs 4 input weights, 4 recurrent weights and 4 biases (gates i, f, c, o)");
        }
        int[] in = new int[24];
        java.util.Arrays.fill(in, -1);
        in[0] = input;
        System.arraycopy(inputWeights, 0, in, 1, 4);
        System.arraycopy(recurrentWeights, 0, in, 5, 4);
        System.arraycopy(biases, 0, in, 12, 4);
        in[18] = outputState;
        in[19] = cellState;
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("fusedActivationFunction", FusedActivation.TANH.code());
        o.put("cellClip", cellClip);
        o.put("projClip", 0f);
        o.put("timeMajor", false);
        o.put("asymmetricQuantizeInputs", false);
        o.put("diagonalRecurrentTensors", false);
        OperatorSpec op = new OperatorSpec(OperatorSpec.builtinCode("UNIDIRECTIONAL_SEQUENCE_LSTM"), null, 1, in,
                new int[] {output}, intermediates, OptionsTable.of("UnidirectionalSequenceLSTMOptions", o), null, null);
        return addVersioned(op);
    }

    /** LOGISTIC. */
    public int logistic(int input, int output) { return add("LOGISTIC", new int[] {input}, new int[] {output}, null, null); }

    /** TANH. */
    public int tanh(int input, int output) { return add("TANH", new int[] {input}, new int[] {output}, null, null); }

    /** RELU. */
    public int relu(int input, int output) { return add("RELU", new int[] {input}, new int[] {output}, null, null); }

    /** RELU6. */
    public int relu6(int input, int output) { return add("RELU6", new int[] {input}, new int[] {output}, null, null); }

    /** SOFTMAX with {@code beta}. */
    public int softmax(int input, int output, float beta) {
        return add("SOFTMAX", new int[] {input}, new int[] {output}, "SoftmaxOptions", Map.of("beta", beta));
    }

    /** QUANTIZE (float to int8, or requantization). */
    public int quantize(int input, int output) { return add("QUANTIZE", new int[] {input}, new int[] {output}, null, null); }

    /** DEQUANTIZE (int8 to float). */
    public int dequantize(int input, int output) { return add("DEQUANTIZE", new int[] {input}, new int[] {output}, null, null); }

    private int add(String name, int[] in, int[] out, String optionsType, Map<String, Object> options) {
        return addVersioned(OperatorSpec.builtin(name, 1, in, out, OptionsTable.of(optionsType, options)));
    }

    private int addVersioned(OperatorSpec op) {
        int version = OpVersions.version(g, op);
        return g.addOperator(new OperatorSpec(op.builtinCode(), null, version, op.inputs(), op.outputs(), op.intermediates(),
                op.options(), null, null));
    }
}
