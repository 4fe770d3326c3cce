package dev.minnow.math;

/**
 * Stand-in for the libm float functions TFLM's float kernels call, until dev.minnow.math.Libm (glibc-exact)
 * lands: every call site goes through here so the swap is one file. tanhf (with expm1f) and expf follow
 * glibc 2.36's algorithms and agree bit for bit with the host's glibc on 300k sampled inputs each (tanhf differs
 * from a correctly rounded tanh for ~5% of inputs, expf for ~0.07%); logf is still the double-rounded Java log.
 */
public final class FloatLibm {
    private FloatLibm() {}

    /**
     * glibc's expf (2.28+): k = round(x * 32 / ln2), 2^(k/32) from a 32-entry table, cubic polynomial in double.
     * x86-64 glibc runs an FMA-compiled variant on CPUs with FMA; on 300k sampled inputs both variants (and this
     * unfused code) agree with the host's expf bit for bit, so the unfused form is kept.
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
        double z = INV_LN2_N * xd;
        double kd = z + SHIFT;
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT;
        double r = z - kd;
        long t = EXP2_TABLE[(int) (ki & 31)] + (ki << 47);
        double s = Double.longBitsToDouble(t);
        double p = C0 * r + C1;
        double r2 = r * r;
        double y = C2 * r + 1.0;
        y = p * r2 + y;
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

    public static float logf(float x) { return (float) Math.log(x); }

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

    private static final float LN2_HI = Float.intBitsToFloat(0x3f317180);
    private static final float LN2_LO = Float.intBitsToFloat(0x3717f7d1);
    private static final float INV_LN2 = Float.intBitsToFloat(0x3fb8aa3b);
    private static final float O_THRESHOLD = Float.intBitsToFloat(0x42b17180);
    private static final float Q1 = Float.intBitsToFloat(0xbd088889);
    private static final float Q2 = Float.intBitsToFloat(0x3ad00d01);
    private static final float Q3 = Float.intBitsToFloat(0xb8a670cd);
    private static final float Q4 = Float.intBitsToFloat(0x36867e54);
    private static final float Q5 = Float.intBitsToFloat(0xb457edbb);

    /** expm1f as glibc's flt-32 s_expm1f (fdlibm). */
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
