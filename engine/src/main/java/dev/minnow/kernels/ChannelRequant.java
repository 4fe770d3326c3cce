package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;

/**
 * The per-channel int8 output stage of the fast conv kernels: {@code out[c] = clamp(MultiplyByQuantizedMultiplier(
 * acc[c], multiplier[c], shift[c]) + outputOffset, min, max)}, TFLM's double rounding ({@link FixedPoint}). Scalar on
 * every path: a Vector API version (64-bit lanes) measured correct but, inlined beside {@link VectorConv}'s loops on
 * JDK 17, C2 left its vectors boxed (hundreds of KB allocated per invoke).
 */
record ChannelRequant(int n, int[] multiplier, int[] shift, int outputOffset, int min, int max) {

    /** Writes the {@link #n} requantized outputs of {@code acc} as bytes at {@code out[at...]}. */
    void apply(int[] acc, byte[] out, int at) {
        for (int c = 0; c < n; c++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc[c], multiplier[c], shift[c]) + outputOffset;
            out[at + c] = (byte) KernelUtil.clamp(v, min, max);
        }
    }
}
