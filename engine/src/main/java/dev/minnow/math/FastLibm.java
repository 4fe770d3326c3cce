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

    /**
     * tanhf over arrays in two passes so that the expensive part runs as a loop of float arithmetic alone, which C2
     * (JDK 17 and later) compiles to SIMD instructions without the Vector API. Equal to {@link FloatLibm#tanhf} for
     * every input, and equal to the class comment's straight-line form, written as arithmetic:
     * <ol>
     * <li>a scalar pass over the inputs picks, per value, what the straight-line form picks by masks: the signed
     *     argument y = +-2|x| of expm1f, its k, and the constants of the result formula of that k and of tanhf's
     *     range (below); values outside the common domain are remembered and get {@link FloatLibm#tanhf} at the end;</li>
     * <li>an arithmetic pass computes, with d = e - x' (fdlibm's reduced argument x' and correction e), expm1f's result
     *     as {@code (a - d) * 2^k + b} and tanhf's as {@code p + (-2p - t (1 - p)) / (t + 2)}, times the sign of x.</li>
     * </ol>
     * The formula covers fdlibm's five result cases with the same roundings: k = 0 is {@code x' - (x' e - hxs)} =
     * {@code (0 - d) * 1 + 0}; k = -1 is {@code 0.5 (x' - e) - 0.5} = {@code (0 - d) * 0.5 + -0.5}; k &lt;= -2 is
     * {@code 1 - (e - x')} scaled by 2^k (adding k to the exponent of a normal value is a multiplication by 2^k) minus
     * 1, so a = 1, b = -1; 3 &lt;= k &lt;= 22 is {@code (1 - 2^-k) - (e - x')} scaled by 2^k, so a = 1 - 2^-k and
     * b = 0 (adding +0 to a non-zero value changes nothing; none of these values is zero). For |x| &gt;= 1 (p = 1)
     * tanhf's {@code 1 - 2 / (t + 2)} is {@code 1 + -2 / (t + 2)} (exact negation); below (p = 0) {@code -t / (t + 2)}
     * is {@code 0 + (0 - t * 1) / (t + 2)} (t and the quotient are non-zero, t * 0 is a signed zero that 2 absorbs).
     * The reduction {@code x' = (y - k ln2hi) - k ln2lo} with k = 0 or +-1 is fdlibm's own one for those k (see the
     * class comment). {@code FastLibmTest} compares every one of the 2^32 floats ({@code -Dminnow.libm.exhaustive=true}).
     */
    public static final class TanhArrays {
        private final float[] y, k, a, s, b, p, sign, xr, c, hxs, r1, e;
        private final int[] rare;
        private final float[] rareX;

        /** Scratch for up to {@code capacity} values per call. */
        public TanhArrays(int capacity) {
            y = new float[capacity];
            k = new float[capacity];
            a = new float[capacity];
            s = new float[capacity];
            b = new float[capacity];
            p = new float[capacity];
            sign = new float[capacity];
            xr = new float[capacity];
            c = new float[capacity];
            hxs = new float[capacity];
            r1 = new float[capacity];
            e = new float[capacity];
            rare = new int[capacity];
            rareX = new float[capacity];
        }

        /** The heap bytes of the scratch for {@code capacity} values (14 arrays with 16-byte headers). */
        public static long bytes(int capacity) { return 14L * (16 + 4L * capacity); }

        /** The values one call takes at most. */
        public int capacity() { return y.length; }

        /** {@code dst[dstOff + i] = tanhf(src[srcOff + i])} for i &lt; n &lt;= {@link #capacity} ({@code dst} may be {@code src}). */
        public void tanhf(float[] src, int srcOff, float[] dst, int dstOff, int n) {
            if (n > y.length) throw new IllegalArgumentException("tanhf of " + n + " values, scratch for " + y.length);
            int rares = classify(src, srcOff, n);
            evaluate(dst, dstOff, n);
            for (int r = 0; r < rares; r++) dst[dstOff + rare[r]] = FloatLibm.tanhf(rareX[r]);
        }

        /** The scalar pass: y, k and the formula's constants per value; returns how many values are outside the domain. */
        private int classify(float[] src, int srcOff, int n) {
            int rares = 0;
            float[] ys = y, ks = k, as = a, ss = s, bs = b, ps = p, sg = sign;
            for (int i = 0; i < n; i++) {
                int jx = Float.floatToRawIntBits(src[srcOff + i]);
                int ix = jx & 0x7fffffff;
                if (Integer.compareUnsigned(ix - TANH_LO_BITS, TANH_HI_BITS - TANH_LO_BITS) >= 0) {
                    rareX[rares] = src[srcOff + i];   // read before the arithmetic pass may overwrite it (dst == src)
                    rare[rares++] = i;
                    ix = 0x3f000000;   // 0.5: any value of the domain keeps the arithmetic pass finite
                }
                int pos = (0x3f7fffff - ix) >> 31;          // -1 when |x| >= 1: expm1f(2|x|), else expm1f(-2|x|)
                int hx = ix + 0x00800000;                     // bits of 2|x| (|x| is normal here)
                int yb = hx | (~pos & 0x80000000);
                float yv = Float.intBitsToFloat(yb);
                int kg = (int) (INV_LN2 * yv + Float.intBitsToFloat(0x3f000000 | (yb & 0x80000000)));
                int small = (hx - (K0_MAX + 1)) >> 31, mid = (hx - K1_END) >> 31;
                int kv = (kg & ~mid) | (((yb >> 31) | 1) & mid & ~small);
                ys[i] = yv;
                ks[i] = kv;
                as[i] = TANH_A[kv + 3];
                ss[i] = Float.intBitsToFloat((0x7f + kv) << 23);
                bs[i] = TANH_B[kv + 3];
                ps[i] = Float.intBitsToFloat(pos & 0x3f800000);
                sg[i] = Float.intBitsToFloat(0x3f800000 | (jx & 0x80000000));
            }
            return rares;
        }

        /**
         * The arithmetic pass: float operations on arrays only, in five loops small enough for C2 to unroll and
         * vectorise (JDK 17 unrolls no loop body of more than {@code LoopUnrollLimit} = 60 nodes, and vectorises only
         * unrolled loops): the reduction, the polynomial, the correction e, expm1f's result, tanhf's.
         */
        private void evaluate(float[] dst, int dstOff, int n) {
            float[] ys = y, ks = k, as = a, ss = s, bs = b, ps = p, sg = sign, xrs = xr, cs = c, hx = hxs, r1s = r1, es = e;
            for (int i = 0; i < n; i++) {
                float t = ks[i];
                float hi = ys[i] - t * LN2_HI;
                float lo = t * LN2_LO;
                float x = hi - lo;
                xrs[i] = x;
                cs[i] = (hi - x) - lo;
            }
            for (int i = 0; i < n; i++) {
                float x = xrs[i];
                float h = x * (0.5f * x);
                hx[i] = h;
                r1s[i] = 1.0f + h * (Q1 + h * (Q2 + h * (Q3 + h * (Q4 + h * Q5))));
            }
            for (int i = 0; i < n; i++) {
                float x = xrs[i], r = r1s[i];
                float tt = 3.0f - r * (0.5f * x);
                es[i] = hx[i] * ((r - tt) / (6.0f - x * tt));
            }
            for (int i = 0; i < n; i++) {
                float x = xrs[i], cv = cs[i];
                float d = ((x * (es[i] - cv) - cv) - hx[i]) - x;       // e - x' with fdlibm's corrected e
                es[i] = (as[i] - d) * ss[i] + bs[i];                  // expm1f(y)
            }
            for (int i = 0; i < n; i++) {
                float tm = es[i], pv = ps[i];
                float q = (pv * -2.0f - tm * (1.0f - pv)) / (tm + 2.0f);
                dst[dstOff + i] = (pv + q) * sg[i];
            }
        }
    }

    /** a and b of {@link TanhArrays}' result formula by k + 3 (k from -3 to 22; 1 and 2 never occur there). */
    private static final float[] TANH_A = new float[26], TANH_B = new float[26];

    static {
        for (int kv = -3; kv <= 22; kv++) {
            TANH_A[kv + 3] = kv >= 3 ? 1.0f - Float.intBitsToFloat((0x7f - kv) << 23) : kv <= -2 ? 1.0f : 0.0f;
            TANH_B[kv + 3] = kv == -1 ? -0.5f : kv <= -2 ? -1.0f : 0.0f;
        }
    }
}
