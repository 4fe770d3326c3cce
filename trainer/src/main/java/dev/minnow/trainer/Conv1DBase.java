package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;

/**
 * What Keras's Conv1D and Conv1DTranspose share on {@code [T, C]} samples: sizes, stride, left padding, activation,
 * and a kernel stored as {@code k} taps of {@code tapRows} parameter rows of {@code tapCols} values, then the bias
 * row; each tap is kept transposed too ({@code tapCols} rows of {@code tapRows}) for the pass that reads it the
 * other way round.
 */
abstract class Conv1DBase extends Op {
    /** Input steps. */
    final int t;
    /** Input channels. */
    final int c;
    /** Output steps. */
    final int to;
    /** Output channels (filters). */
    final int f;
    /** Kernel taps. */
    final int k;
    final int stride;
    /** Padding steps before the first input (Conv1D) or output (Conv1DTranspose) step. */
    final int padLeft;
    final Activation act;
    /** The bias's parameter row. */
    final int bias;
    /** {@code [k * tapCols]} rows of {@code tapRows}: each tap of the kernel transposed. */
    final float[][] transposed;
    private final int tapRows;
    private final int tapCols;

    Conv1DBase(int[] inShape, int[] outShape, int kernelSize, int stride, int padLeft, Activation act, int firstRow,
               boolean channelsInRows) {
        super(inShape, outShape, firstRow);
        this.t = inShape[0];
        this.c = inShape[1];
        this.to = outShape[0];
        this.f = outShape[1];
        this.k = kernelSize;
        this.stride = stride;
        this.padLeft = padLeft;
        this.act = act;
        this.tapRows = channelsInRows ? c : f;
        this.tapCols = channelsInRows ? f : c;
        this.bias = firstRow + k * tapRows;
        this.transposed = new float[k * tapCols][tapRows];
    }

    @Override final int[] paramRows() { return concat(repeat(k * tapRows, tapCols), new int[] {f}); }

    @Override final void refresh(float[][] p) {
        for (int j = 0; j < k; j++) {
            for (int r = 0; r < tapRows; r++) {
                float[] row = p[firstRow + j * tapRows + r];
                for (int s = 0; s < tapCols; s++) transposed[j * tapCols + s][r] = row[s];
            }
        }
    }
}
