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

    @Override int[] paramRows() { return new int[0]; }

    @Override Object newScratch() { return new float[rowsOf(inShape)][colsOf(inShape)]; }

    @Override void forward(float[][] p, float[][] x, float[][] out, Object scratch, Rng training) {
        float[][] mask = (float[][]) scratch;
        if (training == null || rate == 0f) {
            for (float[] m : mask) java.util.Arrays.fill(m, 1f);
            Vec.copy(x, out);
            return;
        }
        for (int r = 0; r < x.length; r++) {
            float[] m = mask[r];
            for (int i = 0; i < m.length; i++) {
                m[i] = training.nextFloat() >= rate ? keepScale : 0f;
                out[r][i] = x[r][i] * m[i];
            }
        }
    }

    @Override void backward(float[][] p, float[][] x, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch) {
        if (dIn == null) return;
        float[][] mask = (float[][]) scratch;
        for (int r = 0; r < dIn.length; r++) {
            for (int i = 0; i < dIn[r].length; i++) dIn[r][i] = dOut[r][i] * mask[r][i];
        }
    }
}
