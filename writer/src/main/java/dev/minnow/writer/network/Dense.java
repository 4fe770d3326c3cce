package dev.minnow.writer.network;

import java.util.Objects;

/**
 * Keras {@code Dense}: {@code y = act(x · kernel + bias)} over the last axis of its input (on a {@code [T, C]} input
 * it applies to every time step, like Keras).
 *
 * @param kernel     {@code [inputs][units]}
 * @param bias       {@code [units]}
 * @param activation applied to the result
 */
public record Dense(float[][] kernel, float[] bias, Activation activation) implements Layer {
    public Dense {
        Objects.requireNonNull(activation, "activation");
        Shapes.requireMatrix("Dense kernel", kernel);
        Shapes.requireLength("Dense bias", bias, kernel[0].length);
    }

    public int inputs() { return kernel.length; }
    public int units() { return kernel[0].length; }

    @Override public int[] outputShape(int[] in) {
        Shapes.requireLastDim("Dense", in, inputs());
        int[] out = in.clone();
        out[out.length - 1] = units();
        return out;
    }
}
