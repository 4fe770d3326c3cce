package dev.minnow.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static jdk.incubator.vector.VectorOperators.B2I;

/**
 * The fully-connected loops of {@link FastFullyConnected} on the Vector API
 * (JDK 17's incubator module {@code jdk.incubator.vector}), loaded only when {@link FastLoops#VECTOR_API} holds.
 * Weights stay int8 in memory (a quarter of the bytes an int copy moves) and are widened to int lanes as they are
 * loaded. Two layouts:
 * <ul>
 * <li>rows {@code [c][d]}: four output rows per pass share each load of the input, one lane reduction per row at the
 *     end ({@link #dotRows}); for long rows, where the reduction is paid once per many multiplies;</li>
 * <li>channel blocks {@code [block][d][LANES]}: each lane is one output, the input element broadcast, so no reduction
 *     at all ({@link #channelBlocks}, {@link #channelBlocksFloat}); for short rows. The float form multiplies, then
 *     adds, in {@code d} order per lane: the reference's order of accumulation, hence its rounding.</li>
 * </ul>
 * Integer sums are exact modulo 2^32 in any order, so every int result equals the reference loop's.
 *
 * <p>No method here takes or returns a vector: the int8 weights are widened inside each loop's expression. A helper
 * {@code widen(w, at)} returning the widened {@code IntVector} was once compiled by C2 (JDK 17) on its own and then
 * not inlined into the loops, so every widened vector was a heap object (tflm-mnist_lstm_int8 8,960 B per invoke,
 * JFR allocation samples on the helper).
 */
final class VectorFc {
    /** The int lanes of one vector: {@link VectorLanes#INTS}, the width every Vector API kernel shares. */
    static final VectorSpecies<Integer> INTS = VectorLanes.INTS;
    /** As many byte lanes as {@link #INTS} has int lanes (a quarter of its width). */
    static final VectorSpecies<Byte> BYTES = VectorLanes.BYTES;
    /** As many float lanes as {@link #INTS}. */
    static final VectorSpecies<Float> FLOATS = VectorLanes.FLOATS;
    /** Lanes per vector: the channel-block width of the block layouts. */
    static final int LANES = VectorLanes.LANES;

    private VectorFc() {}

    /**
     * Adds to {@code acc[accAt + c]}, for rows {@code c} in {@code [from, to)}, the dot product of int8 weight row
     * {@code w[c * n ...]} (n weights) with {@code x[xo ...]}, wrapping as int. Four rows per call of
     * {@link #dotFourRows}, the rest one per call of {@link #dotOneRow}: one loop shape per method, as
     * {@link #fullPassFloat} for the float form.
     */
    static void dotRows(byte[] w, int n, int[] x, int xo, int[] acc, int accAt, int from, int to) {
        int c = from;
        for (; c + 3 < to; c += 4) dotFourRows(w, n, x, xo, acc, accAt, c);
        for (; c < to; c++) dotOneRow(w, n, x, xo, acc, accAt, c);
    }

    /** Rows {@code c .. c + 3} of {@link #dotRows}: the four rows share each load of the input. */
    private static void dotFourRows(byte[] w, int n, int[] x, int xo, int[] acc, int accAt, int c) {
        int full = n - n % LANES;
        int a0 = c * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        IntVector v0 = IntVector.zero(INTS), v1 = v0, v2 = v0, v3 = v0;
        for (int i = 0; i < full; i += LANES) {
            IntVector xv = IntVector.fromArray(INTS, x, xo + i);
            v0 = v0.add(((IntVector) ByteVector.fromArray(BYTES, w, a0 + i).convertShape(B2I, INTS, 0)).mul(xv));
            v1 = v1.add(((IntVector) ByteVector.fromArray(BYTES, w, a1 + i).convertShape(B2I, INTS, 0)).mul(xv));
            v2 = v2.add(((IntVector) ByteVector.fromArray(BYTES, w, a2 + i).convertShape(B2I, INTS, 0)).mul(xv));
            v3 = v3.add(((IntVector) ByteVector.fromArray(BYTES, w, a3 + i).convertShape(B2I, INTS, 0)).mul(xv));
        }
        int s0 = v0.reduceLanes(VectorOperators.ADD), s1 = v1.reduceLanes(VectorOperators.ADD);
        int s2 = v2.reduceLanes(VectorOperators.ADD), s3 = v3.reduceLanes(VectorOperators.ADD);
        for (int i = full; i < n; i++) {
            int xv = x[xo + i];
            s0 += w[a0 + i] * xv;
            s1 += w[a1 + i] * xv;
            s2 += w[a2 + i] * xv;
            s3 += w[a3 + i] * xv;
        }
        acc[accAt + c] += s0;
        acc[accAt + c + 1] += s1;
        acc[accAt + c + 2] += s2;
        acc[accAt + c + 3] += s3;
    }

