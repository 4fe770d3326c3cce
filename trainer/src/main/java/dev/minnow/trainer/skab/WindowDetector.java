package dev.minnow.trainer.skab;

/** A detector that learns normal windows and scores windows (higher: more anomalous). One instance per file. */
public interface WindowDetector {
    /** Learns from the standardised training windows (flat {@code [length][features]} each). */
    void fit(float[][] windows, long seed);

    /** One anomaly score per window. */
    double[] scores(float[][] windows);

    /** A short note on the last training (e.g. epochs run), for reports. */
    default String detail() { return ""; }
}
