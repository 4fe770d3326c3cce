package dev.minnow.trainer;

/** Flatten and Reshape: the row-major values are unchanged, only how they are cut into rows is. */
final class ReshapeOp extends Op {

    ReshapeOp(int[] inShape, int[] outShape) {
        super(inShape, outShape, 0);
    }

    @Override int[] paramRows() { return new int[0]; }

    @Override Object newScratch() { return new float[inSize]; }

    @Override void forward(float[][] p, float[][] x, float[][] out, Object scratch, Rng training) {
        float[] buf = (float[]) scratch;
        Vec.flatten(x, buf);
        Vec.unflatten(buf, out);
    }

    @Override void backward(float[][] p, float[][] x, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch) {
        if (dIn == null) return;
        float[] buf = (float[]) scratch;
        Vec.flatten(dOut, buf);
        Vec.unflatten(buf, dIn);
    }
}
