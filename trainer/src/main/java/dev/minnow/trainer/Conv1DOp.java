package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Padding;

/**
 * Keras Conv1D on {@code [T, C]}: kernel {@code [k][C][F]}, output step {@code o} reads input steps
 * {@code o * stride + j * dilation - padLeft}; "same" pads {@code max((To - 1) * stride + span - T, 0)} steps, the
 * smaller half on the left as TensorFlow does. Parameter rows: the kernel's {@code k * C} rows of {@code F}, then the
 * bias.
 */
final class Conv1DOp extends Op {
    private final int t;
    private final int c;
    private final int f;
    private final int k;
    private final int stride;
    private final int dilation;
    private final int padLeft;
    private final int to;
    private final Activation act;
    private final int bias;
    /** {@code [k * F]} rows of {@code C}: the kernel transposed, for the input gradient. */
    private final float[][] transposed;

    Conv1DOp(int[] inShape, int[] outShape, int kernelSize, int stride, int dilation, Padding padding, Activation act, int firstRow) {
        super(inShape, outShape, firstRow);
        this.t = inShape[0];
        this.c = inShape[1];
        this.to = outShape[0];
        this.f = outShape[1];
        this.k = kernelSize;
        this.stride = stride;
        this.dilation = dilation;
        int span = (k - 1) * dilation + 1;
        this.padLeft = padding == Padding.SAME ? Math.max((to - 1) * stride + span - t, 0) / 2 : 0;
        this.act = act;
        this.bias = firstRow + k * c;
        this.transposed = new float[k * f][c];
    }

    @Override int[] paramRows() { return concat(repeat(k * c, f), new int[] {f}); }

    @Override void refresh(float[][] p) {
        for (int j = 0; j < k; j++) {
            for (int ci = 0; ci < c; ci++) {
                float[] row = p[firstRow + j * c + ci];
                for (int fi = 0; fi < f; fi++) transposed[j * f + fi][ci] = row[fi];
            }
        }
    }

    @Override void forward(float[][] p, float[][] x, float[][] out, Object scratch, Rng training) {
        for (int o = 0; o < to; o++) {
            float[] y = out[o];
            System.arraycopy(p[bias], 0, y, 0, f);
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j * dilation - padLeft;
                if (pos < 0 || pos >= t) continue;
                float[] xr = x[pos];
                int w = firstRow + j * c;
                for (int ci = 0; ci < c; ci++) Vec.axpy(xr[ci], p[w + ci], y);
            }
        }
        activate(act, out);
    }

    @Override void backward(float[][] p, float[][] x, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch) {
        deactivate(act, out, dOut);
        if (dIn != null) Vec.zero(dIn);
        for (int o = 0; o < to; o++) {
            float[] dz = dOut[o];
            Vec.add(dz, g[bias]);
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j * dilation - padLeft;
                if (pos < 0 || pos >= t) continue;
                float[] xr = x[pos];
                int w = firstRow + j * c;
                for (int ci = 0; ci < c; ci++) Vec.axpy(xr[ci], dz, g[w + ci]);
                if (dIn != null) {
                    float[] d = dIn[pos];
                    for (int fi = 0; fi < f; fi++) Vec.axpy(dz[fi], transposed[j * f + fi], d);
                }
            }
        }
    }
}
