package dev.minnow.math;

/**
 * The float functions of the C math library that TFLM's float kernels call, computed bit for bit as glibc 2.36 on
 * x86-64 computes them, so float outputs of those kernels are byte-identical to TFLM's host build.
 *
 * <p>glibc dispatches {@code expf}, {@code logf}, {@code sinf} and {@code cosf} at load time: on CPUs with FMA and AVX2
 * (every x86-64 CPU since 2013) it runs builds of the same C compiled with {@code -mfma}, where gcc fused each
 * {@code a * b + c} whose product has no other use into one correctly rounded FMA. The methods here reproduce those
 * builds, fusing exactly where the compiled code does (read from the disassembly of the host's libm.so.6), with
 * {@link Math#fma}. The unfused builds that CPUs without FMA (and the 32-bit ARM build) run differ from them on a
 * handful of the 2^32 float inputs: sinf on 12, cosf on 22, expf on 2, logf on none.
 * {@code expm1f} and {@code tanhf} have no FMA build; they are fdlibm's float code. All six were checked against the
 * host's glibc on every one of the 2^32 float inputs (see {@code FloatLibmGlibcTest} in the test kit).
 *
 * <p>NaN results follow x86: a NaN input comes back quieted with its payload, an invalid operation on non-NaN inputs
 * gives the default NaN {@code 0xffc00000}.
 */
public final class FloatLibm {
    private FloatLibm() {}

    /** x86's default NaN, produced by invalid operations on non-NaN operands (0/0, inf - inf, ...). */
    static final float DEFAULT_NAN = Float.intBitsToFloat(0xffc00000);

    /** The NaN x86 arithmetic returns for a NaN operand: the operand with its quiet bit set. */
    static float quiet(float nan) { return Float.intBitsToFloat(Float.floatToRawIntBits(nan) | 0x00400000); }

    /** glibc's __math_invalidf: (x - x) / (x - x), i.e. a quieted x for NaN, the default NaN otherwise. */
    private static float invalid(float x) { return Float.isNaN(x) ? quiet(x) : DEFAULT_NAN; }

    // ------------------------------------------------------------------ expf

    /**
     * expf (glibc 2.28+, FMA build): k = round(x * 32 / ln2) by the shift trick, r = x * 32 / ln2 - k, 2^(k/32) from a
     * 32-entry table, a cubic in r evaluated in double.
     */
    public static float expf(float x) {
        int bits = Float.floatToRawIntBits(x);
        int abstop = (bits >>> 20) & 0x7ff;
        if (abstop >= 0x42b) { // |x| >= 88 or NaN
            if (bits == 0xff800000) return 0.0f;
            if (abstop >= 0x7f8) return x + x;
            if (x > 0x1.62e42ep6f) return Float.POSITIVE_INFINITY;
            if (x < -0x1.9fe368p6f) return 0.0f;
        }
        double xd = x;
        double kd = Math.fma(INV_LN2_N, xd, SHIFT);
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT;
        double r = Math.fma(INV_LN2_N, xd, -kd); // the product is fused into both of its uses
        long t = EXP2_TABLE[(int) (ki & 31)] + (ki << 47);
        double s = Double.longBitsToDouble(t);
        double p = Math.fma(C0, r, C1);
        double r2 = r * r;
        double y = Math.fma(C2, r, 1.0);
        y = Math.fma(p, r2, y);
        return (float) (y * s);
    }

