package dev.minnow.trainer;

import java.util.Arrays;

/**
 * The buffers one thread needs to run a {@link Net} on one sample at a time: activations of every layer, their
 * gradients, the layers' caches and a parameter-gradient accumulator.
 */
final class Worker {
    private final Net net;
    private final float[][] acts;
    private final float[][] grads;
    private final Object[] scratch;
    private final float[] lossGrad;
    private final Rng dropout = new Rng(0);
    final float[] paramGrad;

    Worker(Net net) {
        this.net = net;
        int n = net.ops.length;
        acts = new float[n + 1][];
        grads = new float[n + 1][];
        scratch = new Object[n];
        acts[0] = new float[net.inSize];
        grads[0] = new float[net.inSize];
        for (int i = 0; i < n; i++) {
            acts[i + 1] = new float[net.ops[i].outSize];
            grads[i + 1] = new float[net.ops[i].outSize];
            scratch[i] = net.ops[i].newScratch();
        }
        lossGrad = grads[n];
        paramGrad = new float[net.paramCount];
    }

    /** Runs the network on {@code x} and returns its output buffer (valid until the next call). */
    float[] forward(float[] p, float[] x, long dropoutSeed, boolean training) {
        checkLength("input", x, net.inSize);
        System.arraycopy(x, 0, acts[0], 0, net.inSize);
        Rng rng = null;
        if (training) {
            dropout.reseed(dropoutSeed);
            rng = dropout;
        }
        for (int i = 0; i < net.ops.length; i++) net.ops[i].forward(p, acts[i], acts[i + 1], scratch[i], rng);
        return acts[net.ops.length];
    }

    /**
     * Runs one training sample forward and backward, adding {@code scale} times its loss gradient with respect to
     * the parameters to {@link #paramGrad}; returns the sample's unscaled loss sum.
     */
    double accumulate(float[] p, float[] x, float[] y, Loss loss, float scale, long dropoutSeed) {
        checkLength("target", y, net.outSize);
        float[] out = forward(p, x, dropoutSeed, true);
        double sum = loss.sum(out, y, net.outSize);
        loss.gradient(out, y, net.outSize, scale, lossGrad);
        backward(p, false);
        return sum;
    }

    /** Backpropagates the gradient already in the last layer's gradient buffer; optionally down to the input. */
    void backward(float[] p, boolean inputGradient) {
        int n = net.ops.length;
        for (int i = n - 1; i >= 0; i--) {
            float[] dIn = i > 0 || inputGradient ? grads[i] : null;
            net.ops[i].backward(p, acts[i], acts[i + 1], grads[i + 1], dIn, paramGrad, scratch[i]);
        }
    }

    /** The output buffer of layer {@code layer} after the last forward pass. */
    float[] activation(int layer) { return acts[layer + 1]; }

    /** The gradient buffer of the network output (to seed {@link #backward}). */
    float[] outputGradient() { return lossGrad; }

    /** The gradient with respect to the input after {@code backward(p, true)}. */
    float[] inputGradient() { return grads[0]; }

    void clearGradient() { Arrays.fill(paramGrad, 0f); }

    private static void checkLength(String what, float[] v, int n) {
        if (v.length != n) throw new IllegalArgumentException(what + " sample has " + v.length + " values, the network expects " + n);
    }
}
