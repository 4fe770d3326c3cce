package dev.minnow.trainer;

import java.util.Arrays;

/**
 * One layer as the trainer runs it: forward and backward passes over one sample whose values are a flat row-major
 * array. Parameters live in the network's single flat array at {@link #paramOffset}, in Keras's weight layout, so
 * that the optimiser updates every layer with one loop.
 */
abstract class Op {
    final int[] inShape;
    final int[] outShape;
    final int inSize;
    final int outSize;
    final int paramOffset;

    Op(int[] inShape, int[] outShape, int paramOffset) {
        this.inShape = inShape.clone();
        this.outShape = outShape.clone();
        this.inSize = size(inShape);
        this.outSize = size(outShape);
        this.paramOffset = paramOffset;
    }

    /** The number of parameters this layer owns. */
    abstract int paramCount();

    /** Per-worker caches of one sample's forward pass that the backward pass needs (null when none). */
    Object newScratch() { return null; }

    /** Called after the parameters changed, for layers that keep derived copies of their weights. */
    void refresh(float[] p) { }

    /**
     * Computes {@code out} from {@code in}. {@code training} carries the dropout stream of this sample, or is null
     * at inference.
     */
    abstract void forward(float[] p, float[] in, float[] out, Object scratch, Rng training);

    /**
     * Adds this sample's parameter gradients to {@code g} and, when {@code dIn} is not null, writes the gradient
     * with respect to the input into it. {@code dOut} may be overwritten. The forward pass of the same sample must
     * have been the last one run with this scratch.
     */
    abstract void backward(float[] p, float[] in, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch);

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE / 4) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
        return (int) n;
    }
}
