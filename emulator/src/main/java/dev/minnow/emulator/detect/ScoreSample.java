package dev.minnow.emulator.detect;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Scores (each with a label bit) kept in bounded memory: all of them up to {@link #CAPACITY}, then a uniform
 * reservoir sample of that size (Algorithm R, fixed seed, so runs repeat). Used for the ROC AUC and calibration
 * quantiles, which are exact while {@link #exact()}.
 */
final class ScoreSample {
    /** Scores kept at most. */
    static final int CAPACITY = 1 << 20;

    private float[] scores = new float[1024];
    private boolean[] labels = new boolean[1024];
    private int kept;
    private long seen;
    private final SplittableRandom random = new SplittableRandom(0x5EED);

    /** Offers one score. */
    void add(double score, boolean label) {
        seen++;
        if (kept < CAPACITY) {
            if (kept == scores.length) {
                scores = Arrays.copyOf(scores, Math.min(CAPACITY, kept * 2));
                labels = Arrays.copyOf(labels, scores.length);
            }
            scores[kept] = (float) score;
            labels[kept++] = label;
        } else {
            long j = random.nextLong(seen);
            if (j < CAPACITY) {
                scores[(int) j] = (float) score;
                labels[(int) j] = label;
            }
        }
    }

    /** Scores offered. */
    long seen() { return seen; }

    /** Scores kept. */
    int size() { return kept; }

    /** Whether every offered score is kept. */
    boolean exact() { return seen <= CAPACITY; }

    /** The kept scores (the sample's own array: read the first {@link #size()} only). */
    float[] scores() { return scores; }

    /** The kept labels, parallel to {@link #scores()}. */
    boolean[] labels() { return labels; }

    /** The kept scores sorted ascending, as doubles. */
    double[] sorted() {
        double[] d = new double[kept];
        for (int i = 0; i < kept; i++) d[i] = scores[i];
        Arrays.sort(d);
        return d;
    }
}
