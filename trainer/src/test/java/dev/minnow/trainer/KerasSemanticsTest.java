package dev.minnow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.Dropout;
import dev.minnow.writer.network.Flatten;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;
import dev.minnow.writer.network.Reshape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forward passes checked against values worked out by hand from Keras's and TensorFlow's definitions. */
class KerasSemanticsTest {
    private static float[] run(int[] inputShape, float[] x, Layer... layers) {
        return new FloatPredictor(new FloatNetwork("t", inputShape, List.of(layers))).predict(x);
    }

    /** A {@code [k][1][1]} (or {@code [k][F=1][C=1]}) kernel from its taps. */
    private static float[][][] taps(float... w) {
        float[][][] k = new float[w.length][1][1];
        for (int j = 0; j < w.length; j++) k[j][0][0] = w[j];
        return k;
    }

    private static final float[] X5 = {1, 2, 3, 4, 5};

    @Test
    void conv1dSamePadsTheSmallerHalfOnTheLeft() {
        // k=3, stride 1: pad 1 left, 1 right; out[o] = x[o-1] - x[o+1]
        assertArrayEquals(new float[] {-2, -2, -2, -2, 4},
                run(new int[] {5, 1}, X5, new Conv1D(taps(1, 0, -1), new float[] {0}, 1, 1, Padding.SAME, Activation.LINEAR)));
        // k=4, stride 1: pad 3 = 1 left + 2 right; out[o] = x[o-1] + 2x[o] + 3x[o+1] + 4x[o+2]
        assertArrayEquals(new float[] {20, 30, 40, 26, 14},
                run(new int[] {5, 1}, X5, new Conv1D(taps(1, 2, 3, 4), new float[] {0}, 1, 1, Padding.SAME, Activation.LINEAR)));
        // k=3, stride 2: ceil(5/2) = 3 steps, pad (3-1)*2+3-5 = 2 -> 1 left; bias 0.5
        assertArrayEquals(new float[] {-1.5f, -1.5f, 4.5f},
                run(new int[] {5, 1}, X5, new Conv1D(taps(1, 0, -1), new float[] {0.5f}, 2, 1, Padding.SAME, Activation.LINEAR)));
    }

    @Test
    void conv1dValidAndDilation() {
        // valid k=2 dilation 2: 5 - 3 + 1 = 3 steps, out[o] = x[o] + 10 x[o+2]
        assertArrayEquals(new float[] {31, 42, 53},
                run(new int[] {5, 1}, X5, new Conv1D(taps(1, 10), new float[] {0}, 1, 2, Padding.VALID, Activation.LINEAR)));
        // same k=2 dilation 2: span 3, pad 2 -> 1 left: out[o] = x[o-1] + 10 x[o+1]
        assertArrayEquals(new float[] {20, 31, 42, 53, 4},
                run(new int[] {5, 1}, X5, new Conv1D(taps(1, 10), new float[] {0}, 1, 2, Padding.SAME, Activation.LINEAR)));
        // valid stride 2, k=3: (5-3)/2+1 = 2 steps
        assertArrayEquals(new float[] {1 + 20 + 300, 3 + 40 + 500},
                run(new int[] {5, 1}, X5, new Conv1D(taps(1, 10, 100), new float[] {0}, 2, 1, Padding.VALID, Activation.LINEAR)));
    }

    @Test
    void conv1dChannelsAndKernelLayout() {
        // 2 input channels, 2 filters, k=1: kernel[0][c][f]; relu clips filter 1
        float[][][] k = {{{1, -1}, {2, -2}}};
        float[] out = run(new int[] {2, 2}, new float[] {1, 1, 2, 3}, new Conv1D(k, new float[] {0, 0}, 1, 1, Padding.VALID, Activation.RELU));
        assertArrayEquals(new float[] {3, 0, 8, 0}, out);
    }

    @Test
    void conv1dTransposeSameAndValidLengthsAndValues() {
        float[] x = {1, 2, 3};
        // same, k=3, s=2: 6 steps, pad max(3-2,0)/2 = 0: input o adds kernel at 2o, 2o+1, 2o+2
        assertArrayEquals(new float[] {1, 10, 102, 20, 203, 30},
                run(new int[] {3, 1}, x, new Conv1DTranspose(taps(1, 10, 100), new float[] {0}, 2, Padding.SAME, Activation.LINEAR)));
        // valid, k=3, s=2: (3-1)*2+3 = 7 steps
        assertArrayEquals(new float[] {1, 10, 102, 20, 203, 30, 300},
                run(new int[] {3, 1}, x, new Conv1DTranspose(taps(1, 10, 100), new float[] {0}, 2, Padding.VALID, Activation.LINEAR)));
        // same, k=4, s=2: 6 steps, pad (4-2)/2 = 1: input o adds kernel tap j at 2o + j - 1
        assertArrayEquals(new float[] {10, 100 + 2, 1000 + 20, 200 + 3, 2000 + 30, 300},
                run(new int[] {3, 1}, x, new Conv1DTranspose(taps(1, 10, 100, 1000), new float[] {0}, 2, Padding.SAME, Activation.LINEAR)));
        // same, k=7, s=2 on 15 steps gives 30 (the SKAB Conv-AE decoder's shapes)
        assertEquals(30, run(new int[] {15, 1}, new float[15],
                new Conv1DTranspose(taps(1, 1, 1, 1, 1, 1, 1), new float[] {0}, 2, Padding.SAME, Activation.LINEAR)).length);
    }

