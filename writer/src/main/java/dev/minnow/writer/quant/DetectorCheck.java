package dev.minnow.writer.quant;

import java.util.Objects;

/**
 * How a detector decides: a score of each sample computed from the model's first output, compared with a
 * threshold (score > threshold: anomaly).
 *
 * @param score     the score function
 * @param threshold the decision threshold
 */
public record DetectorCheck(ScoreFunction score, double threshold) {
    public DetectorCheck {
        Objects.requireNonNull(score, "score");
        if (Double.isNaN(threshold)) throw new IllegalArgumentException("threshold is NaN");
    }

    /** A detector's score of one sample. */
    @FunctionalInterface
    public interface ScoreFunction {
        /** The score of sample {@code index} given its input values and the model's first output. */
        double score(int index, float[] input, float[] output);
    }

    /** Mean squared reconstruction error, the autoencoders' anomaly score (output and input of equal size). */
    public static ScoreFunction reconstructionError() {
        return (i, in, out) -> {
            if (in.length != out.length) throw new IllegalArgumentException("reconstruction of " + out.length + " values for " + in.length + " inputs");
            double s = 0;
            for (int k = 0; k < in.length; k++) s += (double) (in[k] - out[k]) * (in[k] - out[k]);
            return s / in.length;
        };
    }
}
