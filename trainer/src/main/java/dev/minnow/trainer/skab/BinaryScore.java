package dev.minnow.trainer.skab;

/**
 * Outlier detection scored as binary classification of rows, as SKAB's {@code chp_score(metric="binary")}.
 *
 * @param tp anomalous rows flagged
 * @param tn normal rows not flagged
 * @param fp normal rows flagged
 * @param fn anomalous rows not flagged
 */
public record BinaryScore(long tp, long tn, long fp, long fn) {
    /** No rows. */
    public static final BinaryScore EMPTY = new BinaryScore(0, 0, 0, 0);

    /** Scores rows {@code [from, labels.length)}. */
    public static BinaryScore of(int[] labels, boolean[] flags, int from) {
        if (labels.length != flags.length) throw new IllegalArgumentException(labels.length + " labels but " + flags.length + " flags");
        long tp = 0, tn = 0, fp = 0, fn = 0;
        for (int i = from; i < labels.length; i++) {
            boolean a = labels[i] == 1;
            if (a && flags[i]) tp++;
            else if (a) fn++;
            else if (flags[i]) fp++;
            else tn++;
        }
        return new BinaryScore(tp, tn, fp, fn);
    }

    /** The sum of both scores' counts. */
    public BinaryScore plus(BinaryScore o) { return new BinaryScore(tp + o.tp, tn + o.tn, fp + o.fp, fn + o.fn); }

    /** F1 = TP / (TP + (FP + FN) / 2). */
    public double f1() { return tp / (tp + (fp + fn) / 2.0); }

    /** False alarm rate in percent: FP / (FP + TN). */
    public double farPercent() { return 100.0 * fp / (fp + tn); }

    /** Missing alarm rate in percent: FN / (FN + TP). */
    public double marPercent() { return 100.0 * fn / (fn + tp); }

    @Override public String toString() {
        return String.format(java.util.Locale.ROOT, "F1 %.4f  FAR %.2f %%  MAR %.2f %%  (TP %d TN %d FP %d FN %d)", f1(), farPercent(), marPercent(), tp, tn, fp, fn);
    }
}
