package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;

/** Keras Dense over the last axis; a {@code [T, C]} input is processed step by step. */
final class DenseOp extends Op {
    private final int in;
    private final int units;
    private final int rows;
    private final Activation act;
    private final int kOff;
    private final int bOff;

    DenseOp(int[] inShape, int units, Activation act, int paramOffset) {
        super(inShape, withLast(inShape, units), paramOffset);
        this.in = inShape[inShape.length - 1];
        this.units = units;
        this.rows = inSize / in;
        this.act = act;
        this.kOff = paramOffset;
        this.bOff = paramOffset + in * units;
    }

    private static int[] withLast(int[] shape, int last) {
        int[] s = shape.clone();
        s[s.length - 1] = last;
        return s;
    }

    @Override int paramCount() { return in * units + units; }

    @Override void forward(float[] p, float[] x, float[] out, Object scratch, Rng training) {
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            System.arraycopy(p, bOff, out, o, units);
            for (int i = 0; i < in; i++) Vec.axpy(x[r * in + i], p, kOff + i * units, out, o, units);
        }
        Activations.apply(act, out, 0, outSize);
    }

    @Override void backward(float[] p, float[] x, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch) {
        Activations.backprop(act, out, dOut, 0, outSize);
        for (int r = 0; r < rows; r++) {
            int o = r * units;
            Vec.add(dOut, o, g, bOff, units);
            for (int i = 0; i < in; i++) {
                Vec.axpy(x[r * in + i], dOut, o, g, kOff + i * units, units);
                if (dIn != null) dIn[r * in + i] = Vec.dot(p, kOff + i * units, dOut, o, units);
            }
        }
    }
}
