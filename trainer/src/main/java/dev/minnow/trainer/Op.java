package dev.minnow.trainer;

import java.util.Arrays;

/**
 * One layer as the trainer runs it: forward and backward passes over one sample held as rows (a {@code [T, C]}
 * sample is T rows of C values, a {@code [C]} sample one row). Parameters are rows too, in Keras's layout cut along
 * its last axis, and live in the network's parameter row list from {@link #firstRow}, so the optimiser updates all
 * layers with one loop.
 */
abstract class Op {
    final int[] inShape;
    final int[] outShape;
    final int inSize;
    final int outSize;
    final int firstRow;

    Op(int[] inShape, int[] outShape, int firstRow) {
        this.inShape = inShape.clone();
        this.outShape = outShape.clone();
        this.inSize = size(inShape);
        this.outSize = size(outShape);
        this.firstRow = firstRow;
    }

    /** The lengths of this layer's parameter rows, in order. */
    abstract int[] paramRows();

    /** Per-worker caches of one sample's forward pass that the backward pass needs (null when none). */
    Object newScratch() { return null; }

    /** Called after the parameters changed, for layers that keep derived (transposed) copies of their weights. */
    void refresh(float[][] p) { }

    /**
     * Computes {@code out} from {@code in}. {@code training} carries the dropout stream of this sample, or is null
     * at inference.
     */
    abstract void forward(float[][] p, float[][] in, float[][] out, Object scratch, Rng training);

    /**
     * Adds this sample's parameter gradients to {@code g} (rows like {@code p}) and, when {@code dIn} is not null,
     * writes the gradient with respect to the input into it. {@code dOut} may be overwritten. The forward pass of the
     * same sample must have been the last one run with this scratch.
     */
    abstract void backward(float[][] p, float[][] in, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch);

    /** Rows of a sample of {@code shape}: all but the last dimension. */
    static int rowsOf(int[] shape) { return size(shape) / shape[shape.length - 1]; }

    /** Values per row of a sample of {@code shape}. */
    static int colsOf(int[] shape) { return shape[shape.length - 1]; }

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE / 4) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
        return (int) n;
    }

    /** {@code n} rows of {@code len} values. */
    static int[] repeat(int n, int len) {
        int[] r = new int[n];
        Arrays.fill(r, len);
        return r;
    }

    /** The concatenation of row-length lists. */
    static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] r = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, r, at, p.length);
            at += p.length;
        }
        return r;
    }

    /** Applies an activation to every row. */
    static void activate(dev.minnow.writer.network.Activation a, float[][] rows) {
        if (a == dev.minnow.writer.network.Activation.LINEAR) return;
        for (float[] r : rows) Activations.apply(a, r, 0, r.length);
    }

    /** Multiplies every gradient row by the activation's derivative at the matching output row. */
    static void deactivate(dev.minnow.writer.network.Activation a, float[][] out, float[][] grad) {
        if (a == dev.minnow.writer.network.Activation.LINEAR) return;
        for (int i = 0; i < out.length; i++) Activations.backprop(a, out[i], grad[i], 0, out[i].length);
    }
}
