package dev.minnow.trainer;

/** Inverted dropout: while training, keeps each value with probability {@code 1 - rate} scaled by {@code 1 / (1 - rate)}. */
final class DropoutOp extends Op {
    private final float rate;
    private final float keepScale;

    DropoutOp(int[] shape, float rate) {
        super(shape, shape, 0);
        this.rate = rate;
        this.keepScale = 1f / (1f - rate);
    }

    @Override int paramCount() { return 0; }

    @Override Object newScratch() { return new float[inSize]; }

    @Override void forward(float[] p, float[] x, float[] out, Object scratch, Rng training) {
        float[] mask = (float[]) scratch;
        if (training == null || rate == 0f) {
            java.util.Arrays.fill(mask, 1f);
            System.arraycopy(x, 0, out, 0, inSize);
            return;
        }
        for (int i = 0; i < inSize; i++) {
            mask[i] = training.nextFloat() >= rate ? keepScale : 0f;
            out[i] = x[i] * mask[i];
        }
    }

    @Override void backward(float[] p, float[] x, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch) {
        if (dIn == null) return;
        float[] mask = (float[]) scratch;
        for (int i = 0; i < inSize; i++) dIn[i] = dOut[i] * mask[i];
    }
}
