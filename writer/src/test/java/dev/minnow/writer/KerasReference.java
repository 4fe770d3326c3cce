package dev.minnow.writer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;

/**
 * A direct double-precision evaluation of a {@link FloatNetwork} with Keras's semantics, straight from its Keras
 * weight layouts: the independent check that the written float model (after the writer's weight transpositions,
 * gate splits and kernel reshapes) computes the same function. Values are row-major [T, C] or [features].
 */
final class KerasReference {
    private KerasReference() {}

    static double[] predict(FloatNetwork net, float[] sample) {
        double[] x = new double[sample.length];
        for (int i = 0; i < x.length; i++) x[i] = sample[i];
        int[] shape = net.inputShape();
        for (Layer l : net.layers()) {
            int[] next = l.outputShape(shape);
            if (l instanceof Dense d) x = dense(d, x);
            else if (l instanceof Lstm m) x = lstm(m, x, shape[0]);
            else if (l instanceof Conv1D c) x = conv1d(c, x, shape[0], next[0]);
            else if (l instanceof Conv1DTranspose c) x = conv1dTranspose(c, x, shape[0], next[0]);
            shape = next;
        }
        return x;
    }

    static double[] dense(Dense d, double[] x) {
        int in = d.inputs(), units = d.units(), rows = x.length / in;
        double[] y = new double[rows * units];
        for (int r = 0; r < rows; r++) {
            for (int u = 0; u < units; u++) {
                double acc = d.bias()[u];
                for (int i = 0; i < in; i++) acc += x[r * in + i] * d.kernel()[i][u];
                y[r * units + u] = act(d.activation(), acc);
            }
        }
        return y;
    }

    /** Keras LSTM (no cell clip: Keras has none; the converter's clip at 10 is not reached by these tests' data). */
    static double[] lstm(Lstm l, double[] x, int steps) {
        int in = l.inputs(), units = l.units();
        double[] h = new double[units], c = new double[units], z = new double[4 * units];
        double[] seq = new double[steps * units];
        for (int t = 0; t < steps; t++) {
            for (int col = 0; col < 4 * units; col++) {
                double acc = l.bias()[col];
                for (int i = 0; i < in; i++) acc += x[t * in + i] * l.kernel()[i][col];
                for (int j = 0; j < units; j++) acc += h[j] * l.recurrentKernel()[j][col];
                z[col] = acc;
            }
            for (int u = 0; u < units; u++) {
                double ig = sig(z[u]), fg = sig(z[units + u]), gg = Math.tanh(z[2 * units + u]), og = sig(z[3 * units + u]);
                c[u] = fg * c[u] + ig * gg;
                h[u] = og * Math.tanh(c[u]);
            }
            System.arraycopy(h, 0, seq, t * units, units);
        }
        return l.returnSequences() ? seq : h.clone();
    }

    static double[] conv1d(Conv1D c, double[] x, int steps, int outSteps) {
        int cin = c.inputChannels(), f = c.filters(), k = c.kernelSize(), s = c.stride(), d = c.dilation();
        int padBefore = 0;
        if (c.padding() == Padding.SAME) {
            int total = Math.max((outSteps - 1) * s + (k - 1) * d + 1 - steps, 0);
            padBefore = total / 2;
        }
        double[] y = new double[outSteps * f];
        for (int t = 0; t < outSteps; t++) {
            for (int o = 0; o < f; o++) {
                double acc = c.bias()[o];
                for (int j = 0; j < k; j++) {
                    int src = t * s + j * d - padBefore;
                    if (src < 0 || src >= steps) continue;
                    for (int i = 0; i < cin; i++) acc += x[src * cin + i] * c.kernel()[j][i][o];
                }
                y[t * f + o] = act(c.activation(), acc);
            }
        }
        return y;
    }

    /** TF's conv1d_transpose: the gradient of the strided convolution whose input has {@code outSteps} steps. */
    static double[] conv1dTranspose(Conv1DTranspose c, double[] x, int steps, int outSteps) {
        int cin = c.inputChannels(), f = c.filters(), k = c.kernelSize(), s = c.stride();
        int padBefore = 0;
        if (c.padding() == Padding.SAME) padBefore = Math.max((steps - 1) * s + k - outSteps, 0) / 2;
        double[] y = new double[outSteps * f];
        for (int t = 0; t < steps; t++) {
            for (int j = 0; j < k; j++) {
                int dst = t * s + j - padBefore;
                if (dst < 0 || dst >= outSteps) continue;
                for (int o = 0; o < f; o++) {
                    double acc = 0;
                    for (int i = 0; i < cin; i++) acc += x[t * cin + i] * c.kernel()[j][o][i];
                    y[dst * f + o] += acc;
                }
            }
        }
        for (int t = 0; t < outSteps; t++) for (int o = 0; o < f; o++) y[t * f + o] = act(c.activation(), y[t * f + o] + c.bias()[o]);
        return y;
    }

    private static double act(Activation a, double v) {
        return switch (a) {
            case LINEAR -> v;
            case RELU -> Math.max(0, v);
            case RELU6 -> Math.min(6, Math.max(0, v));
            case TANH -> Math.tanh(v);
            case SIGMOID -> sig(v);
        };
    }

    private static double sig(double v) { return 1 / (1 + Math.exp(-v)); }
}
