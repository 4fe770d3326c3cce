package dev.minnow.writer.network;

/** Keras {@code Flatten}: one sample becomes a vector of all its elements (row-major). */
public record Flatten() implements Layer {
    @Override public int[] outputShape(int[] in) {
        long n = 1;
        for (int d : in) n *= d;
        return new int[] {Math.toIntExact(n)};
    }
}
