package dev.minnow.trainer.skab;

/** How window verdicts become per-row flags. Window {@code k} covers rows {@code [k, k + length)}. */
public enum PointRule {
    /**
     * SKAB's Conv-AE notebook: row {@code i} (for {@code length - 1 <= i <= windows - length}) is flagged when the
     * windows starting at {@code i - length + 1 .. i - 1} all exceed the limit (the slice excludes window {@code i}).
     */
    REFERENCE,
    /** Causal: row {@code i} is flagged when the window ending at {@code i} exceeds the limit. */
    WINDOW_END;

    /** Per-row flags for {@code rows} rows from per-window verdicts (window {@code k} starts at row {@code k}). */
    public boolean[] flags(boolean[] windowAbove, int rows, int length) {
        boolean[] flag = new boolean[rows];
        int windows = windowAbove.length;
        if (windows != rows - length + 1) {
            throw new IllegalArgumentException(windows + " window verdicts for " + rows + " rows of windows of " + length
                    + " (expected " + (rows - length + 1) + ")");
        }
        switch (this) {
            case REFERENCE -> {
                // run[k]: consecutive exceeding windows ending at window k
                int[] run = new int[windows];
                for (int k = 0; k < windows; k++) run[k] = windowAbove[k] ? (k > 0 ? run[k - 1] + 1 : 1) : 0;
                for (int i = length - 1; i <= windows - length; i++) {
                    flag[i] = length == 1 || run[i - 1] >= length - 1;
                }
            }
            case WINDOW_END -> {
                for (int k = 0; k < windows; k++) flag[k + length - 1] = windowAbove[k];
            }
        }
        return flag;
    }
}
