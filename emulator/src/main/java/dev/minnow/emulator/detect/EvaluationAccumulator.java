package dev.minnow.emulator.detect;

import java.util.Arrays;

/**
 * Streams labelled rows and scored windows into an {@link Evaluation} with bounded memory: counts, the current
 * anomaly interval, and at most {@link #RESERVOIR} (score, label) pairs for the AUC ({@link ScoreSample}).
 */
public final class EvaluationAccumulator {
    /** Windows kept for the ROC AUC. */
    public static final int RESERVOIR = ScoreSample.CAPACITY;

    private final boolean timed;
    private final ScoreSample sample = new ScoreSample();
    private long windows, positives, tp, fp, tn, fn;
    private boolean rowLabel;
    private boolean inInterval, intervalDetected;
    private long intervalStartRow;
    private double intervalStartTime;
    private long intervals, detected;
    private double delaySum;

    /** An accumulator measuring delays in seconds ({@code timed}) or rows. */
    public EvaluationAccumulator(boolean timed) { this.timed = timed; }

    /** Every data row, in order, before any window ending at it: its 1-based row number, label and time. */
    public void row(long row, boolean anomalous, double timeSeconds) {
        rowLabel = anomalous;
        if (anomalous && !inInterval) {
            inInterval = true;
            intervalDetected = false;
            intervalStartRow = row;
            intervalStartTime = timeSeconds;
        } else if (!anomalous && inInterval) {
            closeInterval();
        }
    }

    /** A window ending at the last row given to {@link #row}: its score and whether it raised an alarm. */
    public void window(long row, double timeSeconds, double score, boolean alarm) {
        windows++;
        boolean positive = rowLabel;
        if (positive) positives++;
        if (alarm && positive) tp++;
        else if (alarm) fp++;
        else if (positive) fn++;
        else tn++;
        if (alarm && inInterval && !intervalDetected) {
            intervalDetected = true;
            delaySum += timed ? timeSeconds - intervalStartTime : row - intervalStartRow;
        }
        sample.add(score, positive);
    }

    private void closeInterval() {
        inInterval = false;
        intervals++;
        if (intervalDetected) detected++;
    }

    /** The metrics so far (an open interval counts as ended). */
    public Evaluation result() {
        long ivs = intervals + (inInterval ? 1 : 0), det = detected + (inInterval && intervalDetected ? 1 : 0);
        long negatives = windows - positives;
        Double precision = tp + fp == 0 ? null : (double) tp / (tp + fp);
        Double recall = tp + fn == 0 ? null : (double) tp / (tp + fn);
        Double f1 = precision == null || recall == null ? null
                : precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        Double far = fp + tn == 0 ? null : (double) fp / (fp + tn);
        Double mar = fn + tp == 0 ? null : (double) fn / (fn + tp);
        return new Evaluation(windows, positives, negatives, tp, fp, tn, fn, precision, recall, f1, far, mar,
                rocAuc(sample.scores(), sample.labels(), sample.size()), sample.exact(), ivs, det, det == 0 ? null : delaySum / det, timed ? "s" : "rows");
    }

    /** Mann-Whitney AUC of the first n pairs with average ranks for ties; null without both classes. */
    static Double rocAuc(float[] scores, boolean[] labels, int n) {
        long pos = 0;
        for (int i = 0; i < n; i++) if (labels[i]) pos++;
        long neg = n - pos;
        if (pos == 0 || neg == 0) return null;
        // sort (score, index) as longs: the float's bits made order-preserving in the high half
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int b = Float.floatToIntBits(scores[i]);
            b ^= (b >> 31) & 0x7fffffff;
            keys[i] = ((long) b << 32) | i;
        }
        Arrays.sort(keys);
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && (keys[j + 1] >> 32) == (keys[i] >> 32)) j++;
            double avg = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) if (labels[(int) keys[k]]) rankSum += avg;
            i = j + 1;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }
}
