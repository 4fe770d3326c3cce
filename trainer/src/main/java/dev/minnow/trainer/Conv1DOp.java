package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Padding;

/**
 * Keras Conv1D on {@code [T, C]}: kernel {@code [k][C][F]}, output step {@code o} reads input steps
 * {@code o * stride + j * dilation - padLeft}; "same" pads {@code max((To - 1) * stride + span - T, 0)} steps, the
 * smaller half on the left as TensorFlow does. Parameter rows: the kernel's {@code k * C} rows of {@code F}, then the
 * bias.
 */
final class Conv1DOp extends Conv1DBase {
    private final int dilation;

    Conv1DOp(int[] inShape, int[] outShape, int kernelSize, int stride, int dilation, Padding padding, Activation act, int firstRow) {
        super(inShape, outShape, kernelSize, stride, samePadLeft(inShape[0], outShape[0], kernelSize, stride, dilation, padding),
                act, firstRow, true);
        this.dilation = dilation;
    }

    /** TensorFlow's "same": {@code max((To - 1) * stride + span - T, 0)} steps, the smaller half on the left. */
    private static int samePadLeft(int t, int to, int k, int stride, int dilation, Padding padding) {
        int span = (k - 1) * dilation + 1;
        return padding == Padding.SAME ? Math.max((to - 1) * stride + span - t, 0) / 2 : 0;
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
