package dev.minnow.kernels;

import dev.minnow.util.LittleEndian;

/**
 * The int8 output stage ({@link dev.minnow.math.FixedPoint#multiplyByQuantizedMultiplier}, offset, clamp) as four
 * passes over an int array that JDK 17's C2 auto-vectorises without the Vector API: it does not vectorise a
 * {@code (long) int * int} product, a shift by a per-element count, {@code Math.min/max} on ints, nor one loop body
 * as large as the whole stage, so each pass is a small body of int adds, ands, constant shifts and int multiplies.
 * The 64-bit product is assembled from 16-bit halves (Hacker's Delight's high multiply), the per-channel right shift
 * is three multiplies by prepared powers of two, and the clamp compares without overflow. Each pass rewrites
 * {@code acc[0..n)} in place; only the stores ({@link #narrow}, {@link #narrow4}) are left scalar.
 */
final class RequantLoops {
    private RequantLoops() {}

    /**
     * The passes' per-element operands of {@code n} rescalings by {@code multiplier * 2^(shift - 31)}, derived from each
     * (multiplier, shift) once at prepare ({@link #set}) so an eval only runs the passes: {@link #highMul}'s {@code 2^left}
     * and multiplier halves, {@link #divideByPot}'s shift factors, threshold and mask. The one holder of the int8 and
     * int16 output stages that run these passes (per channel, per quad lane, per LSTM gate product), so the derivation
     * is written once; the passes read its arrays as distinct parameters, which C2 on JDK 17 vectorises.
     */
    static final class Operands {
        /** Per element: {@code 2^left}, the multiplier's low 16 bits and the rest (signed), the shift factors, {@code (2^right - 1) >> 1}, {@code 2^right - 1}. */
        final int[] pow2, multiplierLow, multiplierHigh, shiftHigh, shiftLow, half, mask;

        /** Operands for {@code n} elements, all zero until {@link #set}. */
        Operands(int n) {
            pow2 = new int[n];
            multiplierLow = new int[n];
            multiplierHigh = new int[n];
            shiftHigh = new int[n];
            shiftLow = new int[n];
            half = new int[n];
            mask = new int[n];
        }

        /** Heap bytes of the operands of {@code n} elements (seven int arrays). */
        static long bytes(int n) { return 7 * (4L * n + 16); }

        /** The left shift of a TFLM shift: the positive part. */
        static int left(int shift) { return shift > 0 ? shift : 0; }

        /** The right shift of a TFLM shift: the negative part, negated. */
        static int right(int shift) { return shift > 0 ? 0 : -shift; }

        /**
         * Element {@code j} rescales by {@code multiplier * 2^(shift - 31)}. The passes compute it exactly when the
         * multiplier is not Integer.MIN_VALUE and the right shift is at most 31; a larger right shift leaves the shift
         * factors zero (callers run {@link dev.minnow.math.FixedPoint} for those), its mask and half as the 64-bit
         * {@code 2^right - 1} cut to an int.
         */
        Operands set(int j, int multiplier, int shift) {
            int right = right(shift);
            pow2[j] = 1 << left(shift);
            multiplierLow[j] = multiplier & 0xFFFF;
            multiplierHigh[j] = multiplier >> 16;
            shiftHigh[j] = right <= 31 ? shiftHigh(right) : 0;
            shiftLow[j] = right <= 31 ? shiftLow(right) : 0;
            mask[j] = (int) ((1L << right) - 1);
            half[j] = mask[j] >> 1;
            return this;
        }

        /** {@code acc[c] = clamp(rescale_c(acc[c]) + offset, min, max)} for {@code c < n}: element c's operands on value c. */
        void apply(int[] acc, int n, int offset, int min, int max) {
            highMul(acc, n, pow2, multiplierLow, multiplierHigh);
            divideByPot(acc, n, shiftHigh, shiftLow, half, mask);
            offsetClamp(acc, n, offset, min, max);
        }

        /**
         * {@code acc[i] = clamp(rescale_j(acc[i]) + offset, min, max)} for {@code i < n}: element j's operands on every
         * value, as constants of the passes, so C2 vectorises them over the values whatever the element count.
         */
        void applyOne(int j, int[] acc, int n, int offset, int min, int max) {
            highMul(acc, n, pow2[j], multiplierLow[j], multiplierHigh[j]);
            divideByPot(acc, n, shiftHigh[j], shiftLow[j], half[j], mask[j]);
            offsetClamp(acc, n, offset, min, max);
        }
    }

