package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;

/**
 * The per-channel int8 output stage of the fast conv kernels, prepared once: {@code out[c] = clamp(
 * MultiplyByQuantizedMultiplier(acc[c], multiplier[c], shift[c]) + outputOffset, min, max)}, TFLM's double rounding
 * ({@link FixedPoint#multiplyByQuantizedMultiplier}) with the shifts, masks and thresholds split per channel at prepare
 * and the roundings computed without branches: on the Vector API in 32-bit lanes ({@link VectorConv#requantize}),
 * otherwise in int passes that JDK 17's C2 auto-vectorises ({@link RequantLoops}). Channels whose multiplier is
 * Integer.MIN_VALUE (the one saturating case) or whose right shift exceeds 31 run {@link FixedPoint} itself.
 */
final class ChannelRequant {
    /**
     * The channel count from which {@link RequantLoops}' passes beat one fused scalar loop on JDK 17 (C2 runs the
     * first and last iterations of a vectorised loop scalar, so four passes over a few channels cost more).
     */
    static final int PASSES_FROM = 24;
    final int n, outputOffset, min, max;
    /** Per channel: the multiplier, the shift. */
    private final int[] multiplier, shift;
    /** Per channel ({@code n} long): {@link RequantLoops}' operands of the passes. */
    private final RequantLoops.Operands passes;
    /** Per channel ({@code n} long; {@link VectorConv#requantize} reads them too): the left shift, the right shift. */
    final int[] left, right;
    /**
     * Per channel, the arrays of {@link #passes} that {@link VectorConv#requantize}'s 32-bit lanes read too:
     * {@code 2^right - 1} and half of it, the multiplier's low 16 bits and the rest (signed; the lanes take them when
     * {@link #nonNegative}).
     */
    final int[] mask, half, multiplierLow, multiplierHigh;
    /** Whether every multiplier is non-negative (so its high half is below 2^15), as the 32-bit lanes' product needs. */
    final boolean nonNegative;
    /** The same as 64-bit lanes for {@link VectorConv#requantize}, zero up to a multiple of {@link ConvWindow#LANES}. */
    final long[] multiplierL, leftL, rightL, maskL, halfL;
    private final boolean exact;

    /** The output stage of {@code n} channels with TFLM's per-channel multipliers and shifts. */
    ChannelRequant(int n, int[] multiplier, int[] shift, int outputOffset, int min, int max) {
        this.n = n;
        this.outputOffset = outputOffset;
        this.min = min;
        this.max = max;
        this.multiplier = multiplier.clone();
        this.shift = shift.clone();
        passes = new RequantLoops.Operands(n);
        left = new int[n];
        right = new int[n];
        boolean plain = true, nonNeg = true;
        for (int c = 0; c < n; c++) {
            passes.set(c, multiplier[c], shift[c]);
            left[c] = RequantLoops.Operands.left(shift[c]);
            right[c] = RequantLoops.Operands.right(shift[c]);
            plain &= multiplier[c] != Integer.MIN_VALUE && right[c] <= 31;
            nonNeg &= multiplier[c] >= 0;
        }
        exact = plain;
        nonNegative = nonNeg;
        mask = passes.mask;
        half = passes.half;
        multiplierLow = passes.multiplierLow;
        multiplierHigh = passes.multiplierHigh;
        int p = ConvWindow.padded(n);
        multiplierL = new long[p];
        leftL = new long[p];
        rightL = new long[p];
        maskL = new long[p];
        halfL = new long[p];
        for (int c = 0; c < n; c++) {
            multiplierL[c] = multiplier[c];
            leftL[c] = left[c];
            rightL[c] = right[c];
            maskL[c] = mask[c];
            halfL[c] = half[c];
        }
    }

    /**
     * Writes the {@code n} requantized outputs of {@code acc} as bytes at {@code out[at...]}; on the Vector API
     * ({@link VectorConv#requantize}: 32-bit lanes, 64-bit ones for a tail) when the JVM has it, using {@code lanes}
     * ({@link ConvWindow#padded}{@code (n)} longs) as scratch; otherwise in {@link RequantLoops}' passes. Either way
     * {@code acc[0..n)} is overwritten.
     */
    void apply(int[] acc, long[] lanes, byte[] out, int at) {
        if (exact && FastLoops.VECTOR_API) {
            VectorConv.requantize(this, acc, lanes);
            for (int c = 0; c < n; c++) out[at + c] = (byte) acc[c];
            return;
        }
        applyInts(acc, out, at);
    }

