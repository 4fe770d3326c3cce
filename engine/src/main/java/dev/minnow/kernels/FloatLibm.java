package dev.minnow.kernels;

/**
 * Stand-in for the libm float functions TFLM's float kernels call, until dev.minnow.math.Libm (glibc-exact)
 * lands: every call site goes through here so the swap is one file. tanhf follows glibc's flt-32 algorithm
 * (fdlibm: expm1f-based, float arithmetic throughout), which differs from a correctly rounded tanh in the last
 * bit for a few percent of inputs; expf and logf are still the double-rounded Java functions.
 */
final class FloatLibm {
    private FloatLibm() {}

    static float expf(float x) { return (float) Math.exp(x); }

    static float logf(float x) { return (float) Math.log(x); }

    static float tanhf(float x) {
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
    static float expm1f(float x) {
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
