package dev.minnow.writer.network;

import java.util.Objects;

/**
 * Keras {@code Conv1DTranspose} over a {@code [T, C]} sample (channels last, no output padding, no dilation).
 *
 * @param kernel     {@code [kernelSize][filters][inputChannels]} (Keras's layout for the transpose)
 * @param bias       {@code [filters]}
 * @param stride     {@code strides}
 * @param padding    same ({@code T * stride} steps out) or valid ({@code (T - 1) * stride + kernelSize})
 * @param activation applied to the result
 */
public record Conv1DTranspose(float[][][] kernel, float[] bias, int stride, Padding padding, Activation activation)
        implements Layer {
    public Conv1DTranspose {
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(activation, "activation");
        Shapes.requireCube("Conv1DTranspose kernel", kernel);
        Shapes.requireLength("Conv1DTranspose bias", bias, kernel[0].length);
        if (stride < 1) throw new IllegalArgumentException("Conv1DTranspose stride " + stride + " must be >= 1");
    }

    public int kernelSize() { return kernel.length; }
    public int filters() { return kernel[0].length; }
    public int inputChannels() { return kernel[0][0].length; }

    @Override public int[] outputShape(int[] in) {
        if (in.length != 2) throw new IllegalArgumentException("Conv1DTranspose takes [timesteps, channels], got rank " + in.length);
        Shapes.requireLastDim("Conv1DTranspose", in, inputChannels());
        int t = padding == Padding.SAME ? in[0] * stride : (in[0] - 1) * stride + kernelSize();
        return new int[] {t, filters()};
    }
}
