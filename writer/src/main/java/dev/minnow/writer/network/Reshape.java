package dev.minnow.writer.network;

import java.util.Arrays;

/** Keras {@code Reshape}: one sample takes {@code targetShape} (row-major, same element count, no -1). */
public record Reshape(int[] targetShape) implements Layer {
    public Reshape {
        targetShape = targetShape.clone();
        for (int d : targetShape) {
            if (d <= 0) throw new IllegalArgumentException("Reshape target " + Arrays.toString(targetShape) + " has a dimension <= 0");
        }
    }

    @Override public int[] targetShape() { return targetShape.clone(); }

    @Override public int[] outputShape(int[] in) {
        long a = 1, b = 1;
        for (int d : in) a *= d;
        for (int d : targetShape) b *= d;
        if (a != b) {
            throw new IllegalArgumentException("Reshape " + Arrays.toString(in) + " (" + a + " elements) to "
                    + Arrays.toString(targetShape) + " (" + b + " elements)");
        }
        return targetShape.clone();
    }
}
