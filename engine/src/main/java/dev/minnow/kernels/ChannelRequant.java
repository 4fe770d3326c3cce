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
    /**
     * Per channel, which of {@link RequantLoops}' narrower passes compute its rescale exactly: {@code narrow} the
     * product in 11-bit pieces ({@link RequantLoops#productNarrow}: sums bounded below {@link RequantLoops#NARROW_SUMS}
     * at prepare, no left shift, a non-negative multiplier; or a multiplier of 0, whose product is 0 for every sum),
     * {@code low} the division without its high product ({@link RequantLoops#divideLow}: a right shift of at most
     * 16), {@code small} the clamp of a sum that cannot overflow ({@link RequantLoops#clampSmall}: the rescaled value
     * is below 2^30 in magnitude, as after a narrow product or any right shift, and offset and bounds below 2^16).
     * The {@code all...} flags: every channel, for {@link #applyInts}' passes over all channels at once.
     */
    private final boolean[] narrow, low, small;
    private final boolean allNarrow, allLow, allSmall;
    /** The multipliers' 11-bit pieces of the {@link #narrow} channels (zero for the others). */
    private final RequantLoops.NarrowMultipliers pieces;

    /**
     * Whether a channel's (multiplier, shift) rescales every sum to 0 whatever its shift is taken as: a multiplier of 0
     * at right shifts up to 31 (beyond, FixedPoint's shifts wrap). QuantizeMultiplier gives multiplier 0 only with
     * shift 0 (scale 0, or effective scales below 2^-32 flushed); the output stages run such channels with shift 0 and
     * count them as narrow.
     */
    static boolean rescalesToZero(int multiplier, int shift) { return multiplier == 0 && shift >= -31; }

    /** The output stage of {@code n} channels with TFLM's per-channel multipliers and shifts. */
    ChannelRequant(int n, int[] multiplier, int[] shift, int outputOffset, int min, int max) {
        this(n, multiplier, shift, outputOffset, min, max, null);
    }

    /**
     * As {@link #ChannelRequant(int, int[], int[], int, int, int)}, with {@code sumBound[c]} (or null: unknown) the
     * largest magnitude channel c's sums can reach, proven by the caller at prepare (bias plus the weights' extreme
     * products over the input's range), so that channels below {@link RequantLoops#NARROW_SUMS} take the narrow
     * product. A channel whose multiplier is 0 rescales every sum to 0 whatever its shift (QuantizeMultiplier flushes
     * effective scales below 2^-32 to multiplier 0, shift 0; VWW int8's pointwise layers have such channels): at a
     * right shift of at most 31 it is narrow whatever its sums, and its passes run with shift 0. Without bounds the stage runs
     * {@link RequantLoops.Operands}' wide passes for every channel.
     */
    ChannelRequant(int n, int[] multiplier, int[] shift, int outputOffset, int min, int max, long[] sumBound) {
        this.n = n;
        this.outputOffset = outputOffset;
        this.min = min;
        this.max = max;
        this.multiplier = multiplier.clone();
        this.shift = shift.clone();
        passes = new RequantLoops.Operands(n);
        left = new int[n];
        right = new int[n];
        boolean bounded = sumBound != null;
        int flags = bounded ? n : 0;
        narrow = new boolean[flags];
        low = new boolean[flags];
        small = new boolean[flags];
        pieces = new RequantLoops.NarrowMultipliers(flags);
        boolean plain = true, nonNeg = true, allN = bounded, allL = bounded, allS = bounded;
        boolean smallBounds = Math.abs((long) outputOffset) < 1 << 16 && Math.abs((long) min) < 1 << 16 && Math.abs((long) max) < 1 << 16;
        for (int c = 0; c < n; c++) {
            boolean dead = bounded && rescalesToZero(multiplier[c], shift[c]);
            int sh = dead ? 0 : shift[c];
            passes.set(c, multiplier[c], sh);
            left[c] = RequantLoops.Operands.left(sh);
            right[c] = RequantLoops.Operands.right(sh);
            plain &= multiplier[c] != Integer.MIN_VALUE && right[c] <= 31;
            nonNeg &= multiplier[c] >= 0;
            if (!bounded) continue;
            narrow[c] = dead || sumBound[c] < RequantLoops.NARROW_SUMS && left[c] == 0 && multiplier[c] > 0;
            if (narrow[c]) pieces.set(c, multiplier[c]);
            low[c] = right[c] <= 16;
            small[c] = smallBounds && (narrow[c] || right[c] >= 1) && right[c] <= 31;
            allN &= narrow[c];
            allL &= low[c];
            allS &= small[c];
        }
        exact = plain;
        nonNegative = nonNeg;
        allNarrow = allN;
        allLow = allL;
        allSmall = allS;
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
        RequantLoops.Operands o = passes;
        if (allNarrow) RequantLoops.productNarrow(acc, n, pieces);
        else RequantLoops.highMul(acc, n, o.pow2, o.multiplierLow, o.multiplierHigh);
        if (allLow) RequantLoops.divideLow(acc, n, o.shiftLow, o.half, o.mask);
        else RequantLoops.divideByPot(acc, n, o.shiftHigh, o.shiftLow, o.half, o.mask);
        if (allSmall) RequantLoops.clampSmall(acc, n, outputOffset, min, max);
        else RequantLoops.offsetClamp(acc, n, outputOffset, min, max);
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
        if (narrow.length == 0) {
            passes.applyOne(c, acc, count, outputOffset, min, max);
            return;
        }
        RequantLoops.Operands o = passes;
        if (narrow[c]) RequantLoops.productNarrow(acc, count, pieces.m0[c], pieces.m1[c], pieces.m2[c]);
        else RequantLoops.highMul(acc, count, o.pow2[c], o.multiplierLow[c], o.multiplierHigh[c]);
        if (low[c]) RequantLoops.divideLow(acc, count, o.shiftLow[c], o.half[c], o.mask[c]);
        else RequantLoops.divideByPot(acc, count, o.shiftHigh[c], o.shiftLow[c], o.half[c], o.mask[c]);
        if (small[c]) RequantLoops.clampSmall(acc, count, outputOffset, min, max);
        else RequantLoops.offsetClamp(acc, count, outputOffset, min, max);
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
