package dev.minnow.trainer;

/** The inner loops of the layers: contiguous multiply-adds written so that the JIT vectorises them. */
final class Vec {
    private Vec() {}

    /** {@code y[yo + i] += a * x[xo + i]} for {@code i < n}. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a * x[xo + i];
    }

    /** The dot product of {@code x[xo, xo + n)} and {@code y[yo, yo + n)}, summed in four interleaved lanes. */
    static float dot(float[] x, int xo, float[] y, int yo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += x[xo + i] * y[yo + i];
            s1 += x[xo + i + 1] * y[yo + i + 1];
            s2 += x[xo + i + 2] * y[yo + i + 2];
            s3 += x[xo + i + 3] * y[yo + i + 3];
        }
        for (; i < n; i++) s0 += x[xo + i] * y[yo + i];
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[yo + i] += x[xo + i]} for {@code i < n}. */
    static void add(float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += x[xo + i];
    }
}
