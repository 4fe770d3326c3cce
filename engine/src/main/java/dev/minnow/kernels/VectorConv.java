package dev.minnow.kernels;

import dev.minnow.util.LittleEndian;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;


/**
 * The window loops of {@link FastConv2D} (and the float output stage {@link FastDepthwiseConv2D} shares) on the Vector API (JDK 17's incubator module
 * {@code jdk.incubator.vector}), called only when {@link FastLoops#VECTOR_API}: without the module this class is never
 * loaded. Each method computes the channels of one output pixel (or of two or four sharing the weight loads) with the channels across the lanes and the sums kept in
 * registers over all its taps (the scalar loops keep them in memory), {@link #LANES} channels per vector.
 *
 * <p>Array contract: channel blocks run in whole vectors up to the first multiple of {@link #LANES} at or above the
 * channel count, so the weight, bias, input and accumulator arrays the callers pass are {@link #LANES} elements
 * longer than their data (or padded per channel); the lanes past the channel count hold sums of neighbouring data and
 * are never written to the output. Every output keeps the reference's order of accumulation over the taps (filterY,
 * filterX, inChannel) with a separate multiply and add (never fused): float results equal the reference's bit for bit;
 * int sums are exact modulo 2^32 in any order.
 */
final class VectorConv {
    /** {@link VectorLanes}: the 256-bit width every Vector API kernel shares, 8 int or float lanes. */
    private static final VectorSpecies<Integer> INTS = VectorLanes.INTS;
    private static final VectorSpecies<Float> FLOATS = VectorLanes.FLOATS;
    /** The int8 output stage's 64-bit lanes: 4 per 256-bit vector. */
    private static final VectorSpecies<Long> LONGS = VectorLanes.LONGS;
    /** Channels per vector. */
    static final int LANES = ConvWindow.LANES;

    private VectorConv() {}

