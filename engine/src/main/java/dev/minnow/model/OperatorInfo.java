package dev.minnow.model;

import java.util.Arrays;

/**
 * One operator of a subgraph: its code, tensor indices (-1 marks an omitted optional input), builtin options and
 * raw custom options.
 */
public record OperatorInfo(int index, OpCode opCode, int[] inputs, int[] outputs, int[] intermediates,
                           BuiltinOptions options, byte[] customOptions) {
    public OperatorInfo {
        inputs = inputs.clone();
        outputs = outputs.clone();
        intermediates = intermediates.clone();
        customOptions = customOptions.clone();
    }

    @Override public int[] inputs() { return inputs.clone(); }
    @Override public int[] outputs() { return outputs.clone(); }
    @Override public int[] intermediates() { return intermediates.clone(); }
    @Override public byte[] customOptions() { return customOptions.clone(); }

    public int inputCount() { return inputs.length; }
    public int outputCount() { return outputs.length; }
    public int input(int i) { return inputs[i]; }
    public int output(int i) { return outputs[i]; }

    @Override public boolean equals(Object o) {
        return o instanceof OperatorInfo p && index == p.index && opCode.equals(p.opCode) && Arrays.equals(inputs, p.inputs)
                && Arrays.equals(outputs, p.outputs) && Arrays.equals(intermediates, p.intermediates)
                && options.equals(p.options) && Arrays.equals(customOptions, p.customOptions);
    }
    @Override public int hashCode() { return index * 31 + opCode.hashCode() + Arrays.hashCode(inputs); }
    @Override public String toString() {
        return "Operator#" + index + " " + opCode + " in=" + Arrays.toString(inputs) + " out=" + Arrays.toString(outputs);
    }
}
