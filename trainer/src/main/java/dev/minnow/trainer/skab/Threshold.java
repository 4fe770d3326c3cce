package dev.minnow.trainer.skab;

import java.util.Arrays;

/** The upper control limit of the SKAB baselines: a quantile of the training residuals times a factor. */
public final class Threshold {
    private Threshold() {}

    /** The {@code q} quantile of {@code values} with linear interpolation between order statistics (pandas' default). */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("quantile of no values");
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile " + q + " must be in [0, 1]");
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    /** {@code quantile(residuals, q) * factor}; the baselines use {@code q = 0.999, factor = 4/3}. */
    public static double ucl(double[] residuals, double q, double factor) {
        return quantile(residuals, q) * factor;
    }
}
