package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.Flatten;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Padding;
import dev.minnow.writer.network.Reshape;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Models beyond the three detector architectures, covering the rest of what the writer and quantizer emit: a
 * network with every layer kind and activation ({@link #mixedNetwork}), and an image model built with the
 * lower-level {@link OpBuilder} (CONV_2D, DEPTHWISE_CONV_2D, both poolings, RESHAPE, FULLY_CONNECTED, TANH,
 * LOGISTIC, SOFTMAX).
 */
final class ExtraModels {
    private ExtraModels() {}

    /**
     * [16, 4] -> Dense(6, relu6) on every step (keep_num_dims) -> Conv1D(5, k3, valid, dilation 2, sigmoid) ->
     * Conv1DTranspose(3, k4, s2, valid, tanh) -> Flatten -> Dense(12, tanh) -> Reshape [4, 3] -> LSTM(5) -> Dense(2, sigmoid).
     */
    static FloatNetwork mixedNetwork(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new FloatNetwork("mixed", new int[] {16, 4}, List.of(
                new Dense(Architectures.glorot(r, 4, 6), Architectures.vector(r, 6, 0.1), Activation.RELU6),
                new Conv1D(Architectures.kernel(r, 3, 6, 5), Architectures.vector(r, 5, 0.1), 1, 2, Padding.VALID, Activation.SIGMOID),
                new Conv1DTranspose(Architectures.kernel(r, 4, 3, 5), Architectures.vector(r, 3, 0.1), 2, Padding.VALID, Activation.TANH),
                new Flatten(),
                new Dense(Architectures.glorot(r, 78, 12), Architectures.vector(r, 12, 0.1), Activation.TANH),
                new Reshape(new int[] {4, 3}),
                Architectures.lstm(r, 3, 5, false),
                new Dense(Architectures.glorot(r, 5, 2), Architectures.vector(r, 2, 0.1), Activation.SIGMOID)));
    }

    static float[][] mixedSamples(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[count][64];
        for (float[] x : s) for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 1.5);
        return s;
    }

    /** A float image model on [1, 8, 8, 3] built operator by operator. */
    static byte[] imageModel(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ModelWriter m = new ModelWriter().setDescription("image");
        SubgraphWriter g = m.main();
        OpBuilder ops = new OpBuilder(g);
        int in = g.addTensor("input", DataType.FLOAT32, new int[] {1, 8, 8, 3}, Quantization.NONE);
        int w1 = ops.constantFloat("conv/filter", new int[] {6, 3, 3, 3}, random(r, 6 * 27, 0.4));
        int b1 = ops.constantFloat("conv/bias", new int[] {6}, random(r, 6, 0.1));
        int c1 = g.addTensor("conv", DataType.FLOAT32, new int[] {1, 8, 8, 6}, Quantization.NONE);
        ops.conv2d(in, w1, b1, c1, Padding.SAME, 1, 1, 1, 1, FusedActivation.RELU);
        int w2 = ops.constantFloat("dw/filter", new int[] {1, 3, 3, 12}, random(r, 108, 0.4));
        int b2 = ops.constantFloat("dw/bias", new int[] {12}, random(r, 12, 0.1));
        int c2 = g.addTensor("dw", DataType.FLOAT32, new int[] {1, 6, 6, 12}, Quantization.NONE);
        ops.depthwiseConv2d(c1, w2, b2, c2, Padding.VALID, 1, 1, 2, 1, 1, FusedActivation.RELU6);
        int p1 = g.addTensor("maxpool", DataType.FLOAT32, new int[] {1, 3, 3, 12}, Quantization.NONE);
        ops.pool2d(true, c2, p1, Padding.VALID, 2, 2, 2, 2, FusedActivation.NONE);
        int p2 = g.addTensor("avgpool", DataType.FLOAT32, new int[] {1, 2, 2, 12}, Quantization.NONE);
        ops.pool2d(false, p1, p2, Padding.SAME, 2, 2, 2, 2, FusedActivation.NONE);
        int shape = ops.constantInt32("flatten/shape", new int[] {2}, new int[] {-1, 48}, Quantization.NONE);
        int flat = g.addTensor("flatten", DataType.FLOAT32, new int[] {1, 48}, Quantization.NONE);
        ops.reshape(p2, shape, flat);
        int f1 = dense(ops, r, flat, 48, 16, "fc1");
        int t1 = g.addTensor("tanh", DataType.FLOAT32, new int[] {1, 16}, Quantization.NONE);
        ops.tanh(f1, t1);
        int f2 = dense(ops, r, t1, 16, 8, "fc2");
        int s1 = g.addTensor("sigmoid", DataType.FLOAT32, new int[] {1, 8}, Quantization.NONE);
        ops.logistic(f2, s1);
        int f3 = dense(ops, r, s1, 8, 4, "fc3");
        int out = g.addTensor("probabilities", DataType.FLOAT32, new int[] {1, 4}, Quantization.NONE);
        ops.softmax(f3, out, 1f);
        g.setInputs(in).setOutputs(out);
        m.addSignature("serving_default", 0, Map.of("input", in), Map.of("probabilities", out));
        OpVersions.addMinRuntimeVersion(m);
        return m.toByteArray();
    }

    static float[][] imageSamples(long seed, int count) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[count][192];
        for (float[] x : s) for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        return s;
    }

    private static int dense(OpBuilder ops, SplittableRandom r, int in, int inputs, int units, String name) {
        int w = ops.constantFloat(name + "/weights", new int[] {units, inputs}, random(r, units * inputs, Math.sqrt(6.0 / (inputs + units))));
        int b = ops.constantFloat(name + "/bias", new int[] {units}, random(r, units, 0.1));
        int out = ops.graph().addTensor(name, DataType.FLOAT32, new int[] {1, units}, Quantization.NONE);
        ops.fullyConnected(in, w, b, out, FusedActivation.NONE, false);
        return out;
    }

    private static float[] random(SplittableRandom r, int n, double limit) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((2 * r.nextDouble() - 1) * limit);
        return v;
    }
}
