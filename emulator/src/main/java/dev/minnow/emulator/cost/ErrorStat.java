package dev.minnow.emulator.cost;

import java.util.Arrays;
import java.util.List;

/**
 * Absolute relative errors |predicted - observed| / observed over a set of rows: how many, the median and the 90th
 * percentile (linear interpolation between order statistics, as numpy's default).
 */
public record ErrorStat(int n, double median, double p90) {

    /** Statistics of the given absolute relative errors; n = 0 gives NaN quantiles. */
    public static ErrorStat of(List<Double> errors) {
        double[] e = errors.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new ErrorStat(e.length, quantile(e, 0.5), quantile(e, 0.9));
    }

    /** The q-quantile of sorted values with linear interpolation between order statistics (numpy's default). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Quantile of unsorted values. */
    static double quantile(List<Double> values, double q) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(s);
        return quantile(s, q);
    }
}
