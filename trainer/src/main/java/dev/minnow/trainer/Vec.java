package dev.minnow.trainer;

/**
 * The inner loops of the layers. Every loop runs over whole row arrays from index 0: HotSpot's C2 vectorises
 * {@code y[i] += a * x[i]} only when loads and stores share one index (with different offsets into arrays that
 * might be the same it must assume a dependence), so weights and activations are kept as arrays of rows.
 */
final class Vec {
    private Vec() {}

    /** {@code y[i] += a * x[i]} for {@code i < y.length}. */
    static void axpy(float a, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) y[i] += a * x[i];
    }

    /** {@code y[i] += x[i]} for {@code i < y.length}. */
    static void add(float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) y[i] += x[i];
    }

    /** Sets every value of every row to 0. */
    static void zero(float[][] rows) {
        for (float[] r : rows) java.util.Arrays.fill(r, 0f);
    }

    /** Copies {@code from}'s rows into {@code to}'s (same shapes). */
    static void copy(float[][] from, float[][] to) {
        for (int i = 0; i < from.length; i++) System.arraycopy(from[i], 0, to[i], 0, from[i].length);
    }

    /** Rows {@code rows x cols} of zeros. */
    static float[][] rows(int rows, int cols) { return new float[rows][cols]; }

    /** Copies row-major values {@code flat} into {@code rows}. */
    static void unflatten(float[] flat, float[][] rows) {
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(flat, at, r, 0, r.length);
            at += r.length;
        }
    }

    /** Copies {@code rows} into row-major {@code flat}. */
    static void flatten(float[][] rows, float[] flat) {
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, flat, at, r.length);
            at += r.length;
        }
    }
}
