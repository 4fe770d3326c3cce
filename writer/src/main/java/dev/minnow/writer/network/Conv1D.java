package dev.minnow.writer.network;

import java.util.Objects;

/**
 * Keras {@code Conv1D} over a {@code [T, C]} sample (channels last).
 *
 * @param kernel     {@code [kernelSize][inputChannels][filters]}
 * @param bias       {@code [filters]}
 * @param stride     {@code strides}
 * @param dilation   {@code dilation_rate}
 * @param padding    same or valid
 * @param activation applied to the result
 */
public record Conv1D(float[][][] kernel, float[] bias, int stride, int dilation, Padding padding, Activation activation)
        implements Layer {
    public Conv1D {
        Objects.requireNonNull(padding, "padding");
        Objects.requireNonNull(activation, "activation");
        Shapes.requireCube("Conv1D kernel", kernel);
        Shapes.requireLength("Conv1D bias", bias, kernel[0][0].length);
        if (stride < 1 || dilation < 1) throw new IllegalArgumentException("Conv1D stride " + stride + " and dilation " + dilation + " must be >= 1");
        if (stride > 1 && dilation > 1) throw new IllegalArgumentException("Conv1D: Keras does not allow stride > 1 with dilation > 1");
    }

    public int kernelSize() { return kernel.length; }
    public int inputChannels() { return kernel[0].length; }
    public int filters() { return kernel[0][0].length; }

    @Override public int[] outputShape(int[] in) {
        if (in.length != 2) throw new IllegalArgumentException("Conv1D takes [timesteps, channels], got rank " + in.length);
        Shapes.requireLastDim("Conv1D", in, inputChannels());
        int effective = (kernelSize() - 1) * dilation + 1;
        int t = padding == Padding.SAME ? (in[0] + stride - 1) / stride : (in[0] - effective) / stride + 1;
        if (t <= 0) throw new IllegalArgumentException("Conv1D: " + in[0] + " steps are too few for a kernel spanning " + effective);
        return new int[] {t, filters()};
    }
}
