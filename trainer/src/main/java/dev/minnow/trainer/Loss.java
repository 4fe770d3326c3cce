package dev.minnow.trainer;

/** The training losses, averaged over every output element of every sample of a batch (as Keras reduces them). */
public enum Loss {
    /** Mean squared error. */
    MSE,
    /** Mean absolute error. */
    MAE;

    /** The sum over {@code n} elements of this loss's per-element term (squared or absolute difference). */
    double sum(float[] y, float[] target, int n) {
        double s = 0;
        if (this == MSE) {
            for (int i = 0; i < n; i++) {
                double d = (double) y[i] - target[i];
                s += d * d;
            }
        } else {
            for (int i = 0; i < n; i++) s += Math.abs((double) y[i] - target[i]);
        }
        return s;
    }

    /**
     * Writes into {@code grad} the derivative of {@code scale} times the per-element terms with respect to {@code y}
     * (for MAE the sign, 0 at an exact match as TensorFlow's sign).
     */
    void gradient(float[] y, float[] target, int n, float scale, float[] grad) {
        if (this == MSE) {
            float s2 = 2f * scale;
            for (int i = 0; i < n; i++) grad[i] = s2 * (y[i] - target[i]);
        } else {
            for (int i = 0; i < n; i++) {
                float d = y[i] - target[i];
                grad[i] = d > 0 ? scale : d < 0 ? -scale : 0f;
            }
        }
    }
}
