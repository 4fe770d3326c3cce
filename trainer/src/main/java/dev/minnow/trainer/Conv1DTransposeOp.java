package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Padding;

/**
 * Keras Conv1DTranspose on {@code [T, C]}: kernel {@code [k][F][C]}; input step {@code o} adds into output steps
 * {@code o * stride + j - padLeft}, the transpose of a Conv1D from the {@code To}-step output back to {@code T}
 * steps. "same" gives {@code To = T * stride} with {@code padLeft = max(k - stride, 0) / 2}; "valid" gives
 * {@code To = (T - 1) * stride + k} with no padding. Parameter rows: the kernel's {@code k * F} rows of {@code C},
 * then the bias.
 */
final class Conv1DTransposeOp extends Conv1DBase {
    Conv1DTransposeOp(int[] inShape, int[] outShape, int kernelSize, int stride, Padding padding, Activation act, int firstRow) {
        super(inShape, outShape, kernelSize, stride, padding == Padding.SAME ? Math.max(kernelSize - stride, 0) / 2 : 0,
                act, firstRow, false);
    }

    @Override void forward(float[][] p, float[][] x, float[][] out, Object scratch, Rng training) {
        for (int q = 0; q < to; q++) System.arraycopy(p[bias], 0, out[q], 0, f);
        for (int o = 0; o < t; o++) {
            float[] xr = x[o];
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j - padLeft;
                if (pos < 0 || pos >= to) continue;
                float[] y = out[pos];
                for (int ci = 0; ci < c; ci++) Vec.axpy(xr[ci], transposed[j * c + ci], y);
            }
        }
        activate(act, out);
    }

    @Override void backward(float[][] p, float[][] x, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch) {
        deactivate(act, out, dOut);
        if (dIn != null) Vec.zero(dIn);
        for (int q = 0; q < to; q++) Vec.add(dOut[q], g[bias]);
        for (int o = 0; o < t; o++) {
            float[] xr = x[o];
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j - padLeft;
                if (pos < 0 || pos >= to) continue;
                float[] dz = dOut[pos];
                int w = firstRow + j * f;
                for (int fi = 0; fi < f; fi++) {
                    float d = dz[fi];
                    Vec.axpy(d, xr, g[w + fi]);
                    if (dIn != null) Vec.axpy(d, p[w + fi], dIn[o]);
                }
            }
        }
    }
}
