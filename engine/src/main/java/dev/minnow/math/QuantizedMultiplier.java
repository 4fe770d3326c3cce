package dev.minnow.math;

/**
 * A real multiplier as TFLM stores it: {@code real ≈ multiplier * 2^(shift - 31)}, multiplier in [2^30, 2^31)
 * (or 0). Positive shift means left shift.
 */
public record QuantizedMultiplier(int multiplier, int shift) {
    public static final QuantizedMultiplier ZERO = new QuantizedMultiplier(0, 0);

    /** Applies the multiplier to an int32 value (TFLM's MultiplyByQuantizedMultiplier). */
    public int apply(int x) { return FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift); }

    /** Applies the multiplier to an int64 accumulator (the 16x8 kernels' variant). */
    public int apply(long x) { return FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift); }
}
