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
    /** Bits of the least float from which tanhf is 1 (9.010914f; infinity included): all above it are 1 too. */
    public static final int TANH_ONE_BITS = 0x41102cb4;
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
        int k = expm1K(yb, hx), small = (hx - (K0_MAX + 1)) >> 31, mid = (hx - K1_END) >> 31;
        float xr = reduced(y, k);
        float c = correction(y, k, xr);
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
     * expm1f's k for its argument y (bits {@code yb}, {@code hy} those of |y|): 0 for |y| <= ln2/2, +-1 below 1.5 ln2,
     * else {@code (int) (y / ln2 +- 1/2)}, the ranges chosen by masks. Shared by {@link #tanhCommon(float, int)} and
     * {@link TanhArrays}' first pass; small enough that C2 inlines it into both, where the float y it rebuilds from
     * {@code yb} is the caller's own value.
     */
    private static int expm1K(int yb, int hy) {
        int kg = (int) (INV_LN2 * Float.intBitsToFloat(yb) + Float.intBitsToFloat(0x3f000000 | (yb & 0x80000000)));
        int small = (hy - (K0_MAX + 1)) >> 31, mid = (hy - K1_END) >> 31;
        return (kg & ~mid) | (((yb >> 31) | 1) & mid & ~small);
    }

    /** expm1f's reduced argument {@code x' = (y - k ln2hi) - k ln2lo} (k as a float, as fdlibm). */
    private static float reduced(float y, int k) {
        float t = k;
        return (y - t * LN2_HI) - t * LN2_LO;
    }

    /** expm1f's correction {@code c = ((y - k ln2hi) - x') - k ln2lo} of the reduced argument {@code xr}. */
    private static float correction(float y, int k, float xr) {
        float t = k;
        return ((y - t * LN2_HI) - xr) - t * LN2_LO;
    }

    /**
     * tanhf over arrays in three scalar passes, equal to {@link FloatLibm#tanhf} for every input and to the class
     * comment's straight-line form, written as arithmetic plus a 64-entry table per constant:
     * <ol>
     * <li>the first pass takes, per value, the signed argument y = +-2|x| of expm1f, its k from {@link #K_CELLS}
     *     (the straight-line form's k, read by |x|'s cell) and reduces y by k ln2 into fdlibm's x' and correction c; it keeps x', c and a table index
     *     ({@code k + 3}, plus 32 when x is negative); |x| from {@link #TANH_ONE_BITS} (tanhf is +-1) takes a table
     *     entry that gives +-1, other values outside the common domain are remembered and get {@link FloatLibm#tanhf}
     *     at the end (a cell gate of mnist_lstm float saturates now and then: 40 of an invoke's 1,120 tanh values lie
     *     beyond the domain, 22 of them from 9.010914 up);</li>
     * <li>the second evaluates expm1f's polynomial r1 of {@code hxs = x' (x' / 2)} and fdlibm's e;</li>
     * <li>the third computes, with d = e - x' (e corrected as fdlibm does), expm1f's result as
     *     {@code (a - d) * 2^k + b} and tanhf's as {@code (p + (-2p - t (1 - p)) / (t + 2)) * sign(x)}, with a, 2^k,
     *     b, p and the sign read from the tables by the index.</li>
     * </ol>
     * The formula covers fdlibm's five result cases with the same roundings: k = 0 is {@code x' - (x' e - hxs)} =
     * {@code (0 - d) * 1 + 0}; k = -1 is {@code 0.5 (x' - e) - 0.5} = {@code (0 - d) * 0.5 + -0.5}; k &lt;= -2 is
     * {@code 1 - (e - x')} scaled by 2^k (adding k to the exponent of a normal value is a multiplication by 2^k) minus
     * 1, so a = 1, b = -1; 3 &lt;= k &lt;= 22 is {@code (1 - 2^-k) - (e - x')} scaled by 2^k, so a = 1 - 2^-k and
     * b = 0 (adding +0 to a non-zero value changes nothing; none of these values is zero). k is at least 3 exactly
     * when |x| &gt;= 1 (y = 2|x| &gt;= 2), so p (1 for |x| &gt;= 1) is a function of k too. For |x| &gt;= 1 (p = 1)
     * tanhf's {@code 1 - 2 / (t + 2)} is {@code 1 + -2 / (t + 2)} (exact negation); below (p = 0) {@code -t / (t + 2)}
     * is {@code 0 + (0 - t * 1) / (t + 2)} (t and the quotient are non-zero, t * 0 is a signed zero that 2 absorbs).
     * The reduction {@code x' = (y - k ln2hi) - k ln2lo} with k = 0 or +-1 is fdlibm's own one for those k (see the
     * class comment). {@code FastLibmTest} compares every one of the 2^32 floats ({@code -Dminnow.libm.exhaustive=true}).
     *
     * <p>Why scalar passes of this size: JDK 17's C2 vectorises none of it (measured: it leaves float-int bit moves,
     * int-float and float-double conversions scalar; JDK 25 vectorises the conversions but not the bit moves), and at
     * the LSTM's 20 values a call its vectorised loops would run in their scalar pre- and post-loops anyway (16 float
     * lanes with AVX-512, the pre-loop aligning to 64 bytes). So what counts is the instructions per value and how
     * many values the core keeps in flight: one pass over everything is latency-bound (a chain of about 130 cycles
     * per value through the polynomial and two divisions, of which the reorder buffer holds about three values), the
     * fifth round's seven passes stored and reloaded 12 arrays per value; three passes with the constants in tables
     * ran mnist_lstm float in 24.5-24.6 against main's 25.1-26.0 us (JDK 17 defaults, same runs, load 20+). Padding
     * the passes to whole 16-lane vectors (32 values) was slower in the model (27.4 against 25.9 us), and in a micro-benchmark
     * so were k's constants computed by float arithmetic C2 vectorises (min/max masks instead of bit moves) and by
     * int masks in place of the tables.
     */
    public static final class TanhArrays {
        private final float[] xr, c, hxs, e;
        private final int[] index, rare;
        private final float[] rareX;

        /** Scratch for up to {@code capacity} values per call. */
        public TanhArrays(int capacity) {
            xr = new float[capacity];
            c = new float[capacity];
            hxs = new float[capacity];
            e = new float[capacity];
            index = new int[capacity];
            rare = new int[capacity];
            rareX = new float[capacity];
        }

        /** The heap bytes of the scratch for {@code capacity} values (7 arrays with 16-byte headers). */
        public static long bytes(int capacity) { return 7L * (16 + 4L * capacity); }

        /** The values one call takes at most. */
        public int capacity() { return xr.length; }

        /** {@code dst[dstOff + i] = tanhf(src[srcOff + i])} for i &lt; n &lt;= {@link #capacity} ({@code dst} may be {@code src}). */
        public void tanhf(float[] src, int srcOff, float[] dst, int dstOff, int n) {
            if (n > xr.length) throw new IllegalArgumentException("tanhf of " + n + " values, scratch for " + xr.length);
            int rares = reduce(src, srcOff, n);
            finish(dst, dstOff, n);
            for (int r = 0; r < rares; r++) dst[dstOff + rare[r]] = FloatLibm.tanhf(rareX[r]);
        }

        /**
         * The first pass: y and k, the reduction, the table index; returns how many values are outside the domain
         * (they run as 0.5, which keeps the other passes finite, and are overwritten after them).
         */
        private int reduce(float[] src, int srcOff, int n) {
            int rares = 0;
            float[] xrs = xr, cs = c;
            int[] ids = index;
            for (int i = 0; i < n; i++) {
                float x = src[srcOff + i];
                int jx = Float.floatToRawIntBits(x);
                int ix = jx & 0x7fffffff;
                if (Integer.compareUnsigned(ix - TANH_LO_BITS, TANH_HI_BITS - TANH_LO_BITS) >= 0) {
                    if (ix >= TANH_ONE_BITS && ix <= 0x7f800000) {
                        ix = 0x41000000;      // tanhf is +-1: 8 has k = 23, whose table entry gives +-1
                    } else {
                        rareX[rares] = x;     // read before the last pass may overwrite it (dst == src)
                        rare[rares++] = i;
                        ix = 0x3f000000;
                    }
                }
                int pos = (0x3f7fffff - ix) >> 31;          // -1 when |x| >= 1: expm1f(2|x|), else expm1f(-2|x|)
                int hy = ix + 0x00800000;                     // bits of 2|x| (|x| is normal here)
                float y = Float.intBitsToFloat(hy | (~pos & 0x80000000));
                int k3 = k3(ix, pos);
                float hi = y - K_LN2_HI[k3];
                float xv = hi - K_LN2_LO[k3];
                xrs[i] = xv;
                cs[i] = (hi - xv) - K_LN2_LO[k3];
                ids[i] = k3 | ((jx >>> 31) << 5);
            }
            return rares;
        }

        /**
         * {@code k + 3} for |x| with bits {@code ix} (in the common domain, or 8) from {@link #K_CELLS}: the cell's
         * {@code k + 3} below its threshold, one step on from it (k rises with |x| from 1 on, falls below).
         */
        private static int k3(int ix, int pos) {
            int cell = K_CELLS[(ix - TANH_LO_BITS) >>> 16];
            return (cell >>> 17) - (~((ix & 0xFFFF) - (cell & 0x1FFFF)) >> 31 & (pos | 1));
        }

        /**
         * The second and third passes: the polynomial and e, then expm1f's result and tanhf's with the constants of
         * each value's k and sign from the tables.
         */
        private void finish(float[] dst, int dstOff, int n) {
            float[] xrs = xr, cs = c, hx = hxs, es = e;
            int[] ids = index;
            for (int i = 0; i < n; i++) {
                float x = xrs[i];
                float h = x * (0.5f * x);
                hx[i] = h;
                float r = 1.0f + h * (Q1 + h * (Q2 + h * (Q3 + h * (Q4 + h * Q5))));
                float tt = 3.0f - r * (0.5f * x);
                es[i] = h * ((r - tt) / (6.0f - x * tt));
            }
            for (int i = 0; i < n; i++) {
                float x = xrs[i], h = hx[i], cv = cs[i], e = es[i];
                int id = ids[i] & 63;
                float d = ((x * (e - cv) - cv) - h) - x;           // e - x' with fdlibm's corrected e
                float tm = (TANH_A[id] - d) * TANH_S[id] + TANH_B[id];   // expm1f(y)
                float pv = TANH_P[id];
                float q = (pv * -2.0f - tm * (1.0f - pv)) / (tm + 2.0f);
                dst[dstOff + i] = (pv + q) * TANH_SIGN[id];
            }
        }
    }

    /**
     * expm1f's k for tanhf's {@code |x|} by cells of 2^16 floats (bits {@code TANH_LO_BITS + (cell << 16)} on, up to
     * 8's cell, which stands in for the values where tanhf is +-1): {@code (k + 3) << 17 | threshold}, k that of the
     * cell's first float and the threshold the low 16 bits of the first float of the cell whose k differs (0x10000 when
     * none does). k is monotonic in |x| on each side of 1 (fdlibm's float operations are) and changes at most once in
     * a cell: its changes lie ln2 / 2 apart in |x| or more, a cell is at most 1/16 wide. So {@link TanhArrays}' first
     * pass reads k where the straight-line form computes it with two conversions and four bit moves (the pass ran
     * 2.4 against 3.1 ns a value in a micro-benchmark of 20-value calls, JDK 17 defaults). Built from
     * {@link #expm1K} at class initialisation; the class init checks the single step, and {@code FastLibmTest}'s
     * exhaustive run every input.
     */
    private static final int[] K_CELLS = new int[((0x41000000 - TANH_LO_BITS) >>> 16) + 1];
    /** {@code (float) k * ln2hi} and {@code (float) k * ln2lo}, rounded as fdlibm's reduction rounds them, by {@code k + 3}. */
    private static final float[] K_LN2_HI = new float[32], K_LN2_LO = new float[32];

    /** expm1f's k for tanhf of |x| with bits {@code ix} in the common domain (the straight-line form's). */
    private static int kOf(int ix) {
        int pos = (0x3f7fffff - ix) >> 31;
        int hy = ix + 0x00800000;
        return expm1K(hy | (~pos & 0x80000000), hy);
    }

    static {
        for (int k3 = 0; k3 < 32; k3++) {
            float t = k3 - 3;
            K_LN2_HI[k3] = t * LN2_HI;
            K_LN2_LO[k3] = t * LN2_LO;
        }
        for (int cell = 0; cell < K_CELLS.length; cell++) {
            int first = TANH_LO_BITS + (cell << 16), last = first + 0xFFFF, k = kOf(first), threshold = 0x10000;
            if (kOf(last) != k) {
                int lo = first, hi = last;   // kOf(lo) == k != kOf(hi)
                while (hi - lo > 1) {
                    int mid = (lo + hi) >>> 1;
                    if (kOf(mid) == k) lo = mid;
                    else hi = mid;
                }
                int step = first >= 0x3f800000 ? 1 : -1;
                if (kOf(last) != k + step) throw new IllegalStateException("tanhf's k steps from " + k + " to " + kOf(last) + " in one cell");
                threshold = hi & 0xFFFF;
            }
            K_CELLS[cell] = (k + 3) << 17 | threshold;
        }
    }

    /**
     * {@link TanhArrays}' constants by index {@code (k + 3) | 32 * (x < 0)} (k from -3 to 22; 1 and 2 never occur
     * there): a and b of the result formula, 2^k, p = 1 for k >= 3, the sign of x. Index 26 (k = 23, the k of 8,
     * which stands in for |x| >= {@link #TANH_ONE_BITS}) and those above it give +-1: 2^k is 2^100 and a = 2, so t
     * is about 2^100 and {@code 1 + -2 / (t + 2)} rounds to 1. A table read needs no check beyond the mask 63.
     */
    private static final float[] TANH_A = new float[64], TANH_B = new float[64], TANH_S = new float[64],
            TANH_P = new float[64], TANH_SIGN = new float[64];

    static {
        for (int id = 0; id < 64; id++) {
            int kv = (id & 31) - 3;
            TANH_A[id] = kv > 22 ? 2.0f : kv >= 3 ? 1.0f - Float.intBitsToFloat((0x7f - kv) << 23) : kv <= -2 ? 1.0f : 0.0f;
            TANH_B[id] = kv == -1 ? -0.5f : kv <= -2 ? -1.0f : 0.0f;
            TANH_S[id] = kv > 22 ? 0x1p100f : Float.intBitsToFloat((0x7f + kv) << 23);
            TANH_P[id] = kv >= 3 ? 1.0f : 0.0f;
            TANH_SIGN[id] = id >= 32 ? -1.0f : 1.0f;
        }
    }
}
