package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.FixedPoint16;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link LstmCell}'s quantized per-element arithmetic prepared for {@link FastLstm}'s step, with the same results:
 * rescalings with their shifts and rounding terms worked out once ({@link Rescale}, {@link Mul}), and the int16 sigmoid
 * and tanh as 65,536-entry tables of the reference functions over every int16 input ({@link #table}).
 *
 * <p>A table is 128 KiB, built at prepare (about 65,536 reference evaluations) and shared by every node with the same
 * function and input scaling while any of them is alive; the prepare-time heap budget counts it for each node.
 */
final class FastLstmCell {
    private FastLstmCell() {}

    /** Heap bytes of one activation table. */
    static final long TABLE_BYTES = 2L * 65536 + 16;

    /**
     * TFLM's MultiplyByQuantizedMultiplier for an int32 value ({@link FixedPoint#multiplyByQuantizedMultiplier(int, int,
     * int)}) with the shifts prepared: the doubling high multiply is {@code floor((x m + 2^30) / 2^31)} (the same as
     * gemmlowp's nudge-then-truncate for every operand but {@code m = x = MIN_VALUE}, which a non-negative multiplier
     * excludes), then the rounding right shift adds half and, for a negative value, one less.
     */
    record Rescale(int multiplier, int leftFactor, int rightShift, long half, long negativeAdjust) {
        /** The rescaling by {@code multiplier * 2^(shift - 31)} ({@code multiplier >= 0}, as quantizeMultiplier gives). */
        static Rescale of(int multiplier, int shift) {
            if (multiplier < 0) throw new IllegalArgumentException("negative quantized multiplier " + multiplier);
            int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
            return new Rescale(multiplier, 1 << left, right, right > 0 ? 1L << (right - 1) : 0, right > 0 ? -1 : 0);
        }

        /** {@code x} rescaled exactly as the reference rescales it. */
        int apply(int x) {
            long y = ((long) (x * leftFactor) * multiplier + (1L << 30)) >> 31;
            return (int) ((y + half + ((y >> 63) & negativeAdjust)) >> rightShift);
        }

        /** Whether {@link #lanes} can take this rescaling: a right shift within an int's 31 bits. */
        boolean laneable() { return rightShift <= 31; }

        /**
         * {@code out[j] = apply(x[j])} for {@code j} in {@code [0, n)} in int lanes that C2 vectorises: the left factor,
         * then {@link #mulHalves} and {@link #roundShift}; {@code hi} and {@code mid} are scratch of {@code n} ints.
         * Needs {@link #laneable}.
         */
        void lanes(int[] x, int[] hi, int[] mid, int[] out, int n) {
            int[] src = x;
            if (leftFactor != 1) {
                int f = leftFactor;
                for (int j = 0; j < n; j++) out[j] = x[j] * f;
                src = out;
            }
            mulHalves(src, multiplier >>> 16, multiplier & 0xFFFF, hi, mid, n);
            roundShift(hi, mid, out, 0, n, rightShift);
        }
    }

    /*
     * The rescale in int lanes. JDK 17's C2 vectorises a counted loop only when its body is small (it must be unrolled
     * first, LoopUnrollLimit) and when it has no 64-bit multiply of widened ints, so the doubling high multiply
     * floor((x m + 2^30) / 2^31) of Rescale.apply is split in 16-bit halves over two short loops. With
     * x = xh 2^16 + xl (xh = x >> 16 signed, xl unsigned 16 bits) and m = mh 2^16 + ml (0 <= m < 2^31, so mh < 2^15):
     *   x m = xh mh 2^32 + (xh ml + xl mh) 2^16 + xl ml,
     * every partial product fits an int (xl ml as unsigned). mid = (xl ml >>> 16) + low halves of xh ml and xl mh
     * (< 3 2^16) and hi = xh mh + high halves of both give x m = (hi + (mid >>> 16)) 2^32 + L with L's bits 31 and
     * 30 being mid's bits 15 and 14, so floor((x m + 2^30) / 2^31) = 2 (hi + (mid >>> 16)) + bit 15 + bit 14 of mid.
     * The rounding right shift is the reference's RoundingDivideByPOT in ints: (y >> r) + 1 when the remainder
     * y & mask exceeds mask / 2 plus one for a negative y.
     */

    /**
     * {@code min(32767, max(-32768, x))} for every int without a compare, which C2 on JDK 17 does not vectorise: x is
     * in int16 range when {@code x >> 15} is 0 or -1; otherwise the result is 32767 or -32768 by x's sign.
     */
    static int sat16(int x) {
        int q = ((x >> 15) + 1) >>> 1;
        int outside = (q | -q) >> 31;
        return x ^ ((x ^ ((x >> 31) ^ 0x7FFF)) & outside);
    }

    /** {@code min(v, hi)} without a compare, for {@code v - hi} within int range (both within int16, say). */
    static int min(int v, int hi) {
        int d = v - hi;
        return v - (d & ~(d >> 31));
    }

    /** {@code max(v, lo)} without a compare, for {@code lo - v} within int range. */
    static int max(int v, int lo) {
        int d = lo - v;
        return v + (d & ~(d >> 31));
    }

    /** First half of the lane rescale: {@code hi[j]} and {@code mid[j]} of {@code x[j] * (mh 2^16 + ml)} for j < n. */
    static void mulHalves(int[] x, int mh, int ml, int[] hi, int[] mid, int n) {
        for (int j = 0; j < n; j++) {
            int v = x[j], vh = v >> 16, vl = v & 0xFFFF;
            int low = vl * ml, m1 = vh * ml, m2 = vl * mh;
            mid[j] = (low >>> 16) + (m1 & 0xFFFF) + (m2 & 0xFFFF);
            hi[j] = vh * mh + (m1 >> 16) + (m2 >> 16);
        }
    }

    /** {@link #mulHalves} with a multiplier per element ({@code mh[j]}, {@code ml[j]}). */
    static void mulHalves(int[] x, int[] mh, int[] ml, int[] hi, int[] mid, int n) {
        for (int j = 0; j < n; j++) {
            int v = x[j], vh = v >> 16, vl = v & 0xFFFF, h = mh[j], l = ml[j];
            int low = vl * l, m1 = vh * l, m2 = vl * h;
            mid[j] = (low >>> 16) + (m1 & 0xFFFF) + (m2 & 0xFFFF);
            hi[j] = vh * h + (m1 >> 16) + (m2 >> 16);
        }
    }

    /** Second half: {@code out[j]} = the doubling high product from {@code hi, mid} divided by {@code 2^r} rounding, j in [from, to). */
    static void roundShift(int[] hi, int[] mid, int[] out, int from, int to, int r) {
        int mask = (int) ((1L << r) - 1), half = mask >>> 1;
        for (int j = from; j < to; j++) {
            int m = mid[j];
            int y = 2 * (hi[j] + (m >>> 16)) + ((m >>> 15) & 1) + ((m >>> 14) & 1);
            out[j] = (y >> r) + ((half + (y >>> 31) - (y & mask)) >>> 31);
        }
    }

    /** {@link LstmCell.MulParams} prepared: {@code clamp(offset + rescale(a * b))}. */
    record Mul(Rescale rescale, int outputOffset, int min, int max) {
        /** The prepared form of the reference parameters. */
        static Mul of(LstmCell.MulParams p) {
            return new Mul(Rescale.of(p.multiplier(), p.shift()), p.outputOffset(), p.min(), p.max());
        }

        /** Whether the int lanes of {@link FastLstm} can take it: a {@link Rescale#laneable} rescale, a range inside int16. */
        boolean laneable() { return rescale.laneable() && min >= -32768 && max <= 32767 && min <= max; }

        /** The product {@code a * b} rescaled, offset and clamped, as {@link LstmCell.MulParams#apply}. */
        int apply(int a, int b) {
            return Math.min(max, Math.max(min, outputOffset + rescale.apply(a * b)));
        }
    }

    private record Key(boolean tanh, int multiplier, int shift) {}

    private static final Map<Key, WeakReference<short[]>> TABLES = new HashMap<>();

    /**
     * The table {@code t[v + 32768] = f(v)} for every int16 {@code v}, f the reference int16 tanh or logistic with input
     * scaling {multiplier, shift} ({@link FixedPoint16#tanh}, {@link FixedPoint16#logistic}); shared while in use.
     */
    static synchronized short[] table(boolean tanh, int multiplier, int shift) {
        Key key = new Key(tanh, multiplier, shift);
        WeakReference<short[]> ref = TABLES.get(key);
        short[] t = ref == null ? null : ref.get();
        if (t == null) {
            t = new short[65536];
            for (int v = -32768; v < 32768; v++) {
                t[v + 32768] = tanh ? FixedPoint16.tanh(v, multiplier, shift) : FixedPoint16.logistic(v, multiplier, shift);
            }
            TABLES.values().removeIf(r -> r.get() == null);
            TABLES.put(key, new WeakReference<>(t));
        }
        return t;
    }
}
