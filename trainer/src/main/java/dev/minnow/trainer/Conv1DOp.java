package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Padding;

/**
 * Keras Conv1D on {@code [T, C]}: kernel {@code [k][C][F]}, output step {@code o} reads input steps
 * {@code o * stride + j * dilation - padLeft}; "same" pads {@code max((To - 1) * stride + span - T, 0)} steps, the
 * smaller half on the left as TensorFlow does.
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
    private final int kOff;
    private final int bOff;

    Conv1DOp(int[] inShape, int[] outShape, int kernelSize, int stride, int dilation, Padding padding, Activation act, int paramOffset) {
        super(inShape, outShape, paramOffset);
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
        this.kOff = paramOffset;
        this.bOff = paramOffset + k * c * f;
    }

    @Override int paramCount() { return k * c * f + f; }

    @Override void forward(float[] p, float[] x, float[] out, Object scratch, Rng training) {
        for (int o = 0; o < to; o++) {
            int ob = o * f;
            System.arraycopy(p, bOff, out, ob, f);
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j * dilation - padLeft;
                if (pos < 0 || pos >= t) continue;
                int w = kOff + j * c * f;
                for (int ci = 0; ci < c; ci++) Vec.axpy(x[pos * c + ci], p, w + ci * f, out, ob, f);
            }
        }
        Activations.apply(act, out, 0, outSize);
    }

    @Override void backward(float[] p, float[] x, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch) {
        Activations.backprop(act, out, dOut, 0, outSize);
        if (dIn != null) java.util.Arrays.fill(dIn, 0, inSize, 0f);
        for (int o = 0; o < to; o++) {
            int ob = o * f;
            Vec.add(dOut, ob, g, bOff, f);
            for (int j = 0; j < k; j++) {
                int pos = o * stride + j * dilation - padLeft;
                if (pos < 0 || pos >= t) continue;
                int w = kOff + j * c * f;
                for (int ci = 0; ci < c; ci++) {
                    Vec.axpy(x[pos * c + ci], dOut, ob, g, w + ci * f, f);
                    if (dIn != null) dIn[pos * c + ci] += Vec.dot(p, w + ci * f, dOut, ob, f);
                }
            }
        }
    }
}
