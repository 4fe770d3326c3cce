package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Padding;

/**
 * Keras Conv1DTranspose on {@code [T, C]}: kernel {@code [k][F][C]}; input step {@code o} adds into output steps
 * {@code o * stride + j - padLeft}, the transpose of a Conv1D from the {@code To}-step output back to {@code T}
 * steps. "same" gives {@code To = T * stride} with {@code padLeft = max(k - stride, 0) / 2}; "valid" gives
 * {@code To = (T - 1) * stride + k} with no padding.
 */
final class Conv1DTransposeOp extends Op {
    private final int t;
    private final int c;
    private final int f;
    private final int k;
    private final int stride;
    private final int padLeft;
    private final int to;
    private final Activation act;
    private final int kOff;
    private final int bOff;

    Conv1DTransposeOp(int[] inShape, int[] outShape, int kernelSize, int stride, Padding padding, Activation act, int paramOffset) {
        super(inShape, outShape, paramOffset);
        this.t = inShape[0];
        this.c = inShape[1];
        this.to = outShape[0];
        this.f = outShape[1];
        this.k = kernelSize;
        this.stride = stride;
        this.padLeft = padding == Padding.SAME ? Math.max(k - stride, 0) / 2 : 0;
        this.act = act;
        this.kOff = paramOffset;
        this.bOff = paramOffset + k * f * c;
    }

    @Override int paramCount() { return k * f * c + f; }

    @Override void forward(float[] p, float[] x, float[] out, Object scratch, Rng training) {
        for (int q = 0; q < to; q++) System.arraycopy(p, bOff, out, q * f, f);
        for (int o = 0; o < t; o++) {
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j - padLeft;
                if (pos < 0 || pos >= to) continue;
                int w = kOff + j * f * c;
                for (int fi = 0; fi < f; fi++) out[pos * f + fi] += Vec.dot(p, w + fi * c, x, o * c, c);
            }
        }
        Activations.apply(act, out, 0, outSize);
    }

    @Override void backward(float[] p, float[] x, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch) {
        Activations.backprop(act, out, dOut, 0, outSize);
        if (dIn != null) java.util.Arrays.fill(dIn, 0, inSize, 0f);
        for (int q = 0; q < to; q++) Vec.add(dOut, q * f, g, bOff, f);
        for (int o = 0; o < t; o++) {
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j - padLeft;
                if (pos < 0 || pos >= to) continue;
                int w = kOff + j * f * c;
                for (int fi = 0; fi < f; fi++) {
                    float d = dOut[pos * f + fi];
                    Vec.axpy(d, x, o * c, g, w + fi * c, c);
                    if (dIn != null) Vec.axpy(d, p, w + fi * c, dIn, o * c, c);
                }
            }
        }
    }
}