    /** Row {@code c} of {@link #dotRows} alone. */
    private static void dotOneRow(byte[] w, int n, int[] x, int xo, int[] acc, int accAt, int c) {
        int full = n - n % LANES;
        int a0 = c * n;
        IntVector v0 = IntVector.zero(INTS);
        for (int i = 0; i < full; i += LANES) v0 = v0.add(((IntVector) ByteVector.fromArray(BYTES, w, a0 + i).convertShape(B2I, INTS, 0)).mul(IntVector.fromArray(INTS, x, xo + i)));
        int s0 = v0.reduceLanes(VectorOperators.ADD);
        for (int i = full; i < n; i++) s0 += w[a0 + i] * x[xo + i];
        acc[accAt + c] += s0;
    }

    /**
     * Channel blocks {@code [from, to)} of the int8 layout {@code wp[block][d][LANES]} ({@code n} values of d): adds
     * to {@code acc[accAt + block * LANES + lane]} the sum over d of {@code wp[block][d][lane] * x[xo + d]}. Four
     * blocks per call of {@link #fourBlocks}, the rest one per call of {@link #oneBlock} (one loop shape per method,
     * as {@link #dotRows}).
     */
    static void channelBlocks(byte[] wp, int n, int[] x, int xo, int[] acc, int accAt, int from, int to) {
        if (to - from < 4) {
            for (int b = from; b < to; b++) scalarBlock(wp, n, x, xo, acc, accAt, b);
            return;
        }
        int b = from;
        for (; b + 3 < to; b += 4) fourBlocks(wp, n, x, xo, acc, accAt, b);
        for (; b < to; b++) oneBlock(wp, n, x, xo, acc, accAt, b);
    }

    /** Blocks {@code b .. b + 3} of {@link #channelBlocks}: each input element broadcast once for the four. */
    private static void fourBlocks(byte[] wp, int n, int[] x, int xo, int[] acc, int accAt, int b) {
        int step = n * LANES;
        int o0 = accAt + b * LANES;
        IntVector v0 = IntVector.fromArray(INTS, acc, o0), v1 = IntVector.fromArray(INTS, acc, o0 + LANES);
        IntVector v2 = IntVector.fromArray(INTS, acc, o0 + 2 * LANES), v3 = IntVector.fromArray(INTS, acc, o0 + 3 * LANES);
        int b0 = b * step, b1 = b0 + step, b2 = b1 + step, b3 = b2 + step;
        for (int d = 0, o = 0; d < n; d++, o += LANES) {
            IntVector xv = IntVector.broadcast(INTS, x[xo + d]);
            v0 = v0.add(((IntVector) ByteVector.fromArray(BYTES, wp, b0 + o).convertShape(B2I, INTS, 0)).mul(xv));
            v1 = v1.add(((IntVector) ByteVector.fromArray(BYTES, wp, b1 + o).convertShape(B2I, INTS, 0)).mul(xv));
            v2 = v2.add(((IntVector) ByteVector.fromArray(BYTES, wp, b2 + o).convertShape(B2I, INTS, 0)).mul(xv));
            v3 = v3.add(((IntVector) ByteVector.fromArray(BYTES, wp, b3 + o).convertShape(B2I, INTS, 0)).mul(xv));
        }
        v0.intoArray(acc, o0);
        v1.intoArray(acc, o0 + LANES);
        v2.intoArray(acc, o0 + 2 * LANES);
        v3.intoArray(acc, o0 + 3 * LANES);
    }

    /** Block {@code b} of {@link #channelBlocks} alone. */
    private static void oneBlock(byte[] wp, int n, int[] x, int xo, int[] acc, int accAt, int b) {
        int o0 = accAt + b * LANES, b0 = b * n * LANES;
        IntVector v0 = IntVector.fromArray(INTS, acc, o0);
        for (int d = 0, o = 0; d < n; d++, o += LANES) v0 = v0.add(((IntVector) ByteVector.fromArray(BYTES, wp, b0 + o).convertShape(B2I, INTS, 0)).mul(IntVector.broadcast(INTS, x[xo + d])));
        v0.intoArray(acc, o0);
    }

