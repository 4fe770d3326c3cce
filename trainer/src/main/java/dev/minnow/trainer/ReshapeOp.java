package dev.minnow.trainer;

/** Flatten and Reshape: the row-major values are unchanged, only the shape is. */
final class ReshapeOp extends Op {
    ReshapeOp(int[] inShape, int[] outShape) { super(inShape, outShape, 0); }

    @Override int paramCount() { return 0; }

    @Override void forward(float[] p, float[] x, float[] out, Object scratch, Rng training) {
        System.arraycopy(x, 0, out, 0, inSize);
    }

    @Override void backward(float[] p, float[] x, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch) {
        if (dIn != null) System.arraycopy(dOut, 0, dIn, 0, inSize);
    }
}