    /**
     * Convolution pixel over weights {@code w[fy][fx][ic][p]} ({@code p} a multiple of {@link #LANES}, zero past the
     * output channels): for {@code oc < p}, {@code acc[oc] = bias[oc] + sum over j of x[base + xo[j]] * w[wo[j] + oc]},
     * the terms (valid tap, input channel) from a {@link ConvWindow.TapTable}; four vectors of output channels (then
     * two, then one) share each broadcast input value.
     */
    static void conv(int[] w, int[] x, int[] bias, int[] acc, int p, int base, int[] xo, int[] wo) {
        int terms = xo.length, oc = 0;
        for (; oc + 4 * LANES <= p; oc += 4 * LANES) {
            IntVector a0 = IntVector.fromArray(INTS, bias, oc), a1 = IntVector.fromArray(INTS, bias, oc + LANES),
                    a2 = IntVector.fromArray(INTS, bias, oc + 2 * LANES), a3 = IntVector.fromArray(INTS, bias, oc + 3 * LANES);
            for (int j = 0; j < terms; j++) {
                IntVector xv = IntVector.broadcast(INTS, x[base + xo[j]]);
                int wb = wo[j] + oc;
                a0 = a0.add(IntVector.fromArray(INTS, w, wb).mul(xv));
                a1 = a1.add(IntVector.fromArray(INTS, w, wb + LANES).mul(xv));
                a2 = a2.add(IntVector.fromArray(INTS, w, wb + 2 * LANES).mul(xv));
                a3 = a3.add(IntVector.fromArray(INTS, w, wb + 3 * LANES).mul(xv));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            a2.intoArray(acc, oc + 2 * LANES);
            a3.intoArray(acc, oc + 3 * LANES);
        }
        if (oc + 2 * LANES <= p) {
            IntVector a0 = IntVector.fromArray(INTS, bias, oc), a1 = IntVector.fromArray(INTS, bias, oc + LANES);
            for (int j = 0; j < terms; j++) {
                IntVector xv = IntVector.broadcast(INTS, x[base + xo[j]]);
                int wb = wo[j] + oc;
                a0 = a0.add(IntVector.fromArray(INTS, w, wb).mul(xv));
                a1 = a1.add(IntVector.fromArray(INTS, w, wb + LANES).mul(xv));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            oc += 2 * LANES;
        }
        if (oc < p) {
            IntVector a = IntVector.fromArray(INTS, bias, oc);
            for (int j = 0; j < terms; j++) {
                a = a.add(IntVector.fromArray(INTS, w, wo[j] + oc).mul(IntVector.broadcast(INTS, x[base + xo[j]])));
            }
            a.intoArray(acc, oc);
        }
    }

    /**
     * Two output pixels of one tap class at once, each weight vector loaded once for both: as {@link #conv(int[], int[],
     * int[], int[], int, int, int[], int[])} for the pixel at {@code base0} into {@code acc[0, p)} and the pixel at
     * {@code base1} into {@code acc[p, 2p)}. Four vectors of output channels (then two, then one) per pass: eight sums in
     * registers beside the two broadcasts and the four shared weight vectors.
     */
    static void conv2(int[] w, int[] x, int[] bias, int[] acc, int p, int base0, int base1, int[] xo, int[] wo) {
        int terms = xo.length, oc = 0;
        for (; oc + 4 * LANES <= p; oc += 4 * LANES) {
            IntVector a0 = IntVector.fromArray(INTS, bias, oc), a1 = IntVector.fromArray(INTS, bias, oc + LANES),
                    a2 = IntVector.fromArray(INTS, bias, oc + 2 * LANES), a3 = IntVector.fromArray(INTS, bias, oc + 3 * LANES);
            IntVector c0 = a0, c1 = a1, c2 = a2, c3 = a3;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j], wb = wo[j] + oc;
                IntVector xa = IntVector.broadcast(INTS, x[base0 + xj]), xc = IntVector.broadcast(INTS, x[base1 + xj]);
                IntVector w0 = IntVector.fromArray(INTS, w, wb), w1 = IntVector.fromArray(INTS, w, wb + LANES),
                        w2 = IntVector.fromArray(INTS, w, wb + 2 * LANES), w3 = IntVector.fromArray(INTS, w, wb + 3 * LANES);
                a0 = a0.add(w0.mul(xa));
                a1 = a1.add(w1.mul(xa));
                a2 = a2.add(w2.mul(xa));
                a3 = a3.add(w3.mul(xa));
                c0 = c0.add(w0.mul(xc));
                c1 = c1.add(w1.mul(xc));
                c2 = c2.add(w2.mul(xc));
                c3 = c3.add(w3.mul(xc));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            a2.intoArray(acc, oc + 2 * LANES);
            a3.intoArray(acc, oc + 3 * LANES);
            c0.intoArray(acc, p + oc);
            c1.intoArray(acc, p + oc + LANES);
            c2.intoArray(acc, p + oc + 2 * LANES);
            c3.intoArray(acc, p + oc + 3 * LANES);
        }
        if (oc + 2 * LANES <= p) {
            IntVector b0 = IntVector.fromArray(INTS, bias, oc), b1 = IntVector.fromArray(INTS, bias, oc + LANES);
            IntVector a0 = b0, a1 = b1, c0 = b0, c1 = b1;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j], wb = wo[j] + oc;
                IntVector xa = IntVector.broadcast(INTS, x[base0 + xj]), xc = IntVector.broadcast(INTS, x[base1 + xj]);
                IntVector w0 = IntVector.fromArray(INTS, w, wb), w1 = IntVector.fromArray(INTS, w, wb + LANES);
                a0 = a0.add(w0.mul(xa));
                a1 = a1.add(w1.mul(xa));
                c0 = c0.add(w0.mul(xc));
                c1 = c1.add(w1.mul(xc));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            c0.intoArray(acc, p + oc);
            c1.intoArray(acc, p + oc + LANES);
            oc += 2 * LANES;
        }
        if (oc < p) {
            IntVector b = IntVector.fromArray(INTS, bias, oc), a = b, c = b;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j];
                IntVector wv = IntVector.fromArray(INTS, w, wo[j] + oc);
                a = a.add(wv.mul(IntVector.broadcast(INTS, x[base0 + xj])));
                c = c.add(wv.mul(IntVector.broadcast(INTS, x[base1 + xj])));
            }
            a.intoArray(acc, oc);
            c.intoArray(acc, p + oc);
        }
    }

    /** The float form of {@link #conv2(int[], int[], int[], int[], int, int, int, int[], int[])}: sums from 0, each in the reference's order. */
    static void conv2(float[] w, float[] x, float[] acc, int p, int base0, int base1, int[] xo, int[] wo) {
        int terms = xo.length, oc = 0;
        for (; oc + 4 * LANES <= p; oc += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, a2 = a0, a3 = a0, c0 = a0, c1 = a0, c2 = a0, c3 = a0;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j], wb = wo[j] + oc;
                FloatVector xa = FloatVector.broadcast(FLOATS, x[base0 + xj]), xc = FloatVector.broadcast(FLOATS, x[base1 + xj]);
                FloatVector w0 = FloatVector.fromArray(FLOATS, w, wb), w1 = FloatVector.fromArray(FLOATS, w, wb + LANES),
                        w2 = FloatVector.fromArray(FLOATS, w, wb + 2 * LANES), w3 = FloatVector.fromArray(FLOATS, w, wb + 3 * LANES);
                a0 = a0.add(xa.mul(w0));
                a1 = a1.add(xa.mul(w1));
                a2 = a2.add(xa.mul(w2));
                a3 = a3.add(xa.mul(w3));
                c0 = c0.add(xc.mul(w0));
                c1 = c1.add(xc.mul(w1));
                c2 = c2.add(xc.mul(w2));
                c3 = c3.add(xc.mul(w3));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            a2.intoArray(acc, oc + 2 * LANES);
            a3.intoArray(acc, oc + 3 * LANES);
            c0.intoArray(acc, p + oc);
            c1.intoArray(acc, p + oc + LANES);
            c2.intoArray(acc, p + oc + 2 * LANES);
            c3.intoArray(acc, p + oc + 3 * LANES);
        }
        if (oc + 2 * LANES <= p) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, c0 = a0, c1 = a0;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j], wb = wo[j] + oc;
                FloatVector xa = FloatVector.broadcast(FLOATS, x[base0 + xj]), xc = FloatVector.broadcast(FLOATS, x[base1 + xj]);
                FloatVector w0 = FloatVector.fromArray(FLOATS, w, wb), w1 = FloatVector.fromArray(FLOATS, w, wb + LANES);
                a0 = a0.add(xa.mul(w0));
                a1 = a1.add(xa.mul(w1));
                c0 = c0.add(xc.mul(w0));
                c1 = c1.add(xc.mul(w1));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            c0.intoArray(acc, p + oc);
            c1.intoArray(acc, p + oc + LANES);
            oc += 2 * LANES;
        }
        if (oc < p) {
            FloatVector a = FloatVector.zero(FLOATS), c = a;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j];
                FloatVector wv = FloatVector.fromArray(FLOATS, w, wo[j] + oc);
                a = a.add(FloatVector.broadcast(FLOATS, x[base0 + xj]).mul(wv));
                c = c.add(FloatVector.broadcast(FLOATS, x[base1 + xj]).mul(wv));
            }
            a.intoArray(acc, oc);
            c.intoArray(acc, p + oc);
        }
    }

    /**
     * Four output pixels of one tap class at once, for {@code p <= 2 LANES} output channels: as {@link #conv2} for the
     * pixels at {@code base + k step} into {@code acc[k p, (k + 1) p)}, {@code k < 4}; each weight vector loaded once for
     * the four, so layers with few output channels keep up to eight sums in registers too.
     */
    static void conv4(int[] w, int[] x, int[] bias, int[] acc, int p, int base, int step, int[] xo, int[] wo) {
        int terms = xo.length, b1 = base + step, b2 = b1 + step, b3 = b2 + step;
        if (p == 2 * LANES) {
            IntVector a0 = IntVector.fromArray(INTS, bias, 0), a1 = IntVector.fromArray(INTS, bias, LANES);
            IntVector c0 = a0, c1 = a1, d0 = a0, d1 = a1, e0 = a0, e1 = a1;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j], wb = wo[j];
                IntVector w0 = IntVector.fromArray(INTS, w, wb), w1 = IntVector.fromArray(INTS, w, wb + LANES);
                IntVector xa = IntVector.broadcast(INTS, x[base + xj]);
                a0 = a0.add(w0.mul(xa));
                a1 = a1.add(w1.mul(xa));
                IntVector xc = IntVector.broadcast(INTS, x[b1 + xj]);
                c0 = c0.add(w0.mul(xc));
                c1 = c1.add(w1.mul(xc));
                IntVector xd = IntVector.broadcast(INTS, x[b2 + xj]);
                d0 = d0.add(w0.mul(xd));
                d1 = d1.add(w1.mul(xd));
                IntVector xe = IntVector.broadcast(INTS, x[b3 + xj]);
                e0 = e0.add(w0.mul(xe));
                e1 = e1.add(w1.mul(xe));
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, LANES);
            c0.intoArray(acc, p);
            c1.intoArray(acc, p + LANES);
            d0.intoArray(acc, 2 * p);
            d1.intoArray(acc, 2 * p + LANES);
            e0.intoArray(acc, 3 * p);
            e1.intoArray(acc, 3 * p + LANES);
        } else {
            IntVector a = IntVector.fromArray(INTS, bias, 0), c = a, d = a, e = a;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j];
                IntVector wv = IntVector.fromArray(INTS, w, wo[j]);
                a = a.add(wv.mul(IntVector.broadcast(INTS, x[base + xj])));
                c = c.add(wv.mul(IntVector.broadcast(INTS, x[b1 + xj])));
                d = d.add(wv.mul(IntVector.broadcast(INTS, x[b2 + xj])));
                e = e.add(wv.mul(IntVector.broadcast(INTS, x[b3 + xj])));
            }
            a.intoArray(acc, 0);
            c.intoArray(acc, p);
            d.intoArray(acc, 2 * p);
            e.intoArray(acc, 3 * p);
        }
    }

    /** The float form of {@link #conv4(int[], int[], int[], int[], int, int, int, int[], int[])}: sums from 0, each in the reference's order. */
    static void conv4(float[] w, float[] x, float[] acc, int p, int base, int step, int[] xo, int[] wo) {
        int terms = xo.length, b1 = base + step, b2 = b1 + step, b3 = b2 + step;
        if (p == 2 * LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = a0, c0 = a0, c1 = a0, d0 = a0, d1 = a0, e0 = a0, e1 = a0;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j], wb = wo[j];
                FloatVector w0 = FloatVector.fromArray(FLOATS, w, wb), w1 = FloatVector.fromArray(FLOATS, w, wb + LANES);
                FloatVector xa = FloatVector.broadcast(FLOATS, x[base + xj]);
                a0 = a0.add(xa.mul(w0));
                a1 = a1.add(xa.mul(w1));
                FloatVector xc = FloatVector.broadcast(FLOATS, x[b1 + xj]);
                c0 = c0.add(xc.mul(w0));
                c1 = c1.add(xc.mul(w1));
                FloatVector xd = FloatVector.broadcast(FLOATS, x[b2 + xj]);
                d0 = d0.add(xd.mul(w0));
                d1 = d1.add(xd.mul(w1));
                FloatVector xe = FloatVector.broadcast(FLOATS, x[b3 + xj]);
                e0 = e0.add(xe.mul(w0));
                e1 = e1.add(xe.mul(w1));
            }
            a0.intoArray(acc, 0);
            a1.intoArray(acc, LANES);
            c0.intoArray(acc, p);
            c1.intoArray(acc, p + LANES);
            d0.intoArray(acc, 2 * p);
            d1.intoArray(acc, 2 * p + LANES);
            e0.intoArray(acc, 3 * p);
            e1.intoArray(acc, 3 * p + LANES);
        } else {
            FloatVector a = FloatVector.zero(FLOATS), c = a, d = a, e = a;
            for (int j = 0; j < terms; j++) {
                int xj = xo[j];
                FloatVector wv = FloatVector.fromArray(FLOATS, w, wo[j]);
                a = a.add(FloatVector.broadcast(FLOATS, x[base + xj]).mul(wv));
                c = c.add(FloatVector.broadcast(FLOATS, x[b1 + xj]).mul(wv));
                d = d.add(FloatVector.broadcast(FLOATS, x[b2 + xj]).mul(wv));
                e = e.add(FloatVector.broadcast(FLOATS, x[b3 + xj]).mul(wv));
            }
            a.intoArray(acc, 0);
            c.intoArray(acc, p);
            d.intoArray(acc, 2 * p);
            e.intoArray(acc, 3 * p);
        }
    }

    /** The float convolution pixel: as the int one, sums starting at 0 (the bias is the caller's, added last). */
    static void conv(float[] w, float[] x, float[] acc, int p, int base, int[] xo, int[] wo) {
        int terms = xo.length, oc = 0;
        for (; oc + 4 * LANES <= p; oc += 4 * LANES) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = FloatVector.zero(FLOATS), a2 = FloatVector.zero(FLOATS), a3 = FloatVector.zero(FLOATS);
            for (int j = 0; j < terms; j++) {
                FloatVector xv = FloatVector.broadcast(FLOATS, x[base + xo[j]]);
                int wb = wo[j] + oc;
                a0 = a0.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb)));
                a1 = a1.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + LANES)));
                a2 = a2.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + 2 * LANES)));
                a3 = a3.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + 3 * LANES)));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            a2.intoArray(acc, oc + 2 * LANES);
            a3.intoArray(acc, oc + 3 * LANES);
        }
        if (oc + 2 * LANES <= p) {
            FloatVector a0 = FloatVector.zero(FLOATS), a1 = FloatVector.zero(FLOATS);
            for (int j = 0; j < terms; j++) {
                FloatVector xv = FloatVector.broadcast(FLOATS, x[base + xo[j]]);
                int wb = wo[j] + oc;
                a0 = a0.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb)));
                a1 = a1.add(xv.mul(FloatVector.fromArray(FLOATS, w, wb + LANES)));
            }
            a0.intoArray(acc, oc);
            a1.intoArray(acc, oc + LANES);
            oc += 2 * LANES;
        }
        if (oc < p) {
            FloatVector a = FloatVector.zero(FLOATS);
            for (int j = 0; j < terms; j++) {
                a = a.add(FloatVector.broadcast(FLOATS, x[base + xo[j]]).mul(FloatVector.fromArray(FLOATS, w, wo[j] + oc)));
            }
            a.intoArray(acc, oc);
        }
    }

    /**
     * The float output stage: {@code clamp(acc[c] + bias[c], min, max)} stored little-endian at {@code out[at + 4 c]}
     * for {@code c < n} (overwriting {@code acc}), the clamp as {@link KernelUtil#clamp(float, float, float)}'s compares and selects (so -0.0
     * and NaN come out as there, which min/max would not give).
     */
    static void floatOutputs(float[] acc, float[] bias, int n, float min, float max, byte[] out, int at) {
        int c = 0;
        for (; c + LANES <= n; c += LANES) {
            FloatVector v = FloatVector.fromArray(FLOATS, acc, c).add(FloatVector.fromArray(FLOATS, bias, c));
            v = v.blend(min, v.compare(VectorOperators.LT, min));
            v = v.blend(max, FloatVector.broadcast(FLOATS, max).compare(VectorOperators.LT, v));
            v.intoArray(acc, c);
        }
        // stored through the array: the byte[] stores of JDK 17's incubator API are gone from JDK 20 on
        for (int k = 0; k < c; k++) LittleEndian.putFloat(out, at + 4 * k, acc[k]);
        for (; c < n; c++) LittleEndian.putFloat(out, at + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
    }

    /**
     * The output stage {@code q} on {@code acc[c]} for {@code c < q.n}, the results (clamped, so each fits a byte)
     * written back to {@code acc[c]}: {@link dev.minnow.math.FixedPoint#multiplyByQuantizedMultiplier}'s arithmetic,
     * whole vectors of channels in 32-bit lanes ({@link #requantizeInts}) when the multipliers are non-negative and
     * the last {@code n % LANES} channels with the reference's arithmetic ({@link ChannelRequant#value}); with a negative multiplier every channel in
     * 64-bit lanes ({@link #requantizeLongs}, {@code lanes} as scratch). Only loads, stores and lane arithmetic of one
     * species each: no shape conversions, which C2 on JDK 17 left boxed in these kernels.
     *
     * <p>The tail is scalar because of nodes that run rarely: ResNet large int8's classifier (10 outputs) runs once
     * per 3.5 ms invoke, so in a JMH fork (4.5 s) its 64-bit lane pass never reached C2; below C2 every lane
     * operation is a heap object (3.9 KB per invoke with {@link VectorFc}'s single block). Seven channels cost a few
     * nanoseconds scalar where C2 has compiled the lanes, and allocate nothing where it has not.
     */
    static void requantize(ChannelRequant q, int[] acc, long[] lanes) {
        int n = q.n;
        if (!q.nonNegative) {
            requantizeLongs(q, acc, lanes);
            for (int k = 0; k < n; k++) acc[k] = (int) lanes[k];
            return;
        }
        for (int c = requantizeInts(q, acc, n - n % LANES); c < n; c++) acc[c] = q.value(c, acc[c]);
    }

    /**
     * Channels {@code [0, to)} ({@code to} a multiple of {@link #LANES}) in 32-bit lanes, in place; returns {@code to}.
     * SaturatingRoundingDoublingHighMul of {@code a = acc << left} (wrapped to 32 bits) and {@code m} (non-negative,
     * not saturating) as floor((a m + 2^30) / 2^31) (the nudged division truncating toward zero, as C's, equals it),
     * the 62-bit product assembled from 16-bit halves: {@code a = ah 2^16 + al}, {@code m = mh 2^16 + ml} ({@code al,
     * ml} unsigned, {@code |ah| <= 2^15}, {@code mh < 2^15}), so that every partial product and sum fits an int;
     * {@code floor(am / 2^32)} comes out whole and bits 31 and 30 of the low word give the rounding. Then
     * RoundingDivideByPOT (ties away from zero), the output offset (wrapping as the scalar int sum) and the clamp.
     */
    private static int requantizeInts(ChannelRequant q, int[] acc, int to) {
        for (int c = 0; c < to; c += LANES) {
            IntVector a = IntVector.fromArray(INTS, acc, c).lanewise(VectorOperators.LSHL, IntVector.fromArray(INTS, q.left, c));
            IntVector ml = IntVector.fromArray(INTS, q.multiplierLow, c), mh = IntVector.fromArray(INTS, q.multiplierHigh, c);
            IntVector al = a.and(0xFFFF), ah = a.lanewise(VectorOperators.ASHR, 16);
            // a m = ah mh 2^32 + (t1 + t2) 2^16 + (al ml mod 2^16), t1 = ah ml + floor(al ml / 2^16), t2 = al mh
            IntVector t1 = ah.mul(ml).add(al.mul(ml).lanewise(VectorOperators.LSHR, 16));
            IntVector t2 = al.mul(mh);
            IntVector midLow = t1.and(0xFFFF).add(t2.and(0xFFFF));
            IntVector top = ah.mul(mh).add(t1.lanewise(VectorOperators.ASHR, 16)).add(t2.lanewise(VectorOperators.ASHR, 16))
                    .add(midLow.lanewise(VectorOperators.ASHR, 16));
            // floor((a m + 2^30) / 2^31) = 2 top + bit 31 + bit 30 of the low word (bits 15 and 14 of midLow)
            IntVector bits = midLow.lanewise(VectorOperators.LSHR, 14).and(3);
            IntVector high = top.lanewise(VectorOperators.LSHL, 1).add(bits.sub(bits.lanewise(VectorOperators.LSHR, 1)));
            IntVector threshold = IntVector.fromArray(INTS, q.half, c).sub(high.lanewise(VectorOperators.ASHR, 31));
            IntVector over = threshold.sub(high.and(IntVector.fromArray(INTS, q.mask, c))).lanewise(VectorOperators.LSHR, 31);
            high.lanewise(VectorOperators.ASHR, IntVector.fromArray(INTS, q.right, c)).add(over).add(q.outputOffset)
                    .lanewise(VectorOperators.MAX, q.min).lanewise(VectorOperators.MIN, q.max).intoArray(acc, c);
        }
        return to;
    }

    /**
     * Channels {@code [0, q.n)} in 64-bit lanes, the results in {@code lanes[c]}: the arithmetic of
     * {@link #requantizeInts} with the product in one lane, shifts and masks for its branches.
     */
    private static void requantizeLongs(ChannelRequant q, int[] acc, long[] lanes) {
        int n = q.n, p = ConvWindow.padded(n);
        for (int c = 0; c < n; c++) lanes[c] = acc[c];
        for (int c = 0; c < p; c += 4) {
            LongVector a = LongVector.fromArray(LONGS, lanes, c).lanewise(VectorOperators.LSHL, LongVector.fromArray(LONGS, q.leftL, c))
                    .lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32);
            LongVector ab = a.mul(LongVector.fromArray(LONGS, q.multiplierL, c));
            LongVector high = ab.add(1L << 30).lanewise(VectorOperators.ASHR, 31);
            LongVector threshold = LongVector.fromArray(LONGS, q.halfL, c).sub(high.lanewise(VectorOperators.ASHR, 63));
            LongVector over = threshold.sub(high.and(LongVector.fromArray(LONGS, q.maskL, c))).lanewise(VectorOperators.LSHR, 63);
            LongVector result = high.lanewise(VectorOperators.ASHR, LongVector.fromArray(LONGS, q.rightL, c)).add(over).add(q.outputOffset);
            result.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)    // the int sum wraps, as Java's
                    .lanewise(VectorOperators.MAX, q.min).lanewise(VectorOperators.MIN, q.max).intoArray(lanes, c);
        }
    }
}