    /**
     * The output stage without the Vector API: from {@link #PASSES_FROM} channels on in {@link RequantLoops}' int
     * passes, overwriting {@code acc[0..n)}; below, one scalar loop with the product in 64 bits.
     */
    void applyInts(int[] acc, byte[] out, int at) {
        if (!exact) {
            for (int c = 0; c < n; c++) out[at + c] = (byte) value(c, acc[c]);
            return;
        }
        if (n < PASSES_FROM) {
            for (int c = 0; c < n; c++) {
                // SaturatingRoundingDoublingHighMul: no saturation, as the multiplier is not Integer.MIN_VALUE
                long ab = (long) (acc[c] << left[c]) * multiplier[c];
                // (ab + nudge) / 2^31 truncating toward zero, the nudge 2^30 (1 - 2^30 below 0): floor((ab + 2^30) / 2^31)
                int high = (int) ((ab + (1L << 30)) >> 31);
                // RoundingDivideByPOT: one more when the remainder exceeds half the divisor (+1 below 0)
                int threshold = half[c] - (high >> 31);
                int result = (high >> right[c]) + ((threshold - (high & mask[c])) >>> 31) + outputOffset;
                out[at + c] = (byte) Math.min(Math.max(result, min), max);
            }
            return;
        }
        passes.apply(acc, n, outputOffset, min, max);
        RequantLoops.narrow(acc, n, out, at);
    }

    /**
     * The output stage of channel {@code c} alone over {@code count} sums (the planar conv loops: one channel's sums of
     * neighbouring pixels): {@code out[at + i * step]} for {@code i < count}, {@code acc[0..count)} overwritten.
     */
    void applyPlane(int c, int[] acc, int count, byte[] out, int at, int step) {
        planeInts(c, acc, count);
        RequantLoops.narrow(acc, count, out, at, step);
    }

    /**
     * The output stage of channels {@code c .. c + 3} over {@code count} sums each ({@code a0} to {@code a3}, all
     * overwritten): pixel i's four bytes land at {@code out[at + i * step ...]} as one little-endian int, packed in a
     * loop C2 vectorises ({@link FastLoops#pack}, into {@code packed}), so the strided stores are a quarter of
     * {@link #applyPlane}'s byte stores (the planar form's one-byte stores at a stride of the channel count were a
     * fifth of KWS's time).
     */
    void applyPlanes4(int c, int[] a0, int[] a1, int[] a2, int[] a3, int count, int[] packed, byte[] out, int at, int step) {
        planeInts(c, a0, count);
        planeInts(c + 1, a1, count);
        planeInts(c + 2, a2, count);
        planeInts(c + 3, a3, count);
        FastLoops.pack(a0, a1, a2, a3, count, packed);
        RequantLoops.narrow4(packed, count, out, at, step);
    }

    /**
     * {@code acc[0..count)} through channel {@code c}'s output stage, left as ints in {@code [min, max]}. The passes
     * are {@link RequantLoops}' with the channel's multiplier and shift as constants, so C2 vectorises them over the
     * pixels whatever the channel count.
     */
    private void planeInts(int c, int[] acc, int count) {
        if (!exact) {
            for (int i = 0; i < count; i++) acc[i] = value(c, acc[i]);
            return;
        }
        passes.applyOne(c, acc, count, outputOffset, min, max);
    }

    /**
     * Channel {@code c}'s output for the sum {@code v} with the reference's arithmetic: MultiplyByQuantizedMultiplier
     * with the channel's multiplier and shift, plus the output offset, clamped to {@code [min, max]}. For values the
     * passes or lanes cannot take (inexact operands, a vector tail).
     */
    int value(int c, int v) {
        return KernelUtil.clamp(FixedPoint.multiplyByQuantizedMultiplier(v, multiplier[c], shift[c]) + outputOffset, min, max);
    }
}
