package dev.minnow.trainer;

/**
 * Adam as Keras implements it: {@code m += (g - m)(1 - beta1)}, {@code v += (g² - v)(1 - beta2)},
 * {@code w -= lr · sqrt(1 - beta2^t) / (1 - beta1^t) · m / (sqrt(v) + epsilon)}.
 */
final class Adam {
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final float[][] m;
    private final float[][] v;
    private long step;

    Adam(int[] rowLengths, double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = (float) learningRate;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
        this.m = new float[rowLengths.length][];
        this.v = new float[rowLengths.length][];
        for (int i = 0; i < rowLengths.length; i++) {
            m[i] = new float[rowLengths[i]];
            v[i] = new float[rowLengths[i]];
        }
    }

    /** Applies one update of the gradient rows {@code g} to the weight rows {@code w}. */
    void step(float[][] w, float[][] g) {
        step++;
        double correction = Math.sqrt(1.0 - Math.pow(beta2, step)) / (1.0 - Math.pow(beta1, step));
        float lr = (float) (learningRate * correction);
        float a1 = 1f - beta1;
        float a2 = 1f - beta2;
        for (int r = 0; r < w.length; r++) {
            float[] wr = w[r];
            float[] gr = g[r];
            float[] mr = m[r];
            float[] vr = v[r];
            for (int i = 0; i < wr.length; i++) {
                float gi = gr[i];
                float mi = mr[i] + (gi - mr[i]) * a1;
                float vi = vr[i] + (gi * gi - vr[i]) * a2;
                mr[i] = mi;
                vr[i] = vi;
                wr[i] -= lr * mi / ((float) Math.sqrt(vi) + epsilon);
            }
        }
    }
}