    /**
     * {@code acc[c] = SaturatingRoundingDoublingHighMul(acc[c] * pow2[c], m[c])} for a multiplier
     * {@code m[c] = mhi[c] * 2^16 + mlo[c]} ({@code mhi = m >> 16}, {@code mlo = m & 0xFFFF}) that is not
     * Integer.MIN_VALUE, {@code pow2[c] = 2^left} (the product wraps to 32 bits as TFLM's left shift does).
     */
    static void highMul(int[] acc, int n, int[] pow2, int[] mlo, int[] mhi) {
        for (int c = 0; c < n; c++) {
            int a = acc[c] * pow2[c];
            int al = a & 0xFFFF, ah = a >> 16, bl = mlo[c], bh = mhi[c];
            int w0 = al * bl;                                   // unsigned 32-bit partial product
            int t = ah * bl + (w0 >>> 16);                      // neither sum overflows: |16-bit x 16-bit| < 2^31 - 2^16
            int w1 = al * bh + (t & 0xFFFF);                    // its low half is bits 16..31 of a * m
            int hi = ah * bh + (t >> 16) + (w1 >> 16);          // bits 32..63 of a * m
            // floor((a * m + 2^30) / 2^31) = 2 hi + bit 31 + bit 30 of a * m (bits 14 and 15 of w1); the sum wraps
            // exactly as the result, which fits an int when m is not Integer.MIN_VALUE
            acc[c] = (hi << 1) + ((((w1 >>> 14) & 3) + 1) >>> 1);
        }
    }

    /** The factor {@code sa} of {@link #divideByPot} for a right shift {@code 0 <= right <= 31}: 2^(32-right) above 16, else 0. */
    static int shiftHigh(int right) {
        return right > 16 ? 1 << (32 - right) : 0;
    }

    /** The factor {@code sb} of {@link #divideByPot} for a right shift {@code 0 <= right <= 31}: 2^(16-right) up to 16, else 0. */
    static int shiftLow(int right) {
        return right > 16 ? 0 : 1 << (16 - right);
    }

    /**
     * {@code acc[c] = RoundingDivideByPOT(acc[c], right[c])}, {@code 0 <= right <= 31}: {@code floor(x / 2^right)} as
     * {@code ((xh * sa) >> 16) + xh * sb + ((xl * sb) >>> 16)} with {@code xh = x >> 16}, {@code xl = x & 0xFFFF},
     * {@code sa = }{@link #shiftHigh}, {@code sb = }{@link #shiftLow} (each product fits: |xh| <= 2^15, xl < 2^16, the
     * last read unsigned), plus one when the remainder {@code x & mask} ({@code 2^right - 1}) exceeds the threshold
     * {@code half} ({@code mask >> 1}; one more below 0).
     */
    static void divideByPot(int[] acc, int n, int[] sa, int[] sb, int[] half, int[] mask) {
        for (int c = 0; c < n; c++) {
            int x = acc[c], xh = x >> 16, xl = x & 0xFFFF;
            int threshold = half[c] - (x >> 31);
            acc[c] = ((xh * sa[c]) >> 16) + xh * sb[c] + ((xl * sb[c]) >>> 16) + ((threshold - (x & mask[c])) >>> 31);
        }
    }

    /**
     * {@link #productNarrow}'s multipliers, each {@code 0 <= m < 2^31} split once at prepare ({@link #set}) into its
     * 11-bit pieces {@code m = m2 * 2^22 + m1 * 2^11 + m0}, beside {@link Operands}' derivation of the wide passes'
     * operands; the pass reads the three arrays as distinct parameters, which C2 on JDK 17 vectorises.
     */
    static final class NarrowMultipliers {
        final int[] m0, m1, m2;

        /** Pieces for {@code n} elements, all zero until {@link #set}. */
        NarrowMultipliers(int n) {
            m0 = new int[n];
            m1 = new int[n];
            m2 = new int[n];
        }

