package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;

/** The activation functions and their derivatives, the latter computed from the activation's output. */
final class Activations {
    private Activations() {}

    /** Applies {@code a} to {@code x[from, to)} in place. */
    static void apply(Activation a, float[] x, int from, int to) {
        switch (a) {
            case LINEAR -> { }
            case RELU -> { for (int i = from; i < to; i++) x[i] = Math.max(x[i], 0f); }
            case RELU6 -> { for (int i = from; i < to; i++) x[i] = Math.min(Math.max(x[i], 0f), 6f); }
            case TANH -> { for (int i = from; i < to; i++) x[i] = tanh(x[i]); }
            case SIGMOID -> { for (int i = from; i < to; i++) x[i] = sigmoid(x[i]); }
        }
    }

    /**
     * Multiplies {@code grad[from, to)} by the derivative of {@code a} at the points whose outputs are
     * {@code out[from, to)} (ReLU and ReLU6 pass gradient only strictly inside their linear range, as TensorFlow).
     */
    static void backprop(Activation a, float[] out, float[] grad, int from, int to) {
        switch (a) {
            case LINEAR -> { }
            case RELU -> { for (int i = from; i < to; i++) grad[i] = out[i] > 0f ? grad[i] : 0f; }
            case RELU6 -> { for (int i = from; i < to; i++) grad[i] = out[i] > 0f && out[i] < 6f ? grad[i] : 0f; }
            case TANH -> { for (int i = from; i < to; i++) grad[i] *= 1f - out[i] * out[i]; }
            case SIGMOID -> { for (int i = from; i < to; i++) grad[i] *= out[i] * (1f - out[i]); }
        }
    }

    /** The logistic function, computed in double and rounded once. */
    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-(double) x)));
    }

    /** The hyperbolic tangent, computed in double from one exponential and rounded once. */
    static float tanh(float x) {
        double ax = Math.abs((double) x);
        double e = Math.exp(-2.0 * ax);
        double t = (1.0 - e) / (1.0 + e);
        return (float) (x < 0 ? -t : t);
    }
}
