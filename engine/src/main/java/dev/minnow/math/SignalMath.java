package dev.minnow.math;

/**
 * The integer routines TFLM's Signal library (signal/src) shares between its audio kernels: most significant bit,
 * rounded integer square roots and a fixed-point natural logarithm. C's unsigned types are Java ints and longs read
 * as unsigned; every wraparound is the one the C code has.
 */
public final class SignalMath {
    private SignalMath() {}

    /**
     * Position of the highest set bit, 1-based (x = 1 gives 1). Zero gives 32: TFLM's gcc build computes
     * {@code 32 - __builtin_clz(x)} and special-cases 0 that way, and callers depend on it.
     */
    public static int msb32(int x) {
        return x == 0 ? 32 : 32 - Integer.numberOfLeadingZeros(x);
    }

    /** The 64-bit {@link #msb32}: zero gives 64. */
    public static int msb64(long x) {
        return x == 0 ? 64 : 64 - Long.numberOfLeadingZeros(x);
    }

    /**
     * Rounded square root of an unsigned 32-bit value, bit by bit from the highest even bit position; rounds up when
     * the remainder exceeds the root, unless the root is already 0xFFFF. Returns 0..65535.
     */
    public static int sqrt32(int num) {
        if (num == 0) return 0;
        int res = 0;
        int maxBit = (32 - msb32(num)) | 1;
        int bit = 1 << (31 - maxBit);
        for (int it = (31 - maxBit) / 2 + 1; it > 0; it--) {
            if (Integer.compareUnsigned(num, res + bit) >= 0) {
                num -= res + bit;
                res = (res >>> 1) + bit;
            } else {
                res >>>= 1;
            }
            bit >>>= 2;
        }
        if (Integer.compareUnsigned(num, res) > 0 && res != 0xFFFF) res++;
        return res & 0xFFFF;
    }

    /**
     * Rounded square root of an unsigned 64-bit value (an unsigned 32-bit result). Values below 2^32 take
     * {@link #sqrt32}, as TFLM does (its shortcut is off by one near 2^32, and so is this).
     */
    public static int sqrt64(long num) {
        if ((num >>> 32) == 0) return sqrt32((int) num);
        long res = 0;
        int maxBit = (64 - msb64(num)) | 1;
        long bit = 1L << (63 - maxBit);
        for (int it = (63 - maxBit) / 2 + 1; it > 0; it--) {
            if (Long.compareUnsigned(num, res + bit) >= 0) {
                num -= res + bit;
                res = (res >>> 1) + bit;
            } else {
                res >>>= 1;
            }
            bit >>>= 2;
        }
        if (Long.compareUnsigned(num, res) > 0 && res != 0xFFFFFFFFL) res++;
        return (int) res;
    }

    /**
     * Correction of the linear log2 interpolation over [1, 2) in 128 segments, in units of 2^-16: the table of
     * TFLM's signal/src/log.cc (the same one as the micro frontend's log_lut).
     */
    private static final short[] LOG_LUT = {
        0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163, 2329, 2490, 2646, 2797, 2944, 3087, 3224,
        3358, 3487, 3611, 3732, 3848, 3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934, 5001,
        5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507, 5533, 5557, 5578, 5595, 5610, 5622, 5631,
        5637, 5640, 5641, 5638, 5633, 5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370, 5332,
        5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762, 4697, 4630, 4561, 4490, 4416, 4341, 4264,
        4184, 4103, 4020, 3935, 3848, 3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659, 2549,
        2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224, 1094, 963, 830, 695, 559, 421, 282, 142,
        0, 0};
    private static final int LOG_SEGMENTS_LOG2 = 7;
    private static final int LOG_SCALE_LOG2 = 16;
    private static final int LOG_COEFF = 45426;   // ln(2) in units of 2^-16

    /**
     * ln(x) scaled by {@code outScale / 2^16} and rounded, for unsigned x > 0: log2 from the bit position plus the
     * table-corrected fraction, times ln 2, then the output scale (an unsigned 32-bit product, wrapping as in C).
     */
    public static int log32(int x, int outScale) {
        int integer = msb32(x) - 1;
        int fraction = log2Fraction(x, integer);
        int log2 = (integer << LOG_SCALE_LOG2) + fraction;
        int round = 1 << (LOG_SCALE_LOG2 - 1);
        int loge = (int) ((LOG_COEFF * (log2 & 0xFFFFFFFFL) + round) >>> LOG_SCALE_LOG2);
        return (outScale * loge + round) >>> LOG_SCALE_LOG2;
    }

    private static int log2Fraction(int x, int log2x) {
        int frac = (int) ((x & 0xFFFFFFFFL) - (1L << log2x));
        if (log2x < LOG_SCALE_LOG2) frac <<= LOG_SCALE_LOG2 - log2x;
        else frac >>= log2x - LOG_SCALE_LOG2;
        int baseSeg = frac >>> (LOG_SCALE_LOG2 - LOG_SEGMENTS_LOG2);
        int segUnit = (1 << LOG_SCALE_LOG2) >> LOG_SEGMENTS_LOG2;
        int c0 = LOG_LUT[baseSeg], c1 = LOG_LUT[baseSeg + 1];
        int segBase = segUnit * baseSeg;
        int relPos = ((c1 - c0) * (frac - segBase)) >> LOG_SCALE_LOG2;
        return frac + c0 + relPos;
    }
}
