package dev.minnow.emulator.detect;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Locale;

/**
 * Detection quality against the CSV's labels. Each window is labelled by its last row (the row at which the
 * firmware decides), and counts as an alarm when its score is above the threshold. Rates are null when their
 * denominator is 0. ROC AUC is the Mann-Whitney probability that a positive window outscores a negative one (ties
 * count half), exact over all windows up to {@link EvaluationAccumulator#RESERVOIR} of them and from a uniform
 * sample of that size beyond. An anomaly interval is a run of labelled rows; its detection delay is from its first
 * row to the end of the first alarm window ending inside it, in seconds with a time column, else in rows.
 *
 * @param windows            windows scored
 * @param positives          windows labelled anomalous
 * @param negatives          windows labelled normal
 * @param truePositives      anomalous windows alarmed
 * @param falsePositives     normal windows alarmed
 * @param trueNegatives      normal windows not alarmed
 * @param falseNegatives     anomalous windows not alarmed
 * @param precision          TP / (TP + FP)
 * @param recall             TP / (TP + FN)
 * @param f1                 harmonic mean of precision and recall
 * @param falseAlarmRate     FP / (FP + TN)
 * @param missedAlarmRate    FN / (FN + TP)
 * @param rocAuc             area under the ROC curve of the score
 * @param rocAucExact        whether every window entered the AUC
 * @param intervals          labelled anomaly intervals
 * @param detectedIntervals  intervals with an alarm inside
 * @param meanDetectionDelay mean delay over detected intervals, null when none
 * @param delayUnit          "s" or "rows"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Evaluation(long windows, long positives, long negatives, long truePositives, long falsePositives,
                        long trueNegatives, long falseNegatives, Double precision, Double recall, Double f1,
                        Double falseAlarmRate, Double missedAlarmRate, Double rocAuc, boolean rocAucExact, long intervals,
                        long detectedIntervals, Double meanDetectionDelay, String delayUnit) {

    /** The metrics as text lines. */
    public String toText() {
        return String.format(Locale.ROOT, "evaluation: %d windows (%d anomalous): TP %d, FP %d, TN %d, FN %d%n"
                        + "  precision %s, recall %s, F1 %s, false alarm rate %s, missed alarm rate %s, ROC AUC %s%s%n"
                        + "  %d of %d anomaly intervals detected, mean detection delay %s%n",
                windows, positives, truePositives, falsePositives, trueNegatives, falseNegatives, f(precision), f(recall), f(f1),
                f(falseAlarmRate), f(missedAlarmRate), f(rocAuc), rocAucExact ? "" : " (sampled)", detectedIntervals, intervals,
                meanDetectionDelay == null ? "n/a" : String.format(Locale.ROOT, "%.4g %s", meanDetectionDelay, delayUnit));
    }

    private static String f(Double v) { return v == null ? "n/a" : String.format(Locale.ROOT, "%.4f", v); }
}
