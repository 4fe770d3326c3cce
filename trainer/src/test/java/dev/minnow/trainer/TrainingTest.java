package dev.minnow.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Padding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Whole trainings: determinism, convergence on tiny problems, early stopping, progress output, bad input. */
class TrainingTest {
    private static final TrainingConfig QUIET = TrainingConfig.defaults().withProgress(Progress.quiet());

    /** Next-value windows of a two-frequency sine: x = 10 steps, y = the following value. */
    private static float[][][] sineWindows(int n, int steps) {
        float[][] x = new float[n][steps];
        float[][] y = new float[n][1];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t <= steps; t++) {
                double v = Math.sin(0.3 * (i + t)) * 0.6 + 0.3 * Math.sin(0.07 * (i + t));
                if (t < steps) x[i][t] = (float) v;
                else y[i][0] = (float) v;
            }
        }
        return new float[][][] {x, y};
    }

    private static int[] bits(FloatNetwork net) {
        float[] p = Net.of(net).flat(Net.of(net).params(net));
        int[] b = new int[p.length];
        for (int i = 0; i < p.length; i++) b[i] = Float.floatToRawIntBits(p[i]);
        return b;
    }

    @Test
    void sameSeedSameWeightsBitForBitWithOneOrTwoThreads() {
        NetworkBuilder b = NetworkBuilder.input(12, 2).conv1d(6, 3, 2, 1, Padding.SAME, Activation.RELU).dropout(0.2f)
                .lstm(5, false).dense(2, Activation.LINEAR);
        float[][] x = TestNets.samples(70, 24, 1, 1f);
        float[][] y = TestNets.samples(70, 2, 2, 1f);
        TrainingConfig c = QUIET.withEpochs(4).withBatchSize(16).withSeed(77).withEarlyStopping(0, false);
        int[] a = bits(new Trainer(c.withThreads(2)).fit(b.build("d", 1), x, y).network());
        int[] again = bits(new Trainer(c.withThreads(2)).fit(b.build("d", 1), x, y).network());
        int[] single = bits(new Trainer(c.withThreads(1)).fit(b.build("d", 1), x, y).network());
        assertArrayEquals(a, again);
        assertArrayEquals(a, single);
        int[] otherSeed = bits(new Trainer(c.withSeed(78)).fit(b.build("d", 1), x, y).network());
        assertFalse(java.util.Arrays.equals(a, otherSeed), "another training seed changes shuffling and dropout");
        int[] untrained = bits(b.build("d", 1));
        assertFalse(java.util.Arrays.equals(a, untrained));
    }

    @Test
    void lstmLearnsTheNextValueOfASine() {
        float[][][] d = sineWindows(400, 10);
        float[][] x = new float[400][];
        for (int i = 0; i < 400; i++) x[i] = d[0][i]; // [10 steps, 1 channel]
        FloatNetwork net = NetworkBuilder.input(10, 1).lstm(16, false).dense(1, Activation.LINEAR).build("sine", 1);
        TrainingResult r = new Trainer(QUIET.withEpochs(60).withSeed(3).withLearningRate(3e-3)).fit(net, x, d[1]);
        double first = r.history().get(0).validationLoss();
        double best = r.best().validationLoss();
        assertTrue(best < 1e-3 && best < first / 50, "validation MSE " + first + " -> " + best);
        // the returned network predicts as well as the best epoch's validation loss says
        FloatPredictor p = new FloatPredictor(r.network());
        double se = 0;
        for (int i = 360; i < 400; i++) {
            double e = p.predict(x[i])[0] - d[1][i][0];
            se += e * e;
        }
        assertEquals(best, se / 40, 1e-9 + best * 1e-4);
    }

    @Test
    void denseAutoencoderLearnsDataOnAPlane() {
        Rng rng = new Rng(4);
        float[][] x = new float[300][8];
        for (float[] row : x) {
            double a = rng.uniform(-1, 1), b = rng.uniform(-1, 1);
            for (int j = 0; j < 8; j++) row[j] = (float) (a * Math.cos(j) + b * Math.sin(0.5 * j));
        }
        FloatNetwork net = NetworkBuilder.input(8).dense(16, Activation.TANH).dense(2, Activation.LINEAR)
                .dense(16, Activation.TANH).dense(8, Activation.LINEAR).build("ae", 2);
        TrainingResult r = new Trainer(QUIET.withEpochs(150).withSeed(5).withLearningRate(3e-3).withEarlyStopping(20, true)).fit(net, x, x);
        assertTrue(r.best().validationLoss() < 2e-3, "validation MSE " + r.best().validationLoss());
    }

    @Test
    void convAutoencoderLearnsSineWindowsWithMae() {
        float[][] x = new float[200][16 * 2];
        for (int i = 0; i < 200; i++) {
            for (int t = 0; t < 16; t++) {
                x[i][t * 2] = (float) Math.sin(0.4 * (i + t));
                x[i][t * 2 + 1] = (float) Math.cos(0.4 * (i + t));
            }
        }
        FloatNetwork net = NetworkBuilder.input(16, 2).conv1d(8, 5, 2, 1, Padding.SAME, Activation.RELU)
                .conv1dTranspose(8, 5, 2, Padding.SAME, Activation.RELU).conv1dTranspose(2, 5, 1, Padding.SAME, Activation.LINEAR)
                .build("cae", 3);
        TrainingResult r = new Trainer(QUIET.withEpochs(60).withLoss(Loss.MAE).withSeed(6).withLearningRate(3e-3)).fit(net, x, x);
        double first = r.history().get(0).validationLoss();
        assertTrue(r.best().validationLoss() < first / 5 && r.best().validationLoss() < 0.08,
                "validation MAE " + first + " -> " + r.best().validationLoss());
    }

    @Test
    void earlyStoppingWaitsPatienceEpochsAndRestoresTheBest() {
        // pure noise targets: the validation loss soon stops improving
        float[][] x = TestNets.samples(60, 4, 8, 1f);
        float[][] y = TestNets.samples(60, 1, 9, 1f);
        NetworkBuilder b = NetworkBuilder.input(4).dense(32, Activation.RELU).dense(1, Activation.LINEAR);
        TrainingConfig c = QUIET.withEpochs(500).withLearningRate(1e-2).withValidationSplit(0.25).withSeed(1);
        TrainingResult restored = new Trainer(c.withEarlyStopping(4, true)).fit(b.build("n", 1), x, y);
        assertTrue(restored.stoppedEarly());
        assertEquals(restored.bestEpoch() + 4, restored.history().size());
        assertEquals(restored.best().validationLoss(), mse(restored.network(), x, y, 45), 1e-6);
        TrainingResult last = new Trainer(c.withEarlyStopping(4, false)).fit(b.build("n", 1), x, y);
        assertEquals(restored.history(), last.history().stream().map(s -> new EpochStats(s.epoch(), s.loss(), s.validationLoss(),
                restored.history().get(s.epoch() - 1).seconds())).toList());
        assertEquals(last.history().get(last.history().size() - 1).validationLoss(), mse(last.network(), x, y, 45), 1e-6);
    }

    private static double mse(FloatNetwork net, float[][] x, float[][] y, int from) {
        FloatPredictor p = new FloatPredictor(net);
        double s = 0;
        for (int i = from; i < x.length; i++) {
            double e = p.predict(x[i])[0] - y[i][0];
            s += e * e;
        }
        return s / (x.length - from);
    }

    @Test
    void plainLinesWhenNotATerminal() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        float[][] x = TestNets.samples(40, 3, 1, 1f);
        new Trainer(QUIET.withEpochs(3).withEarlyStopping(0, false).withProgress(Progress.lines(out)))
                .fit(NetworkBuilder.input(3).dense(3, Activation.LINEAR).build("p", 1), x, x);
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[0].matches("epoch 1/3 - loss \\d+\\.\\d{6} - val_loss \\d+\\.\\d{6} - \\d+\\.\\d{2} s \\*"), lines[0]);
        assertTrue(lines[3].startsWith("trained 3 epochs in "), lines[3]);
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("\r"));
    }

    @Test
    void barRedrawsInPlaceAndKeepsALinePerEpoch() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        float[][] x = TestNets.samples(40, 3, 1, 1f);
        new Trainer(QUIET.withEpochs(2).withBatchSize(4).withEarlyStopping(0, false).withProgress(Progress.bar(out)))
                .fit(NetworkBuilder.input(3).dense(3, Activation.LINEAR).build("p", 1), x, x);
        String s = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("\repoch 1/2 [==============================] 9/9 - loss "), s);
        assertTrue(s.contains("epoch 2/2 - loss "), s);
    }

    @Test
    void badSamplesAreNamed() {
        FloatNetwork net = NetworkBuilder.input(3).dense(2, Activation.LINEAR).build("b", 1);
        Trainer t = new Trainer(QUIET);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.fit(net, new float[][] {{1, 2, 3}, {1, 2}}, new float[][] {{1, 2}, {1, 2}}));
        assertEquals("input sample 1 has 2 values, the network takes 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(net, new float[][] {{1, 2, 3}}, new float[][] {{1, 2, 3}}));
        assertEquals("target 0 has 3 values, the network gives 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.fit(net, new float[][] {{1, 2, 3}}, new float[][] {{1, 2}}));
        assertTrue(e.getMessage().contains("leaves none to train on"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QUIET.withThreads(3));
        assertThrows(IllegalArgumentException.class, () -> QUIET.withValidationSplit(1.0));
    }

    @Test
    void divergenceIsReportedNotReturned() {
        float[][] x = TestNets.samples(20, 3, 1, 1f);
        float[][] y = new float[20][1];
        for (float[] r : y) r[0] = Float.MAX_VALUE;
        FloatNetwork net = NetworkBuilder.input(3).dense(1, Activation.LINEAR).build("b", 1);
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> new Trainer(QUIET.withEpochs(2)).fit(net, x, y));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }
}
