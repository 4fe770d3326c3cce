package dev.minnow.trainer;

/** The training losses, averaged over every output element of every sample of a batch (as Keras reduces them). */
public enum Loss {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    MAE;

    /** The sum of this loss's per-element terms (squared or absolute differences) over a flat sample. */
    double sum(float[] y, float[] target) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += term((double) y[i] - target[i]);
        return s;
    }

    /** The sum of the per-element terms between output rows and a flat target. */
    double sum(float[][] y, float[] target) {
        double s = 0;
        int at = 0;
        for (float[] row : y) {
            for (float v : row) s += term((double) v - target[at++]);
        }
        return s;
    }

    private double term(double d) { return this == MSE ? d * d : Math.abs(d); }

    /**
     * Writes into {@code grad} the derivative of {@code scale} times the per-element terms with respect to the output
     * rows {@code y} (for MAE the sign, 0 at an exact match as TensorFlow's sign).
     */
    void gradient(float[][] y, float[] target, float scale, float[][] grad) {
        int at = 0;
        for (int r = 0; r < y.length; r++) {
            float[] yr = y[r];
            float[] g = grad[r];
            for (int i = 0; i < yr.length; i++) {
                float d = yr[i] - target[at++];
                g[i] = this == MSE ? 2f * scale * d : d > 0 ? scale : d < 0 ? -scale : 0f;
            }
        }
    }
}
