package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;

/**
 * Keras Dense over the last axis; a {@code [T, C]} input is processed step by step. Parameter rows: the kernel's
 * {@code in} rows of {@code units}, then the bias.
 */
final class DenseOp extends Op {
    private final int in;
    private final int units;
    private final Activation act;
    private final int bias;
    private float[][] transposed;

    DenseOp(int[] inShape, int units, Activation act, int firstRow) {
        super(inShape, withLast(inShape, units), firstRow);
        this.in = colsOf(inShape);
        this.units = units;
        this.act = act;
        this.bias = firstRow + in;
        this.transposed = new float[units][in];
    }

    private static int[] withLast(int[] shape, int last) {
        int[] s = shape.clone();
        s[s.length - 1] = last;
        return s;
    }

    @Override int[] paramRows() { return concat(repeat(in, units), new int[] {units}); }

    @Override void refresh(float[][] p) {
        for (int i = 0; i < in; i++) {
            float[] row = p[firstRow + i];
            for (int u = 0; u < units; u++) transposed[u][i] = row[u];
        }
    }

    @Override void forward(float[][] p, float[][] x, float[][] out, Object scratch, Rng training) {
        for (int r = 0; r < x.length; r++) {
            float[] o = out[r];
            float[] xr = x[r];
            System.arraycopy(p[bias], 0, o, 0, units);
            for (int i = 0; i < in; i++) Vec.axpy(xr[i], p[firstRow + i], o);
        }
        activate(act, out);
    }

    @Override void backward(float[][] p, float[][] x, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch) {
        deactivate(act, out, dOut);
        for (int r = 0; r < x.length; r++) {
            float[] dz = dOut[r];
            float[] xr = x[r];
            Vec.add(dz, g[bias]);
            for (int i = 0; i < in; i++) Vec.axpy(xr[i], dz, g[firstRow + i]);
            if (dIn != null) {
                float[] d = dIn[r];
                java.util.Arrays.fill(d, 0f);
                for (int u = 0; u < units; u++) Vec.axpy(dz[u], transposed[u], d);
            }
        }
    }
}
