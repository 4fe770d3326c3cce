package dev.minnow.kernels;

import dev.minnow.math.FastLibm;
import dev.minnow.math.FloatLibm;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastLibm}'s straight-line tanhf on the Vector API ({@link VectorLanes}' 256-bit lanes), loaded only when
 * {@link FastLoops#VECTOR_API} holds. Every lane runs {@link FastLibm}'s float operations in its order (Java never
 * fuses a multiply and an add, vector lanes neither), the range choices are the same integer bit masks, so each lane
 * equals {@link FloatLibm#tanhf} of its input. A vector with a lane outside the common domain, and the tail shorter
 * than a vector, run {@link FastLibm}'s scalar form. Conversions between int and float lanes are done with the
 * shift trick and bit patterns: JDK 17 compiles no F2I or I2F lanes (it boxes every vector of the method instead).
 */
final class VectorLibm {
    private static final VectorSpecies<Float> FLOATS = VectorLanes.FLOATS;
    private static final int LANES = VectorLanes.LANES;

    private VectorLibm() {}

    /** {@code dst[dstOff + i] = tanhf(src[srcOff + i])} for i < n ({@code dst} may be {@code src} at the same offset). */
    static void tanhf(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            FloatVector x = FloatVector.fromArray(FLOATS, src, srcOff + i);
            IntVector jx = x.reinterpretAsInts();
            IntVector ix = jx.and(0x7fffffff);
            // -1 in lanes outside [2^-26, 7.75): u = |x| - 2^-26 in bits is negative or at least the span
            IntVector u = ix.sub(TANH_LO);
            IntVector rare = u.or(u.sub(SPAN).not()).lanewise(VectorOperators.ASHR, 31);
            IntVector pos = ix.neg().add(0x3f7fffff).lanewise(VectorOperators.ASHR, 31);
            FloatVector ax = ix.reinterpretAsFloats();
            IntVector hx = ax.mul(2.0f).reinterpretAsInts();
            IntVector yb = hx.or(pos.not().and(0x80000000));
            FloatVector y = yb.reinterpretAsFloats();
            FloatVector half = yb.and(0x80000000).or(0x3f000000).reinterpretAsFloats();
            // (int) v by the shift trick (JDK 17 does not compile F2I lanes): v rounded to nearest, then one step toward
            // zero where that went away from zero; |v| < 23 on the lanes that use it
            FloatVector v = y.mul(INV_LN2).add(half);
            FloatVector m = v.add(SHIFT);
            IntVector rne = m.reinterpretAsInts().sub(SHIFT_BITS);
            IntVector sv = yb.lanewise(VectorOperators.ASHR, 31);
            FloatVector rf = m.sub(SHIFT);
            // -1 where the rounding went away from zero: v - rf < 0 for v > 0, rf - v < 0 for v < 0 (equal: +0)
            IntVector away = v.sub(rf).reinterpretAsInts().and(sv.not()).or(rf.sub(v).reinterpretAsInts().and(sv))
                    .lanewise(VectorOperators.ASHR, 31);
            IntVector kg = rne.add(away.lanewise(VectorOperators.XOR, sv).sub(sv));
            IntVector small = hx.sub(K0_MAX + 1).lanewise(VectorOperators.ASHR, 31);
            IntVector mid = hx.sub(K1_END).lanewise(VectorOperators.ASHR, 31);
            IntVector one = yb.lanewise(VectorOperators.ASHR, 31).or(1);
            IntVector k = kg.and(mid.not()).or(one.and(mid).and(small.not()));
            FloatVector t = k.add(SHIFT_BITS).reinterpretAsFloats().sub(SHIFT);   // (float) k, exact for |k| < 2^22
            FloatVector hi = y.sub(t.mul(LN2_HI));
            FloatVector lo = t.mul(LN2_LO);
            FloatVector xr = hi.sub(lo);
            FloatVector c = hi.sub(xr).sub(lo);
            FloatVector hfx = xr.mul(0.5f);
            FloatVector hxs = xr.mul(hfx);
            FloatVector r1 = hxs.mul(Q5).add(Q4).mul(hxs).add(Q3).mul(hxs).add(Q2).mul(hxs).add(Q1).mul(hxs).add(1.0f);
            FloatVector tt = r1.mul(hfx).neg().add(3.0f);
            FloatVector e = hxs.mul(r1.sub(tt).div(xr.mul(tt).neg().add(6.0f)));
            e = xr.mul(e.sub(c)).sub(c).sub(hxs);
            FloatVector em = e.sub(xr);
            FloatVector t0 = xr.sub(e);
            FloatVector tm1 = t0.mul(0.5f).sub(0.5f);
            IntVector sk = k.lanewise(VectorOperators.LSHL, 23);
            FloatVector tlow = em.neg().add(1.0f).reinterpretAsInts().add(sk).reinterpretAsFloats().sub(1.0f);
            FloatVector pk = k.neg().add(0x7f).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats().neg().add(1.0f);
            FloatVector tpos = pk.sub(em).reinterpretAsInts().add(sk).reinterpretAsFloats();
            IntVector neg = mid.not().and(pos.not());
            IntVector tb = t0.reinterpretAsInts().and(small)
                    .or(tm1.reinterpretAsInts().and(mid).and(small.not()))
                    .or(tpos.reinterpretAsInts().and(pos))
                    .or(tlow.reinterpretAsInts().and(neg));
            FloatVector tm = tb.reinterpretAsFloats();
            FloatVector num = pos.and(0x40000000).or(tb.lanewise(VectorOperators.XOR, 0x80000000).and(pos.not())).reinterpretAsFloats();
            FloatVector q = num.div(tm.add(2.0f));
            IntVector zb = q.neg().add(1.0f).reinterpretAsInts().and(pos).or(q.reinterpretAsInts().and(pos.not()));
            if (rare.reduceLanes(VectorOperators.OR) == 0) {
                zb.lanewise(VectorOperators.XOR, jx.and(0x80000000)).reinterpretAsFloats().intoArray(dst, dstOff + i);
            } else {
                FastLibm.tanhf(src, srcOff + i, dst, dstOff + i, LANES); // a lane outside the common domain
            }
        }
        if (i < n) FastLibm.tanhf(src, srcOff + i, dst, dstOff + i, n - i);
    }

    private static final int TANH_LO = FastLibm.TANH_LO_BITS, SPAN = FastLibm.TANH_HI_BITS - FastLibm.TANH_LO_BITS;
    /** 1.5 * 2^23: adding it rounds a float below 2^22 to an integer held in the low bits of the sum. */
    private static final float SHIFT = 0x1.8p23f;
    private static final int SHIFT_BITS = Float.floatToRawIntBits(SHIFT);
    private static final int K0_MAX = FastLibm.K0_MAX, K1_END = FastLibm.K1_END;
    private static final float LN2_HI = FastLibm.LN2_HI, LN2_LO = FastLibm.LN2_LO, INV_LN2 = FastLibm.INV_LN2,
            Q1 = FastLibm.Q1, Q2 = FastLibm.Q2, Q3 = FastLibm.Q3, Q4 = FastLibm.Q4, Q5 = FastLibm.Q5;
}