    /**
     * Block {@code b} of {@link #channelBlocks} in scalar code, for calls of fewer than four blocks (at most 24
     * outputs: classifier heads): eight sums in registers, the weights read as bytes. Scalar on purpose: such a node
     * may run once per long invoke (ResNet large int8's 10-output classifier, two blocks every 3.5 ms), too rarely for
     * C2 to compile a vector form within a JMH fork (4.5 s), and below C2 every lane operation is a heap object (3.9 KB
     * per invoke with the output stage's tail); scalar code allocates nothing at any tier. Where it runs hot it costs
     * about a nanosecond per input and block more than the vector form.
     */
    private static void scalarBlock(byte[] wp, int n, int[] x, int xo, int[] acc, int accAt, int b) {
        int o0 = accAt + b * LANES;
        int s0 = acc[o0], s1 = acc[o0 + 1], s2 = acc[o0 + 2], s3 = acc[o0 + 3];
        int s4 = acc[o0 + 4], s5 = acc[o0 + 5], s6 = acc[o0 + 6], s7 = acc[o0 + 7];
        for (int d = 0, o = b * n * LANES; d < n; d++, o += LANES) {
            int xv = x[xo + d];
            s0 += wp[o] * xv;
            s1 += wp[o + 1] * xv;
            s2 += wp[o + 2] * xv;
            s3 += wp[o + 3] * xv;
            s4 += wp[o + 4] * xv;
            s5 += wp[o + 5] * xv;
            s6 += wp[o + 6] * xv;
            s7 += wp[o + 7] * xv;
        }
        acc[o0] = s0;
        acc[o0 + 1] = s1;
        acc[o0 + 2] = s2;
        acc[o0 + 3] = s3;
        acc[o0 + 4] = s4;
        acc[o0 + 5] = s5;
        acc[o0 + 6] = s6;
        acc[o0 + 7] = s7;
    }

    /**
     * Float channel blocks {@code [from, to)} of {@code wp[block][d][LANES]}: sets {@code acc[accAt + block * LANES +
     * lane]} to {@code 0f + x[0] * w[0] + x[1] * w[1] + ...} added left to right (multiply, then add: no fused
     * multiply-add), the reference's order and rounding.
     */
    static void channelBlocksFloat(float[] wp, int n, float[] x, int xo, float[] acc, int accAt, int from, int to) {
        int step = n * LANES;
        int b = from;
        for (; b + 3 < to; b += 4) {
            FloatVector v0 = FloatVector.zero(FLOATS), v1 = v0, v2 = v0, v3 = v0;
            int b0 = b * step, b1 = b0 + step, b2 = b1 + step, b3 = b2 + step;
            for (int d = 0, o = 0; d < n; d++, o += LANES) {
                FloatVector xv = FloatVector.broadcast(FLOATS, x[xo + d]);
                v0 = v0.add(xv.mul(FloatVector.fromArray(FLOATS, wp, b0 + o)));
                v1 = v1.add(xv.mul(FloatVector.fromArray(FLOATS, wp, b1 + o)));
                v2 = v2.add(xv.mul(FloatVector.fromArray(FLOATS, wp, b2 + o)));
                v3 = v3.add(xv.mul(FloatVector.fromArray(FLOATS, wp, b3 + o)));
            }
            int o0 = accAt + b * LANES;
            v0.intoArray(acc, o0);
            v1.intoArray(acc, o0 + LANES);
            v2.intoArray(acc, o0 + 2 * LANES);
            v3.intoArray(acc, o0 + 3 * LANES);
        }
        for (; b < to; b++) {
            FloatVector v0 = FloatVector.zero(FLOATS);
            int b0 = b * step;
            for (int d = 0, o = 0; d < n; d++, o += LANES) {
                v0 = v0.add(FloatVector.broadcast(FLOATS, x[xo + d]).mul(FloatVector.fromArray(FLOATS, wp, b0 + o)));
            }
            v0.intoArray(acc, accAt + b * LANES);
        }
    }

    /**
     * {@code acc[i] = clamp(acc[i] + bias[i], min, max)} for {@code i} in {@code [from, to)} (whole vectors: both
     * multiples of {@link #LANES}), the clamp as {@link KernelUtil#clamp(float, float, float)}: {@code x < min ? min :
     * x}, then {@code max < y ? max : y}, so NaN and -0.0 pass as in the reference.
     */
    static void biasClamp(float[] acc, float[] bias, int from, int to, float min, float max) {
        FloatVector lo = FloatVector.broadcast(FLOATS, min), hi = FloatVector.broadcast(FLOATS, max);
        for (int i = from; i < to; i += LANES) {
            FloatVector y = FloatVector.fromArray(FLOATS, acc, i).add(FloatVector.fromArray(FLOATS, bias, i));
            y = y.blend(lo, y.lt(lo));
            y = y.blend(hi, hi.lt(y));
            y.intoArray(acc, i);
        }
    }

    /** Channel blocks per pass of {@link #channelPassesFloat}. */
    static final int PASS_BLOCKS = 8;