        /** Heap bytes of the pieces of {@code n} elements (three int arrays). */
        static long bytes(int n) { return 3 * (4L * n + 16); }

        /** Element {@code j} multiplies by {@code multiplier}, which must be non-negative. */
        NarrowMultipliers set(int j, int multiplier) {
            if (multiplier < 0) throw new IllegalArgumentException("narrow multiplier " + multiplier + " is negative");
            m0[j] = piece0(multiplier);
            m1[j] = piece1(multiplier);
            m2[j] = piece2(multiplier);
            return this;
        }

        /** The low, middle and high 11-bit pieces of {@code multiplier} ({@code m = m2 * 2^22 + m1 * 2^11 + m0}). */
        static int piece0(int multiplier) { return multiplier & 0x7FF; }

        static int piece1(int multiplier) { return (multiplier >> 11) & 0x7FF; }

        static int piece2(int multiplier) { return multiplier >>> 22; }
    }

    /** {@link #productNarrow}'s bound on a sum's magnitude: each piece's product stays within an int. */
    static final long NARROW_SUMS = 1 << 20;

    /**
     * {@code acc[c] = SaturatingRoundingDoublingHighMul(acc[c], m)} for {@code |acc[c]| < 2^20} and
     * {@code 0 <= m < 2^31} given as 11-bit pieces {@code m = m2[c] * 2^22 + m1[c] * 2^11 + m0[c]}: three products
     * where {@link #highMul} takes four (and a fifth for its left shift) on 16-bit halves of any int.
     * With {@code s1 = acc * m1 + floor(acc * m0 / 2^11)} and {@code s2 = acc * m2 + floor(s1 / 2^11)} (no product
     * or sum leaves the int range), {@code acc * m = s2 * 2^22 + l} with {@code 0 <= l < 2^22}, so
     * {@code floor((acc * m + 2^30) / 2^31) = floor((s2 + 2^8) / 2^9)}. The three passes of FastDepthwiseConv2D's quad output stage
     * ran 0.37 ns a value against 0.54 for {@link Operands#apply} (VWW's output rows of 384 values).
     */
    static void productNarrow(int[] acc, int n, NarrowMultipliers m) {
        productNarrow(acc, n, m.m0, m.m1, m.m2);
    }

    private static void productNarrow(int[] acc, int n, int[] m0, int[] m1, int[] m2) {
        for (int c = 0; c < n; c++) {
            int a = acc[c];
            int s1 = a * m1[c] + ((a * m0[c]) >> 11);
            acc[c] = (a * m2[c] + (s1 >> 11) + 256) >> 9;
        }
    }

    /**
     * {@link #divideByPot} for right shifts of at most 16, whose factor {@code sa} is 0: the same sum
     * without its first product.
     */
    static void divideLow(int[] acc, int n, int[] sb, int[] half, int[] mask) {
        for (int c = 0; c < n; c++) {
            int x = acc[c], xh = x >> 16, xl = x & 0xFFFF;
            int threshold = half[c] - (x >> 31);
            acc[c] = xh * sb[c] + ((xl * sb[c]) >>> 16) + ((threshold - (x & mask[c])) >>> 31);
        }
    }

    /**
     * {@code acc[c] = clamp(acc[c] + offset, min, max)}, {@code min <= max}, the sum wrapping as Java's (and the
     * reference's) int sum; the comparisons are Hacker's Delight's overflow-free signed less-than on the sign bit.
     */
    static void offsetClamp(int[] acc, int n, int offset, int min, int max) {
        for (int c = 0; c < n; c++) {
            int x = acc[c] + offset;
            int d = x - min;
            x ^= (x ^ min) & ((d ^ ((x ^ min) & (d ^ x))) >> 31);            // x < min: min
            int e = max - x;
            acc[c] = x ^ ((x ^ max) & ((e ^ ((max ^ x) & (e ^ max))) >> 31)); // max < x: max
        }
    }

    /** {@code out[at + c] = (byte) acc[c]}. */
    static void narrow(int[] acc, int n, byte[] out, int at) {
        for (int c = 0; c < n; c++) out[at + c] = (byte) acc[c];
    }