    @Test
    void conv1dTransposeKernelIsFiltersThenInputs() {
        // kernel [k=1][F=2][C=3]; out[f] = sum_c kernel[0][f][c] x[c] + bias[f]
        float[][][] k = {{{1, 2, 3}, {-1, 0, 1}}};
        float[] out = run(new int[] {1, 3}, new float[] {1, 10, 100},
                new Conv1DTranspose(k, new float[] {0.5f, 0}, 1, Padding.SAME, Activation.LINEAR));
        assertArrayEquals(new float[] {321.5f, 99}, out);
    }

    @Test
    void conv1dTransposeValidWithKernelBelowStrideIsRefused() {
        FloatNetwork net = new FloatNetwork("t", new int[] {3, 1}, List.of(
                new Conv1DTranspose(taps(1, 1), new float[] {0}, 3, Padding.VALID, Activation.LINEAR)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FloatPredictor(net));
        assertEquals(true, e.getMessage().contains("kernel size 2 < stride 3"), e.getMessage());
    }

    @Test
    void lstmTwoStepsByHand() {
        // one input, one unit: columns i, f, c, o
        float[][] kernel = {{0.5f, -0.3f, 0.8f, 0.2f}};
        float[][] recurrent = {{0.1f, 0.4f, -0.6f, 0.7f}};
        float[] bias = {0.05f, 1f, -0.1f, 0.2f};
        float[] x = {0.9f, -0.4f};
        double h = 0, c = 0;
        double[] hs = new double[2];
        for (int t = 0; t < 2; t++) {
            double zi = x[t] * 0.5 + h * 0.1 + 0.05;
            double zf = x[t] * -0.3 + h * 0.4 + 1.0;
            double zc = x[t] * 0.8 + h * -0.6 - 0.1;
            double zo = x[t] * 0.2 + h * 0.7 + 0.2;
            c = sig(zf) * c + sig(zi) * Math.tanh(zc);
            h = sig(zo) * Math.tanh(c);
            hs[t] = h;
        }
        float[] seq = run(new int[] {2, 1}, x, new Lstm(kernel, recurrent, bias, true));
        assertEquals(hs[0], seq[0], 1e-6);
        assertEquals(hs[1], seq[1], 1e-6);
        float[] last = run(new int[] {2, 1}, x, new Lstm(kernel, recurrent, bias, false));
        assertEquals(1, last.length);
        assertEquals(hs[1], last[0], 1e-6);
    }

    @Test
    void lstmGateOrderIsInputForgetCellOutput() {
        // with zero weights, an open cell gate (column 2) and open output gate (column 3): h = sig(big) * tanh(sig(0) * tanh(1))
        float[][] kernel = {{0, 0, 0, 0}};
        float[][] recurrent = {{0, 0, 0, 0}};
        float[] bias = {0, 0, 1, 20};
        float[] out = run(new int[] {1, 1}, new float[] {0}, new Lstm(kernel, recurrent, bias, false));
        assertEquals(Math.tanh(0.5 * Math.tanh(1.0)) * sig(20), out[0], 1e-6);
        // closing the input gate instead of the output gate gives 0
        float[] closed = run(new int[] {1, 1}, new float[] {0}, new Lstm(kernel, recurrent, new float[] {-100, 0, 1, 20}, false));
        assertEquals(0, closed[0], 1e-6);
    }

    @Test
    void densePerTimeStepAndActivations() {
        float[][] k = {{1, -1}, {2, 1}};
        float[] out = run(new int[] {2, 2}, new float[] {1, 2, -3, 1}, new Dense(k, new float[] {0, 0.5f}, Activation.LINEAR));
        assertArrayEquals(new float[] {5, 1.5f, -1, 4.5f}, out);
        assertArrayEquals(new float[] {5, 1.5f, 0, 4.5f},
                run(new int[] {2, 2}, new float[] {1, 2, -3, 1}, new Dense(k, new float[] {0, 0.5f}, Activation.RELU)));
        assertArrayEquals(new float[] {5, 1.5f, 0, 4.5f},
                run(new int[] {2, 2}, new float[] {1, 2, -3, 1}, new Dense(k, new float[] {0, 0.5f}, Activation.RELU6)));
        assertArrayEquals(new float[] {6, 0}, run(new int[] {1}, new float[] {7}, new Dense(new float[][] {{1, -1}}, new float[2], Activation.RELU6)));
        float[] t = run(new int[] {1}, new float[] {0.3f}, new Dense(new float[][] {{1, 1}}, new float[2], Activation.TANH));
        assertEquals(Math.tanh(0.3), t[0], 1e-7);
        float[] s = run(new int[] {1}, new float[] {0.3f}, new Dense(new float[][] {{1, 1}}, new float[2], Activation.SIGMOID));
        assertEquals(sig(0.3), s[0], 1e-7);
    }

    @Test
    void flattenReshapeAndDropoutAtInference() {
        float[] x = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(x, run(new int[] {3, 2}, x, new Flatten(), new Reshape(new int[] {2, 3}), new Dropout(0.5f)));
    }

    @Test
    void dropoutWhileTrainingDropsAboutTheRateAndScalesTheRest() {
        Net net = Net.of(new FloatNetwork("d", new int[] {10_000}, List.of(new Dropout(0.3f))));
        Worker w = new Worker(net);
        float[] x = new float[10_000];
        java.util.Arrays.fill(x, 1f);
        float[] out = w.forward(new float[0][], x, 42, true);
        int dropped = 0;
        for (float v : out) {
            if (v == 0f) dropped++;
            else assertEquals(1f / 0.7f, v, 0f);
        }
        assertEquals(3000, dropped, 150);
    }

    private static double sig(double z) { return 1 / (1 + Math.exp(-z)); }
}
