package dev.minnow.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The window loops of {@link FastDepthwiseConv2D} on the Vector API (JDK 17's incubator module
 * {@code jdk.incubator.vector}), called only when {@link FastLoops#VECTOR_API}: without the module this class is never
 * loaded. One output pixel at a time, its channels across the lanes ({@link ConvWindow#LANES} per 256-bit vector), the
 * sums in registers over all the pixel's valid taps ({@link ConvWindow.TapTable}), in the reference's (filterY,
 * filterX) order with a separate multiply and add, so float sums round as the reference's and int sums are exact.
 *
 * <p>Arrays are {@link ConvWindow#LANES} elements longer than their data (the lanes past the channel count hold sums
 * of neighbouring data and are never written to the output).
 *
 * <p>The lane arithmetic calls {@code lanewise(op, v)} on the vectors, never the JDK's {@code add}/{@code mul}
 * shortcuts: those are shared methods whose receiver-type profile mixes every caller's species, and once another
 * kernel uses a different shape (VectorFc's preferred 512-bit species on AVX-512) C2 on JDK 17 compiles them as a
 * two-type dispatch whose merged result is a boxed vector. That alone does not make JDK 17 box-free: its other shared
 * vector methods (intoArray and the lane operations inside the JDK) see both species too, and on KWS the sums here
 * still came out boxed (2.1 MB per invoke) until every int vector in the process used one species ({@link VectorLanes}:
 * 7 B per invoke over five runs). Keeping the sums in registers is the fastest form when nothing
 * is boxed (micro_speech: 70 us against 117-155 us with the sums stored per tap or per four taps).
 */
final class VectorDepthwise {
    private static final VectorSpecies<Integer> INTS = VectorLanes.INTS;
    private static final VectorSpecies<Float> FLOATS = VectorLanes.FLOATS;
    private static final int LANES = ConvWindow.LANES;
    /** {@link VectorLanes#BYTES}: as many int8 values as {@link #INTS} has lanes, widened on load. */
    private static final VectorSpecies<Byte> BYTES = VectorLanes.BYTES;

    private VectorDepthwise() {}

    /**
     * The int pixel: for {@code c < n}, {@code acc[at + c] = bias[c] + sum over j of w[wo[j] + c] * x[base + xo[j] + c]}
     * (and lanes up to the next whole vector written with sums of neighbouring data).
     */
    static void pixel(int[] w, int[] x, int[] bias, int[] acc, int at, int n, int base, int[] xo, int[] wo) {
        int taps = xo.length;
        for (int c = 0; c < n; c += LANES) {
            IntVector a = IntVector.fromArray(INTS, bias, c);
            for (int j = 0; j < taps; j++) {
                IntVector p = IntVector.fromArray(INTS, w, wo[j] + c)
                        .lanewise(VectorOperators.MUL, IntVector.fromArray(INTS, x, base + xo[j] + c));
                a = a.lanewise(VectorOperators.ADD, p);
            }
            a.intoArray(acc, at + c);
        }
    }

    /** The float pixel: as the int one, sums starting at 0 and the bias left to the caller (the reference adds it last). */
    static void pixel(float[] w, float[] x, float[] acc, int at, int n, int base, int[] xo, int[] wo) {
        int taps = xo.length;
        for (int c = 0; c < n; c += LANES) {
            FloatVector a = FloatVector.zero(FLOATS);
            for (int j = 0; j < taps; j++) {
                FloatVector p = FloatVector.fromArray(FLOATS, x, base + xo[j] + c)
                        .lanewise(VectorOperators.MUL, FloatVector.fromArray(FLOATS, w, wo[j] + c));
                a = a.lanewise(VectorOperators.ADD, p);
            }
            a.intoArray(acc, at + c);
        }
    }

    /**
     * The int 3x3 window over output columns {@code [from, to)} of a row whose nine taps are all valid there: for
     * {@code c < n} (a multiple of {@link #LANES}), {@code acc[ox * n + c] = bias[c] + sum over fy, fx < 3 of
     * w[(3 fy + fx) n + c] * x[base + ox * step + fy * yStep + fx * xStep + c]}, no tap table and the sums in
     * registers. (Nine weight vectors held across the columns made the method too big for C2 to inline the vector
     * calls: it boxed every vector, 100x slower.)
     */
    static void row3x3(int[] w, int[] x, int[] bias, int[] acc, int n, int base, int step, int yStep, int xStep, int from, int to) {
        for (int c = 0; c < n; c += LANES) {
            IntVector b = IntVector.fromArray(INTS, bias, c);
            for (int ox = from, i = base + from * step + c; ox < to; ox++, i += step) {
                IntVector a = b;
                for (int fy = 0, xi = i, wi = c; fy < 3; fy++, xi += yStep, wi += 3 * n) {
                    a = a.lanewise(VectorOperators.ADD, IntVector.fromArray(INTS, w, wi)
                                    .lanewise(VectorOperators.MUL, IntVector.fromArray(INTS, x, xi)))
                            .lanewise(VectorOperators.ADD, IntVector.fromArray(INTS, w, wi + n)
                                    .lanewise(VectorOperators.MUL, IntVector.fromArray(INTS, x, xi + xStep)))
                            .lanewise(VectorOperators.ADD, IntVector.fromArray(INTS, w, wi + 2 * n)
                                    .lanewise(VectorOperators.MUL, IntVector.fromArray(INTS, x, xi + 2 * xStep)));
                }
                a.intoArray(acc, ox * n + c);
            }
        }
    }

    /**
     * The float 3x3 window, as the int one: each sum starts at 0 and adds its nine products in (fy, fx) order, a
     * separate multiply and add each, the reference's rounding; the bias is the caller's, added last.
     */
    static void row3x3(float[] w, float[] x, float[] acc, int n, int base, int step, int yStep, int xStep, int from, int to) {
        for (int c = 0; c < n; c += LANES) {
            for (int ox = from, i = base + from * step + c; ox < to; ox++, i += step) {
                FloatVector a = FloatVector.zero(FLOATS);
                for (int fy = 0, xi = i, wi = c; fy < 3; fy++, xi += yStep, wi += 3 * n) {
                    a = a.lanewise(VectorOperators.ADD, FloatVector.fromArray(FLOATS, x, xi)
                                    .lanewise(VectorOperators.MUL, FloatVector.fromArray(FLOATS, w, wi)))
                            .lanewise(VectorOperators.ADD, FloatVector.fromArray(FLOATS, x, xi + xStep)
                                    .lanewise(VectorOperators.MUL, FloatVector.fromArray(FLOATS, w, wi + n)))
                            .lanewise(VectorOperators.ADD, FloatVector.fromArray(FLOATS, x, xi + 2 * xStep)
                                    .lanewise(VectorOperators.MUL, FloatVector.fromArray(FLOATS, w, wi + 2 * n)));
                }
                a.intoArray(acc, ox * n + c);
            }
        }
    }

    /** {@code dst[at + i] = a[off + i] + offset} for {@code i < n}: int8 values widened {@link #LANES} at a time. */
    static void widen(byte[] a, int off, int n, int offset, int[] dst, int at) {
        int i = 0;
        for (int full = n - LANES; i <= full; i += LANES) {
            ((IntVector) ByteVector.fromArray(BYTES, a, off + i).convertShape(VectorOperators.B2I, INTS, 0))
                    .lanewise(VectorOperators.ADD, offset).intoArray(dst, at + i);
        }
        for (; i < n; i++) dst[at + i] = a[off + i] + offset;
    }
}
