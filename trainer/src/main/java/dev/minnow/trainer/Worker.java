package dev.minnow.trainer;

/**
 * The buffers one thread needs to run a {@link Net} on one sample at a time: activations of every layer (as rows),
 * their gradients, the layers' caches and a parameter-gradient accumulator.
 */
final class Worker {
    private final Net net;
    private final float[][][] acts;
    private final float[][][] grads;
    private final Object[] scratch;
    private final float[] flatOut;
    private final Rng dropout = new Rng(0);
    final float[][] paramGrad;

    Worker(Net net) {
        this.net = net;
        int n = net.ops.length;
        acts = new float[n + 1][][];
        grads = new float[n + 1][][];
        scratch = new Object[n];
        acts[0] = Vec.rows(Op.rowsOf(net.inputShape), Op.colsOf(net.inputShape));
        grads[0] = Vec.rows(Op.rowsOf(net.inputShape), Op.colsOf(net.inputShape));
        for (int i = 0; i < n; i++) {
            int[] s = net.ops[i].outShape;
            acts[i + 1] = Vec.rows(Op.rowsOf(s), Op.colsOf(s));
            grads[i + 1] = Vec.rows(Op.rowsOf(s), Op.colsOf(s));
            scratch[i] = net.ops[i].newScratch();
        }
        flatOut = new float[net.outSize];
        paramGrad = net.newRows();
    }

    /** Runs the network on the flat sample {@code x}; returns the flat output (a buffer valid until the next call). */
    float[] forward(float[][] p, float[] x, long dropoutSeed, boolean training) {
        run(p, x, dropoutSeed, training);
        Vec.flatten(acts[net.ops.length], flatOut);
        return flatOut;
    }

    private void run(float[][] p, float[] x, long dropoutSeed, boolean training) {
        checkLength("input", x, net.inSize);
        Vec.unflatten(x, acts[0]);
        Rng rng = null;
        if (training) {
            dropout.reseed(dropoutSeed);
            rng = dropout;
        }
        for (int i = 0; i < net.ops.length; i++) net.ops[i].forward(p, acts[i], acts[i + 1], scratch[i], rng);
    }

    /**
     * Runs one training sample forward and backward, adding {@code scale} times its loss gradient with respect to
     * the parameters to {@link #paramGrad}; returns the sample's unscaled loss sum.
     */
    double accumulate(float[][] p, float[] x, float[] y, Loss loss, float scale, long dropoutSeed) {
        checkLength("target", y, net.outSize);
        run(p, x, dropoutSeed, true);
        float[][] out = acts[net.ops.length];
        double sum = loss.sum(out, y);
        loss.gradient(out, y, scale, grads[net.ops.length]);
        backward(p, false);
        return sum;
    }

    /** Backpropagates the gradient already in the output gradient rows; optionally down to the input. */
    void backward(float[][] p, boolean inputGradient) {
        int n = net.ops.length;
        for (int i = n - 1; i >= 0; i--) {
            float[][] dIn = i > 0 || inputGradient ? grads[i] : null;
            net.ops[i].backward(p, acts[i], acts[i + 1], grads[i + 1], dIn, paramGrad, scratch[i]);
        }
    }

    /** The output rows of layer {@code layer} after the last forward pass. */
    float[][] activation(int layer) { return acts[layer + 1]; }

    /** The output rows after the last forward pass. */
    float[][] output() { return acts[net.ops.length]; }

    /** The gradient rows of the network output (to seed {@link #backward}). */
    float[][] outputGradient() { return grads[net.ops.length]; }

    /** The gradient with respect to the input after {@code backward(p, true)}, flat. */
    float[] inputGradient() {
        float[] g = new float[net.inSize];
        Vec.flatten(grads[0], g);
        return g;
    }

    void clearGradient() { Vec.zero(paramGrad); }

    private static void checkLength(String what, float[] v, int n) {
        if (v.length != n) throw new IllegalArgumentException(what + " sample has " + v.length + " values, the network expects " + n);
    }
}
