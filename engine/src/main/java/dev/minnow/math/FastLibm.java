package dev.minnow.math;

/**
 * Branch-lean forms of {@link FloatLibm}'s functions for array loops, bit for bit equal to {@link FloatLibm} (which
 * stays the spec): the same IEEE float operations in the same order, with the ranges that fdlibm picks by branches
 * computed side by side and chosen by integer bit masks, so a loop over values from different ranges has no
 * data-dependent branch to mispredict and the core overlaps independent elements.
 *
 * <p>{@link #tanhf}: fdlibm's tanhf computes {@code expm1f(2|x|)} for {@code |x| >= 1} and {@code expm1f(-2|x|)}
 * below, and expm1f reduces its argument by {@code k ln2} with k = 0, +-1 or {@code round(x / ln2)} by range, then
 * rebuilds its result by one of five formulas picked by k. On the common domain {@code 2^-26 <= |x| < }
 * {@value #TANH_COMMON_MAX} (k from -3 to 22) every one of those steps is one formula evaluated for every input:
 * <ul>
 * <li>the k = 0 and k = +-1 reductions are the general one with that k ({@code x - 0 * ln2hi = x}, {@code x - 1 * ln2hi
 *     = x - ln2hi}, {@code 0 * ln2lo = +0}: the same roundings), so only k itself is selected;</li>
 * <li>the k = 0 result {@code x - (x e - hxs)} is the general {@code x - ((x (e - c) - c) - hxs)} with c = +0;</li>
 * <li>the results of k = 0, k = -1, k &lt;= -2 and 3 &lt;= k &lt;= 22 are all computed and one is selected by mask;</li>
 * <li>tanhf's two quotients {@code 1 - 2 / (t + 2)} and {@code -t / (t + 2)} share one division whose numerator is
 *     selected.</li>
 * </ul>
 * Inputs outside the common domain (zeros, tiny, |x| from {@value #TANH_COMMON_MAX}, infinities, NaNs) call
 * {@link FloatLibm#tanhf}. Proof: {@code FastLibmTest} compares every one of the 2^32 floats
 * ({@code -Dminnow.libm.exhaustive=true}); the default run checks the edges and random inputs.
 */
public final class FastLibm {
    private FastLibm() {}

    /** The top of tanhf's common domain (exclusive): k of expm1f(2|x|) is at most 22 below it. */
    public static final float TANH_COMMON_MAX = 7.75f;
    /** Bits of the bottom of tanhf's common domain, 2^-26 (below it expm1f(-2|x|) returns its argument). */
    public static final int TANH_LO_BITS = 0x32800000;
    /** Bits of {@link #TANH_COMMON_MAX}. */
    public static final int TANH_HI_BITS = 0x40f80000;
    /** |y| bounds of expm1f's k = 0 range (inclusive) and k = +-1 range (exclusive), as float bits. */
    public static final int K0_MAX = 0x3eb17218, K1_END = 0x3f851592;

    /** expm1f's constants (fdlibm's, as {@link FloatLibm} holds them): ln2 split in two, 1/ln2, the polynomial. */
    public static final float LN2_HI = FloatLibm.LN2_HI, LN2_LO = FloatLibm.LN2_LO, INV_LN2 = FloatLibm.INV_LN2,
            Q1 = FloatLibm.Q1, Q2 = FloatLibm.Q2, Q3 = FloatLibm.Q3, Q4 = FloatLibm.Q4, Q5 = FloatLibm.Q5;

    /** Whether {@code x}'s bits lie in tanhf's common domain (see the class comment). */
    public static boolean tanhCommon(int bits) {
        return Integer.compareUnsigned((bits & 0x7fffffff) - TANH_LO_BITS, TANH_HI_BITS - TANH_LO_BITS) < 0;
    }

    /** tanhf, equal to {@link FloatLibm#tanhf} for every input. */
    public static float tanhf(float x) {
        int jx = Float.floatToRawIntBits(x);
        if (!tanhCommon(jx)) return FloatLibm.tanhf(x);
        return tanhCommon(x, jx);
    }

    /** {@code dst[dstOff + i] = tanhf(src[srcOff + i])} for i < n. */
    public static void tanhf(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) dst[dstOff + i] = tanhf(src[srcOff + i]);
    }

    /** tanhf on its common domain, straight-line (see the class comment). */
    private static float tanhCommon(float x, int jx) {
        int ix = jx & 0x7fffffff;
        int pos = (0x3f7fffff - ix) >> 31;                       // -1 when |x| >= 1: expm1f(2|x|), else expm1f(-2|x|)
        int hx = Float.floatToRawIntBits(2.0f * Float.intBitsToFloat(ix));
        int yb = hx | (~pos & 0x80000000);
        float y = Float.intBitsToFloat(yb);
        // expm1f's k: 0 for |y| <= ln2/2, +-1 below 1.5 ln2, else (int) (y / ln2 +- 1/2)
        int kg = (int) (INV_LN2 * y + Float.intBitsToFloat(0x3f000000 | (yb & 0x80000000)));
        int small = (hx - (K0_MAX + 1)) >> 31, mid = (hx - K1_END) >> 31;
        int k = (kg & ~mid) | (((yb >> 31) | 1) & mid & ~small);
        float t = k;
        float hi = y - t * LN2_HI;
        float lo = t * LN2_LO;
        float xr = hi - lo;
        float c = (hi - xr) - lo;
        float hfx = 0.5f * xr;
        float hxs = xr * hfx;
        float r1 = 1.0f + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        float tt = 3.0f - r1 * hfx;
        float e = hxs * ((r1 - tt) / (6.0f - xr * tt));
        e = (xr * (e - c) - c);
        e -= hxs;
        float t0 = xr - e;                                      // k = 0
        float tm1 = 0.5f * (xr - e) - 0.5f;                     // k = -1
        int sk = k << 23;
        float tlow = Float.intBitsToFloat(Float.floatToRawIntBits(1.0f - (e - xr)) + sk) - 1.0f;   // k <= -2
        float pk = 1.0f - Float.intBitsToFloat((0x7f - k) << 23);                               // 1 - 2^-k
        float tpos = Float.intBitsToFloat(Float.floatToRawIntBits(pk - (e - xr)) + sk);           // 3 <= k <= 22
        int neg = ~mid & ~pos;
        int tb = (Float.floatToRawIntBits(t0) & small) | (Float.floatToRawIntBits(tm1) & mid & ~small)
                | (Float.floatToRawIntBits(tpos) & pos) | (Float.floatToRawIntBits(tlow) & neg);
        float tm = Float.intBitsToFloat(tb);
        // tanhf: 1 - 2 / (t + 2) for |x| >= 1, -t / (t + 2) below
        float num = Float.intBitsToFloat((0x40000000 & pos) | ((tb ^ 0x80000000) & ~pos));
        float q = num / (tm + 2.0f);
        int zb = (Float.floatToRawIntBits(1.0f - q) & pos) | (Float.floatToRawIntBits(q) & ~pos);
        return Float.intBitsToFloat(zb ^ (jx & 0x80000000));
    }
}
