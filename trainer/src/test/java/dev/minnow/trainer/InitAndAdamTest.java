package dev.minnow.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;
import org.junit.jupiter.api.Test;

/** Keras's initialisers and Adam's update rule. */
class InitAndAdamTest {
    @Test
    void glorotUniformLimitsAndZeroBiases() {
        FloatNetwork net = NetworkBuilder.input(30, 8).conv1d(32, 7, 2, 1, Padding.SAME, Activation.RELU).flatten()
                .dense(20, Activation.LINEAR).build("g", 3);
        Conv1D conv = (Conv1D) net.layers().get(0);
        double limit = Math.sqrt(6.0 / (7 * 8 + 7 * 32));
        double max = 0, sumSq = 0;
        int n = 0;
        for (float[][] m : conv.kernel()) for (float[] r : m) for (float v : r) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
            n++;
        }
        assertTrue(max <= limit && max > 0.95 * limit, "max " + max + " limit " + limit);
        assertEquals(limit * limit / 3, sumSq / n, 0.1 * limit * limit / 3); // variance of U(-l, l)
        for (float b : conv.bias()) assertEquals(0f, b);
        Dense dense = (Dense) net.layers().get(2);
        double dl = Math.sqrt(6.0 / (15 * 32 + 20));
        for (float[] r : dense.kernel()) for (float v : r) assertTrue(Math.abs(v) <= dl);
    }

    @Test
    void lstmRecurrentKernelIsOrthogonalAndForgetBiasIsOne() {
        Lstm lstm = (Lstm) NetworkBuilder.input(10, 3).lstm(16, false).build("l", 5).layers().get(0);
        float[][] r = lstm.recurrentKernel();
        for (int a = 0; a < 16; a++) {
            for (int b = 0; b < 16; b++) {
                double d = 0;
                for (int j = 0; j < 64; j++) d += (double) r[a][j] * r[b][j];
                assertEquals(a == b ? 1.0 : 0.0, d, 1e-5, "rows " + a + ", " + b);
            }
        }
        for (int j = 0; j < 64; j++) assertEquals(j >= 16 && j < 32 ? 1f : 0f, lstm.bias()[j], "bias " + j);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        NetworkBuilder b = NetworkBuilder.input(5, 2).lstm(4, true).dense(1, Activation.LINEAR);
        FloatNetwork n1 = b.build("a", 9);
        float[] a = Net.of(n1).flat(Net.of(n1).params(n1));
        FloatNetwork n2 = b.build("a", 9);
        assertTrue(java.util.Arrays.equals(a, Net.of(n2).flat(Net.of(n2).params(n2))));
        FloatNetwork n3 = b.build("a", 10);
        assertTrue(!java.util.Arrays.equals(a, Net.of(n3).flat(Net.of(n3).params(n3))));
    }

    @Test
    void builderNamesTheLayerWhoseShapeFails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkBuilder.input(4, 2).conv1d(3, 5, 1, 1, Padding.VALID, Activation.RELU));
        assertTrue(e.getMessage().contains("layer 0 (Conv1D)") && e.getMessage().contains("4 steps"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NetworkBuilder.input(8).lstm(3, false));
        assertThrows(IllegalArgumentException.class, () -> NetworkBuilder.input(8).dense(0, Activation.RELU));
    }

    @Test
    void sizeFiguresOfTheSkabConvAutoencoder() {
        FloatNetwork net = NetworkBuilder.input(60, 8).conv1d(32, 7, 2, 1, Padding.SAME, Activation.RELU).dropout(0.2f)
                .conv1d(16, 7, 2, 1, Padding.SAME, Activation.RELU).conv1dTranspose(16, 7, 2, Padding.SAME, Activation.RELU)
                .conv1dTranspose(32, 7, 2, Padding.SAME, Activation.RELU).conv1dTranspose(8, 7, 1, Padding.SAME, Activation.LINEAR)
                .build("c", 1);
        NetworkStats s = NetworkStats.of(net);
        assertEquals(1824 + 3600 + 1808 + 3616 + 1800, s.weights());
        assertEquals(30 * 16 + 60 * 32, s.largestLayerIo());
        assertEquals((8 + 32) * 128 + 128 + 32 * 40 + 40,
                NetworkStats.of(NetworkBuilder.input(55, 8).lstm(32, false).dense(40, Activation.LINEAR).build("l", 1)).weights());
    }

    @Test
    void adamFirstTwoStepsAsKeras() {
        Adam adam = new Adam(new int[] {1}, 1e-3, 0.9, 0.999, 1e-7);
        float[][] w = {{1f}};
        double m = 0, v = 0, expected = 1;
        float[] gs = {0.5f, -0.2f};
        for (int t = 1; t <= 2; t++) {
            double g = gs[t - 1];
            m += (g - m) * 0.1;
            v += (g * g - v) * 0.001;
            double lr = 1e-3 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
            expected -= lr * m / (Math.sqrt(v) + 1e-7);
            adam.step(w, new float[][] {{gs[t - 1]}});
            assertEquals(expected, w[0][0], 2e-7, "step " + t);
        }
        // the first step moves by the learning rate whatever the gradient's size
        Adam fresh = new Adam(new int[] {1}, 1e-3, 0.9, 0.999, 1e-7);
        float[][] w2 = {{0f}};
        fresh.step(w2, new float[][] {{1234f}});
        assertEquals(-1e-3, w2[0][0], 1e-9);
    }
}
