package dev.minnow.model;

import java.util.Arrays;

/**
 * One operator of a subgraph.
 *
 * @param index           position in the subgraph's execution order
 * @param opCode          the operator code it runs
 * @param inputs          tensor indices of its inputs; -1 marks an omitted optional input
 * @param outputs         tensor indices of its outputs
 * @param intermediates   tensor indices of its intermediates (-1 = omitted); TFLM's LSTM uses them for scales
 * @param options         the {@code builtin_options} table, {@link BuiltinOptions#NONE} when absent
 * @param customOptions   raw custom options (flexbuffer for custom ops), empty when absent
 * @param builtinOptions2 the {@code builtin_options_2} table (StableHLO ops and other newer ops),
 *                        {@link BuiltinOptions#NONE} when absent
 */
public record OperatorInfo(int index, OpCode opCode, int[] inputs, int[] outputs, int[] intermediates,
                           BuiltinOptions options, byte[] customOptions, BuiltinOptions builtinOptions2) {
    /** Copies the arrays; absent options become {@link BuiltinOptions#NONE}. */
    public OperatorInfo {
        java.util.Objects.requireNonNull(opCode, "opCode");
        inputs = inputs.clone();
        outputs = outputs.clone();
        intermediates = intermediates.clone();
        options = options == null ? BuiltinOptions.NONE : options;
        customOptions = customOptions == null ? new byte[0] : customOptions.clone();
        builtinOptions2 = builtinOptions2 == null ? BuiltinOptions.NONE : builtinOptions2;
    }

    /** An operator without {@code builtin_options_2}. */
    public OperatorInfo(int index, OpCode opCode, int[] inputs, int[] outputs, int[] intermediates,
                        BuiltinOptions options, byte[] customOptions) {
        this(index, opCode, inputs, outputs, intermediates, options, customOptions, BuiltinOptions.NONE);
    }

    @Override public int[] inputs() { return inputs.clone(); }
    @Override public int[] outputs() { return outputs.clone(); }
    @Override public int[] intermediates() { return intermediates.clone(); }
    @Override public byte[] customOptions() { return customOptions.clone(); }

    /** Number of inputs, omitted optional ones included. */
    public int inputCount() { return inputs.length; }
    /** Number of outputs. */
    public int outputCount() { return outputs.length; }
    /** Tensor index of input {@code i}, -1 when that optional input is omitted. */
    public int input(int i) { return inputs[i]; }
    /** Tensor index of output {@code i}. */
    public int output(int i) { return outputs[i]; }

    @Override public boolean equals(Object o) {
        return o instanceof OperatorInfo p && index == p.index && opCode.equals(p.opCode) && Arrays.equals(inputs, p.inputs)
                && Arrays.equals(outputs, p.outputs) && Arrays.equals(intermediates, p.intermediates)
                && options.equals(p.options) && Arrays.equals(customOptions, p.customOptions)
                && builtinOptions2.equals(p.builtinOptions2);
    }
    @Override public int hashCode() { return index * 31 + opCode.hashCode() + Arrays.hashCode(inputs); }
    @Override public String toString() {
        return "Operator#" + index + " " + opCode + " in=" + Arrays.toString(inputs) + " out=" + Arrays.toString(outputs);
    }
}
