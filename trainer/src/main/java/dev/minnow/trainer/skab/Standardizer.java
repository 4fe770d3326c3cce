package dev.minnow.trainer.skab;

/**
 * Per-feature standardisation fitted on some rows, as scikit-learn's StandardScaler: mean and population standard
 * deviation, a zero deviation replaced by 1.
 *
 * @param mean  per-feature mean
 * @param scale per-feature standard deviation (1 where it was 0)
 */
public record Standardizer(double[] mean, double[] scale) {
    /** Fits rows {@code [from, to)} of {@code rows}. */
    public static Standardizer fit(float[][] rows, int from, int to) {
        if (to <= from) throw new IllegalArgumentException("cannot fit a standardiser on rows [" + from + ", " + to + ")");
        int nf = rows[from].length;
        double[] mean = new double[nf];
        double[] scale = new double[nf];
        for (int i = from; i < to; i++) for (int j = 0; j < nf; j++) mean[j] += rows[i][j];
        for (int j = 0; j < nf; j++) mean[j] /= (to - from);
        for (int i = from; i < to; i++) {
            for (int j = 0; j < nf; j++) {
                double d = rows[i][j] - mean[j];
                scale[j] += d * d;
            }
        }
        for (int j = 0; j < nf; j++) {
            scale[j] = Math.sqrt(scale[j] / (to - from));
            if (scale[j] == 0) scale[j] = 1;
        }
        return new Standardizer(mean, scale);
    }

    /** All rows standardised. */
    public float[][] apply(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != mean.length) {
                throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " features, the standardiser " + mean.length);
            }
            out[i] = new float[mean.length];
            for (int j = 0; j < mean.length; j++) out[i][j] = (float) ((rows[i][j] - mean[j]) / scale[j]);
        }
        return out;
    }
}