    /** {@link #highMul(int[], int, int[], int[], int[])} with one channel's {@code pow2}, {@code mlo}, {@code mhi} for every element. */
    static void highMul(int[] acc, int n, int pow2, int mlo, int mhi) {
        for (int c = 0; c < n; c++) {
            int a = acc[c] * pow2;
            int al = a & 0xFFFF, ah = a >> 16;
            int w0 = al * mlo;
            int t = ah * mlo + (w0 >>> 16);
            int w1 = al * mhi + (t & 0xFFFF);
            int hi = ah * mhi + (t >> 16) + (w1 >> 16);
            acc[c] = (hi << 1) + ((((w1 >>> 14) & 3) + 1) >>> 1);
        }
    }

    /** {@link #divideByPot(int[], int, int[], int[], int[], int[])} with one channel's {@code sa}, {@code sb}, {@code half}, {@code mask}. */
    static void divideByPot(int[] acc, int n, int sa, int sb, int half, int mask) {
        for (int c = 0; c < n; c++) {
            int x = acc[c], xh = x >> 16, xl = x & 0xFFFF;
            int threshold = half - (x >> 31);
            acc[c] = ((xh * sa) >> 16) + xh * sb + ((xl * sb) >>> 16) + ((threshold - (x & mask)) >>> 31);
        }
    }

    /**
     * {@code out[at + i * step] = (byte) acc[i]} for {@code i < n}. The output index is a second induction variable
     * bumped by {@code step}, not {@code at + i * step}: C2 cannot drop the range check of an index scaled by a
     * non-constant, and with the product in the loop JDK 17 ran this scalar loop about a third slower (0.37 against
     * 0.24 ns a value over 576 pixels, 0.37 against 0.27 over 144, thread CPU time, one JVM each).
     */
    static void narrow(int[] acc, int n, byte[] out, int at, int step) {
        for (int i = 0, p = at; i < n; i++, p += step) out[p] = (byte) acc[i];
    }

    /**
     * {@code out[at + i * step ...] = packed[i]} as four little-endian bytes for {@code i < n}: {@link #narrow}'s
     * strided store four channels at once. The index is a second induction variable, as there.
     */
    static void narrow4(int[] packed, int n, byte[] out, int at, int step) {
        for (int i = 0, p = at; i < n; i++, p += step) LittleEndian.putInt(out, p, packed[i]);
    }

    /**
     * {@link #productNarrow(int[], int, NarrowMultipliers)} with one multiplier's pieces for every element
     * ({@code |acc[c]| < 2^20}, {@code m = m2 * 2^22 + m1 * 2^11 + m0}), as constants of the pass, so C2 vectorises
     * it over the values whatever the element count: an LSTM gate's input products over a chunk of steps.
     */
    static void productNarrow(int[] acc, int n, int m0, int m1, int m2) {
        for (int c = 0; c < n; c++) {
            int a = acc[c];
            int s1 = a * m1 + ((a * m0) >> 11);
            acc[c] = (a * m2 + (s1 >> 11) + 256) >> 9;
        }
    }

    /** {@link #divideLow(int[], int, int[], int[], int[])} with one right shift's {@code sb}, {@code half}, {@code mask} for every element. */
    static void divideLow(int[] acc, int n, int sb, int half, int mask) {
        for (int c = 0; c < n; c++) {
            int x = acc[c], xh = x >> 16, xl = x & 0xFFFF;
            int threshold = half - (x >> 31);
            acc[c] = xh * sb + ((xl * sb) >>> 16) + ((threshold - (x & mask)) >>> 31);
        }
    }

    /**
     * {@link #offsetClamp} where no sum can overflow: {@code |acc[c]| < 2^30} and {@code offset}, {@code min},
     * {@code max} below 2^16 in magnitude (a rescaled value after a right shift of at least one, or after
     * {@link #productNarrow}), so {@code x < min} is the sign of {@code x - min}: six plain int operations a value
     * where the overflow-free comparisons take twelve.
     */
    static void clampSmall(int[] acc, int n, int offset, int min, int max) {
        for (int c = 0; c < n; c++) {
            int x = acc[c] + offset;
            int d = x - min;
            x -= d & (d >> 31);                                          // x < min: min
            int e = max - x;
            acc[c] = x + (e & (e >> 31));                                // max < x: max
        }
    }
}