    private static final double INV_LN2_N = 0x1.71547652b82fep+0 * 32;
    private static final double SHIFT = 0x1.8p+52;
    private static final double C0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / 32;
    /** bits of 2^(i/32) (correctly rounded double) minus i << 47, so adding k << 47 scales by 2^(k/32). */
    private static final long[] EXP2_TABLE = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L
    };

    // ------------------------------------------------------------------ logf

    /**
     * logf (glibc 2.27+, FMA build): x = 2^k z with z in [0x3f330000, 2 * 0x3f330000) as a float bit pattern,
     * log(x) = log1p(z / c - 1) + log(c) + k ln2 with 1/c and log(c) from a 16-entry table (c near the centre of z's
     * subinterval) and a cubic for log1p, all in double.
     */
    public static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000) return 0.0f; // +0 also when rounding downward
        if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
            // x < 0x1p-126 (zero, subnormal, negative), inf or NaN
            if (ix * 2 == 0) return Float.NEGATIVE_INFINITY;
            if (ix == 0x7f800000) return x;
            if (ix < 0 || Integer.compareUnsigned(ix * 2, 0xff000000) >= 0) return invalid(x);
            ix = Float.floatToRawIntBits(x * 0x1p23f) - (23 << 23); // normalize a subnormal
        }
        int tmp = ix - 0x3f330000;
        int i = (tmp >>> (23 - LOGF_TABLE_BITS)) & ((1 << LOGF_TABLE_BITS) - 1);
        int k = tmp >> 23;
        int iz = ix - (tmp & 0xff800000);
        double z = Float.intBitsToFloat(iz);
        double r = Math.fma(z, LOGF_INVC[i], -1.0);
        double y0 = Math.fma(k, LN2, LOGF_LOGC[i]);
        double r2 = r * r;
        double y = Math.fma(LOGF_A1, r, LOGF_A2);
        y = Math.fma(LOGF_A0, r2, y);
        y = Math.fma(y, r2, y0 + r);
        return (float) y;
    }

    private static final int LOGF_TABLE_BITS = 4;
    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double LOGF_A0 = -0x1.00ea348b88334p-2, LOGF_A1 = 0x1.5575b0be00b6ap-2, LOGF_A2 = -0x1.ffffef20a4123p-2;
    /** 1/c for each subinterval of [0x3f330000, 2 * 0x3f330000). */
    private static final double[] LOGF_INVC = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1
    };
    /** log(c) for the same subintervals. */
    private static final double[] LOGF_LOGC = {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
        -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
        0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2
    };

    // ------------------------------------------------------------------ sinf, cosf

    /**
     * sinf (glibc 2.26+, FMA build): |x| < pi/4 directly; |x| < 120 reduced by one multiply-subtract of a double pi/2;
     * larger |x| reduced with 4/pi to 192 bits in integer arithmetic; then the sine or cosine polynomial of the
     * quadrant, in double.
     */
    public static float sinf(float y) {
        double x = y;
        int top = abstop12(y);
        if (top < ABSTOP_PIO4) {
            double x2 = x * x;
            if (top < ABSTOP_2M12) return y; // sin(y) rounds to y (also for zeros and subnormals)
            return sinPoly(x, x2);
        }
        if (top < ABSTOP_120) {
            int n = quadrantFast(x);
            double r = Math.fma(-(double) n, HPI, x);
            return quadrantSin(r, n, n);
        } else if (top < ABSTOP_INF) {
            int xi = Float.floatToRawIntBits(y);
            long m = reduceLarge(xi);
            int q = (int) (m >>> 62);
            double r = (double) (m << 2 >> 2) * PI63; // |x| was reduced: the input's sign joins the quadrant's
            return quadrantSin(r, q + (xi >>> 31), q);
        }
        return invalid(y);
    }

    /** cosf (glibc 2.26+, FMA build): as {@link #sinf} with the polynomials of the next quadrant. */
    public static float cosf(float y) {
        double x = y;
        int top = abstop12(y);
        if (top < ABSTOP_PIO4) {
            double x2 = x * x;
            if (top < ABSTOP_2M12) return 1.0f;
            return cosPoly(x2, false);
        }
        if (top < ABSTOP_120) {
            int n = quadrantFast(x);
            double r = Math.fma(-(double) n, HPI, x);
            return quadrantSin(r, n, n ^ 1);
        } else if (top < ABSTOP_INF) {
            int xi = Float.floatToRawIntBits(y);
            long m = reduceLarge(xi);
            int q = (int) (m >>> 62);
            double r = (double) (m << 2 >> 2) * PI63;
            return quadrantSin(r, q + (xi >>> 31), q ^ 1);
        }
        return invalid(y);
    }

    /**
     * The polynomial of a reduced argument r in [-pi/4, pi/4]: the sine polynomial of r times the sign of quadrant
     * {@code signQuadrant} when {@code polyQuadrant} is even, else the cosine polynomial, negated in quadrants 2 and 3.
     */
    private static float quadrantSin(double r, int signQuadrant, int polyQuadrant) {
        if ((polyQuadrant & 1) == 0) return sinPoly(r * SIGN[signQuadrant & 3], r * r);
        return cosPoly(r * r, (signQuadrant & 2) != 0);
    }

    /** x + x^3 s1 + x^5 (s2 + x^2 s3), fused as the FMA build computes it. */
    private static float sinPoly(double x, double x2) {
        double x3 = x * x2;
        double s1 = Math.fma(x2, S3, S2);
        double x5 = x3 * x2;
        double s = Math.fma(x3, S1, x);
        return (float) Math.fma(x5, s1, s);
    }

    /**
     * (c0 + x^2 c1) + x^4 c2 + x^6 (c3 + x^2 c4), fused as the FMA build computes it; glibc's second table negates
     * every coefficient, which negates the result exactly (round to nearest is symmetric).
     */
    private static float cosPoly(double x2, boolean negate) {
        double x4 = x2 * x2;
        double c2 = Math.fma(x2, CC4, CC3);
        double c1 = Math.fma(x2, CC1, CC0);
        double x6 = x4 * x2;
        double c = Math.fma(x4, CC2, c1);
        float v = (float) Math.fma(x6, c2, c);
        return negate ? -v : v;
    }

    /** The quadrant of |x| < 120: x * (2/pi * 2^24) truncated, rounded to a multiple of 2^24 by integer arithmetic. */
    private static int quadrantFast(double x) {
        return ((int) (x * HPI_INV_2P24) + 0x800000) >> 24;
    }

    /**
     * glibc's reduce_large for |x| >= 120 (x as float bits): the input's 24-bit significand times the bits of 4/pi
     * that matter for its exponent, a 32x96-bit product whose top 2 bits (rounded) are the quadrant. Returns the
     * quadrant in bits 62-63 and the remainder below them as a signed 2.62 fixed-point fraction of pi/2 in bits 0-61.
     */
    private static long reduceLarge(int xi) {
        int idx = (xi >>> 26) & 15;
        int shift = (xi >>> 23) & 7;
        long m = ((long) ((xi & 0xffffff) | 0x800000)) << shift;
        long res0 = (m * INV_PIO4[idx]) & 0xffffffffL; // a 32-bit product in C
        long res1 = m * INV_PIO4[idx + 4];
        long res2 = m * INV_PIO4[idx + 8];
        res0 = (res2 >>> 32) | (res0 << 32);
        res0 += res1;
        long n = (res0 + (1L << 61)) >>> 62;
        res0 -= n << 62;
        return (n << 62) | (res0 & 0x3fffffffffffffffL);
    }

    private static int abstop12(float x) { return (Float.floatToRawIntBits(x) >>> 20) & 0x7ff; }

    private static final int ABSTOP_PIO4 = abstop12(0x1.921FB6p-1f);
    private static final int ABSTOP_2M12 = abstop12(0x1p-12f);
    private static final int ABSTOP_120 = abstop12(120.0f);
    private static final int ABSTOP_INF = abstop12(Float.POSITIVE_INFINITY);
    private static final double[] SIGN = {1.0, -1.0, -1.0, 1.0};
    /** 2/pi scaled by 2^24, and pi/2, as glibc's table holds them. */
    private static final double HPI_INV_2P24 = 0x1.45F306DC9C883p+23, HPI = 0x1.921FB54442D18p0;
    /** 2 pi / 2^64: the value of one unit of reduceLarge's 2.62 fraction of pi/2. */
    private static final double PI63 = 0x1.921FB54442D18p-62;
    /** The cosine polynomial. */
    private static final double CC0 = 0x1p0, CC1 = -0x1.ffffffd0c621cp-2, CC2 = 0x1.55553e1068f19p-5,
            CC3 = -0x1.6c087e89a359dp-10, CC4 = 0x1.99343027bf8c3p-16;
    /** The sine polynomial (its first coefficient is 1). */
    private static final double S1 = -0x1.555545995a603p-3, S2 = 0x1.1107605230bc4p-7, S3 = -0x1.994eb3774cf24p-13;

    /** 4/pi to 192 bits, most significant byte first. */
    private static final String FOUR_OVER_PI = "a2f9836e4e441529fc2757d1f534ddc0db6295993c439041";
    /**
     * Windows of 4/pi as glibc's __inv_pio4 holds them: entry i is the 32 bits ending with byte i of
     * {@link #FOUR_OVER_PI} (fewer at the start), so each entry adds 8 new bits. Unsigned values.
     */
    private static final long[] INV_PIO4 = new long[24];

    static {
        for (int i = 0; i < INV_PIO4.length; i++) {
            int from = Math.max(0, i - 3);
            INV_PIO4[i] = Long.parseLong(FOUR_OVER_PI.substring(2 * from, 2 * (i + 1)), 16);
        }
    }

    // ------------------------------------------------------------------ fmodf

    /**
     * fmodf: the exact remainder of x / y truncated toward zero, with the sign of x (Java's {@code %} on floats), and
     * glibc's NaNs: a NaN operand comes back quieted (x's first), y == 0 or an infinite x give the default NaN.
     */
    public static float fmodf(float x, float y) {
        if (Float.isNaN(x)) return quiet(x);
        if (Float.isNaN(y)) return quiet(y);
        if (y == 0 || Float.isInfinite(x)) return DEFAULT_NAN;
        return x % y;
    }

    // ------------------------------------------------------------------ tanhf, expm1f

    /** tanhf as glibc's flt-32 s_tanhf (fdlibm): from expm1f of 2|x|, saturating to +-1 beyond 22. */
    public static float tanhf(float x) {
        int jx = Float.floatToRawIntBits(x);
        int ix = jx & 0x7fffffff;
        if (ix >= 0x7f800000) { // inf or NaN
            return jx >= 0 ? 1.0f / x + 1.0f : 1.0f / x - 1.0f;
        }
        float z;
        if (ix < 0x41b00000) { // |x| < 22
            if (ix == 0) return x;
            if (ix < 0x24000000) return x * (1.0f + x); // |x| < 2^-55
            if (ix >= 0x3f800000) { // |x| >= 1
                float t = expm1f(2.0f * Math.abs(x));
                z = 1.0f - 2.0f / (t + 2.0f);
            } else {
                float t = expm1f(-2.0f * Math.abs(x));
                z = -t / (t + 2.0f);
            }
        } else {
            z = 1.0f; // 1 - tiny rounds to 1
        }
        return jx >= 0 ? z : -z;
    }

    static final float LN2_HI = Float.intBitsToFloat(0x3f317180);
    static final float LN2_LO = Float.intBitsToFloat(0x3717f7d1);
    static final float INV_LN2 = Float.intBitsToFloat(0x3fb8aa3b);
    private static final float O_THRESHOLD = Float.intBitsToFloat(0x42b17180);
    static final float Q1 = Float.intBitsToFloat(0xbd088889);
    static final float Q2 = Float.intBitsToFloat(0x3ad00d01);
    static final float Q3 = Float.intBitsToFloat(0xb8a670cd);
    static final float Q4 = Float.intBitsToFloat(0x36867e54);
    static final float Q5 = Float.intBitsToFloat(0xb457edbb);

    /** expm1f as glibc's flt-32 s_expm1f (fdlibm), all in float arithmetic. */
    public static float expm1f(float x) {
        int hx = Float.floatToRawIntBits(x);
        boolean neg = hx < 0;
        hx &= 0x7fffffff;
        if (hx >= 0x4195b844) { // |x| >= 27 ln2
            if (hx >= 0x42b17218) { // |x| >= 88.72
                if (hx > 0x7f800000) return x + x;
                if (hx == 0x7f800000) return neg ? -1.0f : x;
                if (x > O_THRESHOLD) return Float.POSITIVE_INFINITY;
            }
            if (neg) return -1.0f;
        }
        float hi, lo, c = 0f;
        int k;
        if (hx > 0x3eb17218) { // |x| > 0.5 ln2
            if (hx < 0x3F851592) { // and < 1.5 ln2
                if (!neg) { hi = x - LN2_HI; lo = LN2_LO; k = 1; }
                else { hi = x + LN2_HI; lo = -LN2_LO; k = -1; }
            } else {
                k = (int) (INV_LN2 * x + (neg ? -0.5f : 0.5f));
                float t = k;
                hi = x - t * LN2_HI;
                lo = t * LN2_LO;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        } else if (hx < 0x33000000) { // |x| < 2^-25
            return x;
        } else {
            k = 0;
        }
        float hfx = 0.5f * x;
        float hxs = x * hfx;
        float r1 = 1.0f + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
        float t = 3.0f - r1 * hfx;
        float e = hxs * ((r1 - t) / (6.0f - x * t));
        if (k == 0) return x - (x * e - hxs);
        e = (x * (e - c) - c);
        e -= hxs;
        if (k == -1) return 0.5f * (x - e) - 0.5f;
        if (k == 1) {
            if (x < -0.25f) return -2.0f * (e - (x + 0.5f));
            return 1.0f + 2.0f * (x - e);
        }
        float y;
        if (k <= -2 || k > 56) {
            y = 1.0f - (e - x);
            y = Float.intBitsToFloat(Float.floatToRawIntBits(y) + (k << 23));
            return y - 1.0f;
        }
        if (k < 23) {
            t = Float.intBitsToFloat(0x3f800000 - (0x1000000 >> k)); // 1 - 2^-k
            y = t - (e - x);
            y = Float.intBitsToFloat(Float.floatToRawIntBits(y) + (k << 23));
        } else {
            t = Float.intBitsToFloat((0x7f - k) << 23); // 2^-k
            y = x - (e + t);
            y += 1.0f;
            y = Float.intBitsToFloat(Float.floatToRawIntBits(y) + (k << 23));
        }
        return y;
    }
}
