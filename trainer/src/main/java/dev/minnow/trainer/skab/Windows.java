package dev.minnow.trainer.skab;

/** Sliding windows over rows, as SKAB's {@code create_sequences}: one window per start row, stride 1. */
public final class Windows {
    private Windows() {}

    /**
     * The windows of {@code length} consecutive rows lying in {@code [from, to)}, each flat row-major
     * {@code [length][features]}; window {@code k} starts at row {@code from + k}.
     */
    public static float[][] of(float[][] rows, int from, int to, int length) {
        if (length < 1) throw new IllegalArgumentException("window length " + length + " must be >= 1");
        int n = to - from - length + 1;
        if (from < 0 || to > rows.length || n < 1) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") of " + rows.length + " hold no window of " + length);
        }
        int nf = rows[from].length;
        float[][] w = new float[n][length * nf];
        for (int k = 0; k < n; k++) {
            for (int t = 0; t < length; t++) System.arraycopy(rows[from + k + t], 0, w[k], t * nf, nf);
        }
        return w;
    }
}
