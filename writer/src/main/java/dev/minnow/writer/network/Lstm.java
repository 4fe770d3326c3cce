package dev.minnow.writer.network;

/**
 * Keras {@code LSTM} with its default activations (tanh, recurrent sigmoid), no peepholes, no projection, state reset
 * for every sample. Gate order in the weight columns is Keras's: input, forget, cell, output.
 *
 * @param kernel           {@code [inputs][4 * units]}
 * @param recurrentKernel  {@code [units][4 * units]}
 * @param bias             {@code [4 * units]}
 * @param returnSequences  true: output {@code [T, units]}; false: only the last step, {@code [units]}
 */
public record Lstm(float[][] kernel, float[][] recurrentKernel, float[] bias, boolean returnSequences) implements Layer {
    public Lstm {
        Shapes.requireMatrix("LSTM kernel", kernel);
        Shapes.requireMatrix("LSTM recurrent kernel", recurrentKernel);
        int fourUnits = kernel[0].length;
        if (fourUnits % 4 != 0) throw new IllegalArgumentException("LSTM kernel has " + fourUnits + " columns, not 4 x units");
        if (recurrentKernel.length != fourUnits / 4 || recurrentKernel[0].length != fourUnits) {
            throw new IllegalArgumentException("LSTM recurrent kernel is [" + recurrentKernel.length + "][" + recurrentKernel[0].length
                    + "], expected [" + fourUnits / 4 + "][" + fourUnits + "]");
        }
        Shapes.requireLength("LSTM bias", bias, fourUnits);
    }

    public int inputs() { return kernel.length; }
    public int units() { return kernel[0].length / 4; }

    @Override public int[] outputShape(int[] in) {
        if (in.length != 2) throw new IllegalArgumentException("LSTM takes [timesteps, features], got rank " + in.length);
        Shapes.requireLastDim("LSTM", in, inputs());
        return returnSequences ? new int[] {in[0], units()} : new int[] {units()};
    }
}
