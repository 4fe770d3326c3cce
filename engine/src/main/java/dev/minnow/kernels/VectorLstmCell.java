package dev.minnow.kernels;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FastLstm}'s int8 element pass in Vector API int lanes ({@link VectorLanes#INTS}, 8 per vector): the gates'
 * rescales, saturations and sums, and the vector parts of the cell update and hidden state, with the same results as
 * {@link FastLstmCell.Rescale#apply} and {@link FastLstmCell.Mul#apply}, with a right shift per lane so the four
 * stacked gates run in one pass. The int16 activation tables stay scalar lookups. Loaded only when the module
 * jdk.incubator.vector is present ({@link FastLoops#VECTOR_API}).
 *
 * <p>The rescale in int lanes (the JDK 17 API has no 64-bit product of int lanes without changing shape): the doubling
 * high multiply {@code floor((x m + 2^30) / 2^31)} in 16-bit halves. With {@code x = xh 2^16 + xl} ({@code xh = x >> 16}
 * signed, {@code xl} unsigned 16 bits) and {@code m = mh 2^16 + ml} ({@code 0 <= m < 2^31}, so {@code mh < 2^15}),
 * {@code x m = xh mh 2^32 + (xh ml + xl mh) 2^16 + xl ml} where every partial product fits an int ({@code xl ml} as
 * unsigned). {@code mid = (xl ml >>> 16)} plus the low halves of {@code xh ml} and {@code xl mh} ({@code < 3 2^16}) and
 * {@code hi = xh mh} plus their high halves give {@code x m = (hi + (mid >>> 16)) 2^32 + L}, L's bits 31 and 30 being
 * mid's bits 15 and 14, so the high multiply is {@code 2 (hi + (mid >>> 16))} plus those two bits. The rounding right
 * shift is the reference's RoundingDivideByPOT in ints: {@code (y >> r)} plus one when the remainder {@code y & mask}
 * exceeds {@code mask / 2} plus one for a negative y.
 */
final class VectorLstmCell {
    private VectorLstmCell() {}

    private static final VectorSpecies<Integer> INTS = VectorLanes.INTS;
    private static final int LANES = VectorLanes.LANES;

    /** Per-element rescale constants of a row of stacked gates ({@code n} elements, padded to whole vectors). */
    static final class Rescales {
        final int[] left, mh, ml, shift, mask, half;

        /** The rescale of element j is {@code rescales[j / per]} ({@code per} elements per gate, {@code n} in all). */
        Rescales(FastLstmCell.Rescale[] rescales, int per, int n) {
            int p = (n + LANES - 1) / LANES * LANES;
            left = new int[p];
            mh = new int[p];
            ml = new int[p];
            shift = new int[p];
            mask = new int[p];
            half = new int[p];
            for (int j = 0; j < n; j++) {
                FastLstmCell.Rescale r = rescales[j / per];
                left[j] = r.leftFactor();
                mh[j] = r.multiplier() >>> 16;
                ml[j] = r.multiplier() & 0xFFFF;
                shift[j] = r.rightShift();
                mask[j] = (int) ((1L << r.rightShift()) - 1);
                half[j] = mask[j] >>> 1;
            }
        }

        /** Heap bytes of the constants of {@code n} elements. */
        static long bytes(int n) { return 6L * (4L * ((n + LANES - 1) / LANES * LANES) + 16); }
    }

    /*
     * Each method below holds one rescale, written out in its loop, and is over 325 bytes of bytecode on purpose.
     * Parsing Vector API calls costs C2 many nodes: a compilation that inlines a second rescale runs past
     * NodeCountInliningCutoff and leaves the rest of its Vector API calls un-inlined, boxing every vector (300 KB per
     * invoke of mnist_lstm). Too large to inline (FreqInlineSize), each method is compiled on its own, and only arrays
     * cross its boundary.
     */

    /**
     * {@code out[j] = sat16(sat16(q_j.apply(x[j])) + plus[j])} for {@code j < n}, {@code q_j = q[j / per]} (also as
     * per-element lanes {@code a}): whole vectors, then the rest one by one. {@code plus} holds int16 values.
     */
    static void rescale(int[] x, Rescales a, FastLstmCell.Rescale[] q, int per, int[] plus, int[] out, int n) {
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            IntVector mh = IntVector.fromArray(INTS, a.mh, j), ml = IntVector.fromArray(INTS, a.ml, j);
            IntVector v = IntVector.fromArray(INTS, x, j).mul(IntVector.fromArray(INTS, a.left, j));
            IntVector vh = v.lanewise(VectorOperators.ASHR, 16), vl = v.and(0xFFFF);
            IntVector m1 = vh.mul(ml), m2 = vl.mul(mh);
            IntVector mid = vl.mul(ml).lanewise(VectorOperators.LSHR, 16).add(m1.and(0xFFFF)).add(m2.and(0xFFFF));
            IntVector hi = vh.mul(mh).add(m1.lanewise(VectorOperators.ASHR, 16)).add(m2.lanewise(VectorOperators.ASHR, 16));
            IntVector y = hi.add(mid.lanewise(VectorOperators.LSHR, 16)).lanewise(VectorOperators.LSHL, 1)
                    .add(mid.lanewise(VectorOperators.LSHR, 15).and(1)).add(mid.lanewise(VectorOperators.LSHR, 14).and(1));
            IntVector over = IntVector.fromArray(INTS, a.half, j).add(y.lanewise(VectorOperators.LSHR, 31))
                    .sub(y.and(IntVector.fromArray(INTS, a.mask, j))).lanewise(VectorOperators.LSHR, 31);
            IntVector z = y.lanewise(VectorOperators.ASHR, IntVector.fromArray(INTS, a.shift, j)).add(over).max(-32768).min(32767);
            z.add(IntVector.fromArray(INTS, plus, j)).max(-32768).min(32767).intoArray(out, j);
        }
        for (; j < n; j++) out[j] = sat16(sat16(q[j / per].apply(x[j])) + plus[j]);
    }

    /**
     * {@code out[e] = max(min(sat16(plus[e] + m.apply(a[e], b[e])), hi), lo)} for {@code e < n} ({@link
     * FastLstmCell.Mul#apply}, its rescale {@link FastLstmCell.Rescale#laneable}): whole vectors, then the rest one by
     * one. {@code plus} holds int16 values; with zeros and the int16 range it is the multiplication alone for a
     * {@link FastLstmCell.Mul#laneable} one.
     */
    static void mul(int[] a, int[] b, FastLstmCell.Mul m, int[] plus, int lo, int hi, int[] out, int n) {
        FastLstmCell.Rescale q = m.rescale();
        int maskValue = (int) ((1L << q.rightShift()) - 1), shift = q.rightShift(), left = q.leftFactor();
        IntVector mh = IntVector.broadcast(INTS, q.multiplier() >>> 16), ml = IntVector.broadcast(INTS, q.multiplier() & 0xFFFF);
        IntVector mask = IntVector.broadcast(INTS, maskValue), half = IntVector.broadcast(INTS, maskValue >>> 1);
        int offset = m.outputOffset(), min = m.min(), max = m.max();
        int e = 0;
        for (; e + LANES <= n; e += LANES) {
            IntVector v = IntVector.fromArray(INTS, a, e).mul(IntVector.fromArray(INTS, b, e)).mul(left);
            IntVector vh = v.lanewise(VectorOperators.ASHR, 16), vl = v.and(0xFFFF);
            IntVector m1 = vh.mul(ml), m2 = vl.mul(mh);
            IntVector mid = vl.mul(ml).lanewise(VectorOperators.LSHR, 16).add(m1.and(0xFFFF)).add(m2.and(0xFFFF));
            IntVector hiPart = vh.mul(mh).add(m1.lanewise(VectorOperators.ASHR, 16)).add(m2.lanewise(VectorOperators.ASHR, 16));
            IntVector y = hiPart.add(mid.lanewise(VectorOperators.LSHR, 16)).lanewise(VectorOperators.LSHL, 1)
                    .add(mid.lanewise(VectorOperators.LSHR, 15).and(1)).add(mid.lanewise(VectorOperators.LSHR, 14).and(1));
            IntVector over = half.add(y.lanewise(VectorOperators.LSHR, 31)).sub(y.and(mask)).lanewise(VectorOperators.LSHR, 31);
            IntVector r = y.lanewise(VectorOperators.ASHR, shift).add(over).add(offset).max(min).min(max);
            r.add(IntVector.fromArray(INTS, plus, e)).max(-32768).min(32767).min(hi).max(lo).intoArray(out, e);
        }
        for (; e < n; e++) out[e] = Math.max(Math.min(sat16(plus[e] + m.apply(a[e], b[e])), hi), lo);
    }

    private static int sat16(int v) { return Math.min(32767, Math.max(-32768, v)); }
}