    /**
     * Where {@link #channelPassesFloat}'s layout keeps the weight of output {@code c} for input {@code d} ({@code n}
     * inputs, {@code blocks} channel blocks): pass {@code p = c / (PASS_BLOCKS * LANES)} starts where its blocks would
     * in {@code [block][d][LANES]} and holds {@code [d][block in pass][LANES]}, so a pass reads one contiguous run.
     */
    static int passIndex(int c, int d, int n, int blocks) {
        int k = c / LANES, p = k / PASS_BLOCKS, kb = Math.min(PASS_BLOCKS, blocks - p * PASS_BLOCKS);
        return p * PASS_BLOCKS * n * LANES + (d * kb + k % PASS_BLOCKS) * LANES + c % LANES;
    }

    /**
     * Passes {@code [from, to)} of {@link #passIndex}'s layout: sets {@code acc[block * LANES + lane]} of every block
     * in the pass to {@code 0f + x[0] * w[0] + x[1] * w[1] + ...} added left to right (multiply, then add), as
     * {@link #channelBlocksFloat}.
     */
    static void channelPassesFloat(float[] wp, int n, int blocks, float[] x, int xo, float[] acc, int from, int to) {
        for (int p = from; p < to; p++) {
            int k0 = p * PASS_BLOCKS, kb = Math.min(PASS_BLOCKS, blocks - k0);
            if (kb == PASS_BLOCKS) fullPassFloat(wp, n, k0, x, xo, acc);
            else partialPassFloat(wp, n, k0, kb, x, xo, acc);
        }
    }

    /**
     * A pass of {@link #PASS_BLOCKS} blocks from block {@code k0} ({@link #channelPassesFloat}). Its own method, and
     * the partial pass another: with both in one method C2 (JDK 17) stopped inlining {@code intoArray} and boxed
     * every vector (ad_fc_640x128_f32 8.9 against 3.1 µs, 3 KB a call).
     */
    private static void fullPassFloat(float[] wp, int n, int k0, float[] x, int xo, float[] acc) {
        FloatVector v0 = FloatVector.zero(FLOATS), v1 = v0, v2 = v0, v3 = v0, v4 = v0, v5 = v0, v6 = v0, v7 = v0;
        for (int d = 0, o = k0 * n * LANES; d < n; d++, o += PASS_BLOCKS * LANES) {
            FloatVector xv = FloatVector.broadcast(FLOATS, x[xo + d]);
            v0 = v0.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o)));
            v1 = v1.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + LANES)));
            v2 = v2.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 2 * LANES)));
            v3 = v3.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 3 * LANES)));
            v4 = v4.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 4 * LANES)));
            v5 = v5.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 5 * LANES)));
            v6 = v6.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 6 * LANES)));
            v7 = v7.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 7 * LANES)));
        }
        int o0 = k0 * LANES;
        v0.intoArray(acc, o0);
        v1.intoArray(acc, o0 + LANES);
        v2.intoArray(acc, o0 + 2 * LANES);
        v3.intoArray(acc, o0 + 3 * LANES);
        v4.intoArray(acc, o0 + 4 * LANES);
        v5.intoArray(acc, o0 + 5 * LANES);
        v6.intoArray(acc, o0 + 6 * LANES);
        v7.intoArray(acc, o0 + 7 * LANES);
    }

    /** The last pass when it has {@code kb < PASS_BLOCKS} blocks from block {@code k0}: four blocks per loop, then one. */
    private static void partialPassFloat(float[] wp, int n, int k0, int kb, float[] x, int xo, float[] acc) {
        int base = k0 * n * LANES, stride = kb * LANES, k = 0;
        for (; k + 3 < kb; k += 4) {
            FloatVector v0 = FloatVector.zero(FLOATS), v1 = v0, v2 = v0, v3 = v0;
            for (int d = 0, o = base + k * LANES; d < n; d++, o += stride) {
                FloatVector xv = FloatVector.broadcast(FLOATS, x[xo + d]);
                v0 = v0.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o)));
                v1 = v1.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + LANES)));
                v2 = v2.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 2 * LANES)));
                v3 = v3.add(xv.mul(FloatVector.fromArray(FLOATS, wp, o + 3 * LANES)));
            }
            int o0 = (k0 + k) * LANES;
            v0.intoArray(acc, o0);
            v1.intoArray(acc, o0 + LANES);
            v2.intoArray(acc, o0 + 2 * LANES);
            v3.intoArray(acc, o0 + 3 * LANES);
        }
        for (; k < kb; k++) {
            FloatVector v0 = FloatVector.zero(FLOATS);
            for (int d = 0, o = base + k * LANES; d < n; d++, o += stride) {
                v0 = v0.add(FloatVector.broadcast(FLOATS, x[xo + d]).mul(FloatVector.fromArray(FLOATS, wp, o)));
            }
            v0.intoArray(acc, (k0 + k) * LANES);
        }
    }
}
