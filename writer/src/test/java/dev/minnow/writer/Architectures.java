package dev.minnow.writer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.Dropout;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The three anomaly-detector architectures with random (seeded, Glorot-uniform) weights, and representative data
 * for them: MLPerf Tiny's dense autoencoder, the classic LSTM forecaster and SKAB's 1-D convolutional autoencoder.
 */
final class Architectures {
    private Architectures() {}

    /** MLPerf Tiny AD: 640-128-128-128-128-8-128-128-128-128-640, ReLU hidden layers, linear output. */
    static FloatNetwork denseAutoencoder(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] sizes = {640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640};
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            layers.add(new Dense(glorot(r, sizes[i], sizes[i + 1]), vector(r, sizes[i + 1], 0.05),
                    i + 2 == sizes.length ? Activation.LINEAR : Activation.RELU));
        }
        return new FloatNetwork("dense_ae_640", new int[] {640}, layers);
    }

    /** LSTM(50, return_sequences) -> Dropout -> LSTM(50) -> Dropout -> Dense(1), next value from 10 steps. */
    static FloatNetwork lstmForecaster(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new FloatNetwork("lstm_forecaster", new int[] {10, 1}, List.of(
                lstm(r, 1, 50, true), new Dropout(0.2f), lstm(r, 50, 50, false), new Dropout(0.2f),
                new Dense(glorot(r, 50, 1), vector(r, 1, 0.05), Activation.LINEAR)));
    }

    /**
     * SKAB's Conv-AE on 60 steps of 8 sensors: Conv1D(32, 7, s2, relu) -> Dropout -> Conv1D(16, 7, s2, relu) ->
     * Conv1DTranspose(16, 7, s2, relu) -> Dropout -> Conv1DTranspose(32, 7, s2, relu) -> Conv1DTranspose(8, 7),
     * all "same" padding.
     */
    static FloatNetwork convAutoencoder(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new FloatNetwork("conv_ae", new int[] {60, 8}, List.of(
                new Conv1D(kernel(r, 7, 8, 32), vector(r, 32, 0.05), 2, 1, Padding.SAME, Activation.RELU),
                new Dropout(0.2f),
                new Conv1D(kernel(r, 7, 32, 16), vector(r, 16, 0.05), 2, 1, Padding.SAME, Activation.RELU),
                new Conv1DTranspose(kernel(r, 7, 16, 16), vector(r, 16, 0.05), 2, Padding.SAME, Activation.RELU),
                new Dropout(0.2f),
                new Conv1DTranspose(kernel(r, 7, 32, 16), vector(r, 32, 0.05), 2, Padding.SAME, Activation.RELU),
                new Conv1DTranspose(kernel(r, 7, 8, 32), vector(r, 8, 0.05), 1, Padding.SAME, Activation.LINEAR)));
    }

    static Lstm lstm(SplittableRandom r, int inputs, int units, boolean sequences) {
        float[] bias = vector(r, 4 * units, 0.05);
        for (int u = units; u < 2 * units; u++) bias[u] += 1f;   // Keras's unit forget bias
        return new Lstm(glorot(r, inputs, 4 * units), glorot(r, units, 4 * units), bias, sequences);
    }

    static float[][] glorot(SplittableRandom r, int in, int out) {
        double limit = Math.sqrt(6.0 / (in + out));
        float[][] w = new float[in][out];
        for (float[] row : w) for (int j = 0; j < out; j++) row[j] = (float) ((2 * r.nextDouble() - 1) * limit);
        return w;
    }

    static float[][][] kernel(SplittableRandom r, int k, int a, int b) {
        double limit = Math.sqrt(6.0 / (k * a + k * b));
        float[][][] w = new float[k][a][b];
        for (float[][] m : w) for (float[] row : m) for (int j = 0; j < b; j++) row[j] = (float) ((2 * r.nextDouble() - 1) * limit);
        return w;
    }

    static float[] vector(SplittableRandom r, int n, double limit) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * limit);
        return v;
    }

    /** Samples for the dense autoencoder: smooth spectra-like vectors in about [-1, 3]. */
    static float[][] spectra(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[count][640];
        for (float[] x : s) {
            double base = r.nextDouble(), slope = r.nextDouble() * 2 - 1;
            for (int i = 0; i < 640; i++) {
                int bin = i % 128;
                x[i] = (float) (base + slope * bin / 128.0 + 0.5 * Math.sin(bin * 0.1 + base * 6) + 0.3 * r.nextGaussian());
            }
        }
        return s;
    }

    /** Samples for the forecaster: 10 steps of a noisy sine. */
    static float[][] series(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[count][10];
        for (float[] x : s) {
            double phase = r.nextDouble() * 2 * Math.PI, freq = 0.2 + 0.4 * r.nextDouble(), amp = 0.5 + r.nextDouble();
            for (int t = 0; t < 10; t++) x[t] = (float) (amp * Math.sin(phase + freq * t) + 0.05 * r.nextGaussian());
        }
        return s;
    }

    /** Samples for the convolutional autoencoder: 60 x 8 standardised sensor readings. */
    static float[][] sensors(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[count][480];
        for (float[] x : s) {
            double[] phase = new double[8];
            for (int c = 0; c < 8; c++) phase[c] = r.nextDouble() * 6;
            for (int t = 0; t < 60; t++) {
                for (int c = 0; c < 8; c++) x[t * 8 + c] = (float) (Math.sin(phase[c] + t * 0.15 * (c + 1)) + 0.3 * r.nextGaussian());
            }
        }
        return s;
    }
}
