package dev.minnow.writer.network;

import java.util.Arrays;

/** Shape checks shared by the layer records. */
final class Shapes {
    private Shapes() {}

    static void requireMatrix(String what, float[][] m) {
        if (m == null || m.length == 0 || m[0] == null || m[0].length == 0) throw new IllegalArgumentException(what + " is empty");
        for (float[] row : m) {
            if (row == null || row.length != m[0].length) throw new IllegalArgumentException(what + " has rows of different lengths");
        }
    }

    static void requireCube(String what, float[][][] c) {
        if (c == null || c.length == 0) throw new IllegalArgumentException(what + " is empty");
        for (float[][] m : c) {
            requireMatrix(what, m);
            if (m.length != c[0].length || m[0].length != c[0][0].length) {
                throw new IllegalArgumentException(what + " has slices of different shapes");
            }
        }
    }

    static void requireLength(String what, float[] v, int n) {
        if (v == null || v.length != n) {
            throw new IllegalArgumentException(what + " has " + (v == null ? "no" : String.valueOf(v.length)) + " elements, expected " + n);
        }
    }

    static void requireLastDim(String layer, int[] in, int expected) {
        if (in.length == 0 || in[in.length - 1] != expected) {
            throw new IllegalArgumentException(layer + " expects " + expected + " input features, got shape " + Arrays.toString(in));
        }
    }
}
