package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.SplitTask;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * FULLY_CONNECTED with fast loops for int8 and float32 nodes whose weights and bias are constant; the other variants,
 * and every node when the interpreter asks for reference kernels, run {@link FullyConnected}'s reference loops. Same
 * prepare ({@link FullyConnected#prepareParams}), same bytes.
 *
 * <p>At prepare the weights are repacked for the loop that runs them; each invoke widens the input rows once (int8:
 * plus the input offset, so the offset costs one add per input element instead of one per multiply-accumulate), except
 * that the scalar int8 packed loop reads its eight inputs a pass from the input bytes itself.
 * <ul>
 * <li>int8 with the Vector API ({@link VectorFc}): the weights stay bytes, widened to int lanes as loaded; rows of
 *     {@value #VECTOR_ROWS_MIN}+ weights run four output rows per pass with one lane reduction per row, shorter rows
 *     run channel blocks (one output per lane, the input broadcast, no reduction).</li>
 * <li>int8 without it: the weights stored by input, four inputs' weights for output c packed into one int (a byte
 *     each, {@link #packQuads}), and {@code acc[c] += w[d][c] * x[d]} with the output innermost, four inputs per pass
 *     ({@link #packedColumns}): no reduction across lanes, the loop JDK 17's C2 vectorises, and a quarter of the
 *     bytes an int per weight moves (ToyCar's 264,192 weights: 264 KB, within a 1 MB L2, instead of 1 MB); nodes
 *     of fewer than {@value #DOT_OUTPUTS_MAX} outputs run one dot product per output instead ({@link #dotRows}); nodes of
 *     at most {@value #LIVE_OUTPUTS_MAX} outputs whose input zero point is -128 (a ReLU's output) keep an int per
 *     weight by input and skip the inputs at the zero point, four live inputs a pass ({@link #liveColumns}).</li>
 * <li>the int8 output stage: {@link ChannelRequant} (prepared per-channel shifts, branch-free rounding) when a range
 *     covers all of a batch's outputs, the reference's {@code MultiplyByQuantizedMultiplier} otherwise.</li>
 * <li>float32: passes of eight channel blocks, each pass's weights one contiguous run ({@link
 *     VectorFc#channelPassesFloat}), with the Vector API; otherwise the weights
 *     stored by input ({@code [d][c]}) and {@code acc[c] += w[d][c] * x[d]} with the output innermost
 *     ({@link #floatColumns}), over the inputs that are not zeros times finite weight columns (exact no-ops: after
 *     a ReLU about half the inputs; nodes of {@value #DOT_OUTPUTS_MAX}+ outputs); nodes of at most
 *     {@value #FLOAT_DOT_OUTPUTS_MAX} outputs (classifier heads, the autoencoders' bottleneck) keep their sums in
 *     registers instead ({@link #floatDots}). Every output adds its products (multiply, then add) in {@code d} order
 *     starting from 0 and the bias last: the reference's order, hence its rounding.</li>
 * <li>int16 input: scalar dot rows ({@code Int16}), the int64-accumulator variant summing blocks of products in an
 *     int first (exact).</li>
 * </ul>
 * int32 sums wrap modulo 2^32 in any order, as the reference's do. Nodes with {@link NodeContext#minSplitWork()}
 * multiply-accumulates per range split their output rows over the interpreter's intra-op threads
 * ({@link NodeContext#split}); each range writes its own outputs, so the bytes do not depend on the split.
 */
public final class FastFullyConnected implements OpKernel {
    /** The shortest int8 rows the Vector API runs as row dot products (shorter: channel blocks). */
    static final int VECTOR_ROWS_MIN = 256;
    /** The shortest rows {@link GateMatrix}'s scalar int8 loop runs as dot products (shorter: {@link #channelInnermost}). */
    static final int SCALAR_DOT_MIN = 64;
    /**
     * Without the Vector API, int8 nodes with fewer outputs than this (and at least as many inputs) run as dot
     * products per output ({@link #dotRows}): a channel-innermost pass over so few outputs is all C2's scalar pre- and
     * post-loop (the dense autoencoders' 128x8 layer: 0.2 against 0.3-1.4 µs in a micro-test).
     */
    static final int DOT_OUTPUTS_MAX = 16;
    /**
     * Without the Vector API, int8 nodes of at most this many outputs whose input zero point is -128 (a ReLU's output:
     * about half the inputs at zero in the dense autoencoders) keep their weights as ints by input and skip the zero
     * inputs ({@link #liveColumns}); wider nodes, and the others, run the packed loop. At 128 outputs each pass over
     * the outputs costs C2's scalar pre- and post-loop besides the vector body, so skipping half the inputs pays more
     * than the packed loop's quarter of the weight bytes (micro-test on JDK 17, 128 inputs, half zeros: 0.56 against
     * 0.93 µs at 128 outputs, 0.87 at 256); at 640 outputs the passes are long and the ints' four times the bytes
     * cost what the skipped inputs save (2.0 against 2.1 µs). Such a node keeps the packed weights too: an input with
     * fewer than a quarter of its values at the zero point ({@link #liveWorthIt}) runs the packed loop, as the ints cost
     * more than the few skipped inputs save there (no zeros, unloaded, JDK 17: 1.01 against 0.91 µs at 128x128, 1.71
     * against 1.38 at 128x256, 5.67 against 3.93 at 640x128; half zeros: 0.53, 0.97, 2.85 against 0.84, 1.39, 3.98).
     */
    static final int LIVE_OUTPUTS_MAX = 256;

    /** Whether {@link #liveColumns} over {@code live} of {@code depth} inputs beats the packed loop: a quarter or more skipped. */
    static boolean liveWorthIt(int live, int depth) { return live <= depth - depth / 4; }
    /** The most int16-input products summed in an int before it is added to a long: 256 * (128 * 65535) < 2^31. */
    private static final int INT16_BLOCK = 256;
    /** Prepares as {@link FullyConnected}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        FullyConnected.Params p = FullyConnected.prepareParams(node);
        PreparedOp fast = node.useFastKernels() ? of(p, node) : null;
        return fast != null ? fast : FullyConnected.reference(p);
    }

    /** The fast eval of a prepared node, single-threaded, or null when it does not qualify. */
    public static PreparedOp of(FullyConnected.Params p) { return of(p, null); }

    /**
     * The fast eval of a prepared node, its rows split over {@code node}'s intra-op threads when large enough (none
     * when {@code node} is null), or null when it does not qualify (runtime weights or bias, no work).
     */
    static PreparedOp of(FullyConnected.Params p, NodeContext node) {
        boolean constantWeights = p.unpackedFilter() != null || p.filter().isConstant();
        if (!constantWeights || !FastLoops.fixed(p.bias()) || p.batches() == 0 || p.outputDepth() == 0 || p.accumDepth() == 0) {
            return null;
        }
        return switch (p.variant()) {
            case INT8 -> p.filterOffset() == 0 ? new Int8(p, node) : null;
            case FLOAT32 -> new Float32(p, node);
            case INT16_ACC32, INT16_ACC64 -> p.filterOffset() == 0 && p.filter().isConstant() ? new Int16(p, node) : null;
        };
    }

    /** The split of {@code groups} row groups per batch (of {@code macsPerGroup} each) over the node's threads. */
    private static SplitTask split(NodeContext node, dev.minnow.runtime.RangeTask task, int batches, int groups, long macsPerGroup) {
        int items = batches * groups;
        if (node == null || node.threads() <= 1) return () -> task.run(0, items);
        int minItems = (int) Math.min(items, (node.minSplitWork() + macsPerGroup - 1) / macsPerGroup);
        return node.split(task, items, minItems);
    }

    /**
     * {@code acc[accAt + c] += sum_d w[d][c] * x[xo + d]} for {@code c} in {@code [c0, c1)}, weights transposed to
     * {@code [d][c]} ({@code n} columns): the channel-innermost loop C2 vectorises, four {@code d} per pass. For short
     * rows, where a dot product per output costs more in loop overhead than in multiplies.
     */
    static void channelInnermost(int[] w, int n, int depth, int[] x, int xo, int[] acc, int accAt, int c0, int c1) {
        int d = 0;
        for (; d + 3 < depth; d += 4) {
            int x0 = x[xo + d], x1 = x[xo + d + 1], x2 = x[xo + d + 2], x3 = x[xo + d + 3];
            int w0 = d * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
            for (int c = c0; c < c1; c++) acc[accAt + c] += w[w0 + c] * x0 + w[w1 + c] * x1 + w[w2 + c] * x2 + w[w3 + c] * x3;
        }
        for (; d < depth; d++) {
            int xd = x[xo + d], w0 = d * n;
            for (int c = c0; c < c1; c++) acc[accAt + c] += w[w0 + c] * xd;
        }
    }

    /**
     * {@code acc[c] += sum_d w[d][c] * x[xo + d]} for {@code c} in {@code [c0, c1)}, the weights of inputs {@code 4q ..
     * 4q + 3} for output c packed into {@code quads[q][c]} as unsigned bytes {@code w + 128} (input {@code 4q + k} in
     * byte k, {@link #packQuads}) and those of the last {@code depth % 4} inputs in {@code tail[d][c]} as ints. Each
     * byte is taken back by a mask, a shift or both (three shifts and three ands for four weights: the sign-extending
     * shift pairs took seven shifts, and shifts issue on half the vector pipes that ands do, which bounded the loop;
     * 18.0 against 17.2 GMAC/s at 128x128 and 45 against 41 at 128x640 in a micro-test); the bias of 128 is taken off
     * once as {@code 128 * sum x}, exact modulo 2^32 like every int sum here. Every array is indexed by
     * {@code c} alone, the form JDK 17's C2 vectorises (it does not vectorise a byte or short load widened to int),
     * with the int loop's arithmetic on a quarter of its bytes. Each packed int is read as {@code q[c]} in every term
     * (a local copy of it stopped C2 vectorising).
     *
     * <p>Two packed ints (eight inputs) a pass: each pass over the outputs costs C2's scalar pre- and post-loop (up to
     * 15 outputs each with 16-int vectors) besides its vector body, so at 16-128 outputs (the dense layers, conv AE's
     * channel loops) halving the passes cuts that overhead (same-run kernel benchmarks on JDK 17: ToyCar's int8
     * 640x128 layer 4.7 against 6.1 µs, 128x128 1.13 against 1.39; 128x640 within noise). Twelve inputs a pass are past C2's unrolling limit and run scalar. The last pass takes the bias
     * off with its products rather than in a pass of its own (TRANSPOSE_CONV's 16 input channels: two passes, not three).
     *
     * <p>The scalar int8 layout on every JDK. An earlier JDK 25 run had the dense models three times slower with it than
     * with an int per weight, so JDK 21+ kept ints; with today's loops JDK 25 runs the packed one faster (same runs,
     * whole models, default flags: dense AE 640 16.5 and 16.8 against 22.8 and 28.1 µs, fullint 16.5 against 22.6), so
     * the int layout is gone.
     */
    static void packedColumns(int[][] quads, int[][] tail, int[] x, int xo, int[] acc, int c0, int c1) {
        packedColumns(quads, tail, x, null, xo, 0, acc, c0, c1);
    }

    /**
     * {@link #packedColumns(int[][], int[][], int[], int, int[], int, int)} with {@code x[d] = in[io + d] + offset} read
     * from the int8 input itself: the loop takes its eight inputs a pass as scalars, so the FC reads them where they are
     * instead of widening the whole input into an int array first (a scalar pass, since C2 on JDK 17 does not vectorise
     * a byte load widened to int: 128-640 loads, adds and stores a layer for the 8-16 it reads a pass).
     */
    static void packedColumns(int[][] quads, int[][] tail, byte[] in, int io, int offset, int[] acc, int c0, int c1) {
        packedColumns(quads, tail, null, in, io, offset, acc, c0, c1);
    }

    /** Input {@code d}: {@code x[d]}, or {@code in[d] + offset} when the input is read as bytes ({@code x == null}). */
    private static int input(int[] x, byte[] in, int d, int offset) {
        return x != null ? x[d] : in[d] + offset;
    }

    /** The packed loop over inputs read from {@code x} (ints) or, when it is null, from {@code in} (bytes) plus {@code offset}. */
    private static void packedColumns(int[][] quads, int[][] tail, int[] x, byte[] in, int xo, int offset, int[] acc, int c0, int c1) {
        int d = xo, sum = 0, k = 0, n = quads.length, last = n - (n % 2 == 0 ? 2 : 1);
        for (; k < last; k += 2, d += 8) {
            int[] q = quads[k], r = quads[k + 1];
            int x0 = input(x, in, d, offset), x1 = input(x, in, d + 1, offset), x2 = input(x, in, d + 2, offset), x3 = input(x, in, d + 3, offset);
            int x4 = input(x, in, d + 4, offset), x5 = input(x, in, d + 5, offset), x6 = input(x, in, d + 6, offset), x7 = input(x, in, d + 7, offset);
            for (int c = c0; c < c1; c++) {
                acc[c] += (q[c] & 0xFF) * x0 + (q[c] >>> 8 & 0xFF) * x1 + (q[c] >>> 16 & 0xFF) * x2 + (q[c] >>> 24) * x3
                        + (r[c] & 0xFF) * x4 + (r[c] >>> 8 & 0xFF) * x5 + (r[c] >>> 16 & 0xFF) * x6 + (r[c] >>> 24) * x7;
            }
            sum += x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
        }
        // the last pass takes the bias off (128 times the sum of every packed input) with its own products
        if (k + 1 < n) {
            int[] q = quads[k], r = quads[k + 1];
            int x0 = input(x, in, d, offset), x1 = input(x, in, d + 1, offset), x2 = input(x, in, d + 2, offset), x3 = input(x, in, d + 3, offset);
            int x4 = input(x, in, d + 4, offset), x5 = input(x, in, d + 5, offset), x6 = input(x, in, d + 6, offset), x7 = input(x, in, d + 7, offset);
            int bias = (sum + x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7) << 7;
            for (int c = c0; c < c1; c++) {
                acc[c] += (q[c] & 0xFF) * x0 + (q[c] >>> 8 & 0xFF) * x1 + (q[c] >>> 16 & 0xFF) * x2 + (q[c] >>> 24) * x3
                        + (r[c] & 0xFF) * x4 + (r[c] >>> 8 & 0xFF) * x5 + (r[c] >>> 16 & 0xFF) * x6 + (r[c] >>> 24) * x7 - bias;
            }
            d += 8;
        } else if (k < n) {
            int[] q = quads[k];
            int x0 = input(x, in, d, offset), x1 = input(x, in, d + 1, offset), x2 = input(x, in, d + 2, offset), x3 = input(x, in, d + 3, offset);
            int bias = (sum + x0 + x1 + x2 + x3) << 7;
            for (int c = c0; c < c1; c++) {
                acc[c] += (q[c] & 0xFF) * x0 + (q[c] >>> 8 & 0xFF) * x1 + (q[c] >>> 16 & 0xFF) * x2 + (q[c] >>> 24) * x3 - bias;
            }
            d += 4;
        }
        for (int[] t : tail) {
            int xd = input(x, in, d++, offset);
            for (int c = c0; c < c1; c++) acc[c] += t[c] * xd;
        }
    }

    /**
     * {@code acc[c] += sum_d w[c][d] * x[d]} for {@code c} in {@code [c0, c1)}, one dot product per output row: the
     * first {@code 4q} inputs read four at a time from {@code xq} (input bytes {@code 4i .. 4i + 3} as one little-endian
     * int, as {@link LittleEndian#getInt} reads them, without their offset, which the caller folds into its sums), the
     * row's weight of byte k of each in {@code w[c][k]}, and the last {@code accum % 4} inputs, their weights in
     * {@code tail[c]}, from the input bytes at {@code tailAt} plus {@code offset}. Every array of the loop is indexed by
     * the quad alone and the bytes come out by shift pairs, the form C2 on JDK 17 vectorises (a lane-wise sum reduced
     * inside the loop), so no pass widens the input to an int per byte first (a scalar pass on JDK 17: C2 does not
     * vectorise a byte load widened to int, and it took about a third of mnist_lstm int8's 560x10 head and half of
     * micro_speech's 4000x4 layer; unloaded micro-test, JDK 17 defaults, with the input's packing: 0.62 against 0.70
     * us at 560x10 and 1.08 against 2.79-3.03 at 4000x4 for the widening and two rows a loop).
     */
    static void dotRows(int[][][] w, int[][] tail, int[] xq, byte[] in, int tailAt, int offset, int[] acc, int c0, int c1) {
        for (int c = c0; c < c1; c++) {
            int[] w0 = w[c][0], w1 = w[c][1], w2 = w[c][2], w3 = w[c][3];
            int sum = 0;
            for (int q = 0; q < w0.length; q++) {
                int v = xq[q];
                sum += w0[q] * (v << 24 >> 24) + w1[q] * (v << 16 >> 24) + w2[q] * (v << 8 >> 24) + w3[q] * (v >> 24);
            }
            int[] t = tail[c];
            for (int k = 0; k < t.length; k++) sum += t[k] * (in[tailAt + k] + offset);
            acc[c] += sum;
        }
    }

    /**
     * {@code acc[c] += sum_j w[d_j][c] * (in[io + d_j] + offset)} for {@code c} in {@code [c0, c1)} over the inputs
     * {@code d_j} of {@code live[0 .. count)}, the weights as ints by input ({@code [d][c]}): int sums are exact
     * modulo 2^32 in any order, and the inputs left out are those equal to minus the offset, whose products are 0.
     * Four inputs a pass, every array indexed by {@code c} alone (the loop C2 vectorises).
     */
    static void liveColumns(int[][] w, byte[] in, int io, int offset, int[] live, int count, int[] acc, int c0, int c1) {
        int j = 0;
        for (; j + 3 < count; j += 4) {
            int d0 = live[j], d1 = live[j + 1], d2 = live[j + 2], d3 = live[j + 3];
            int[] w0 = w[d0], w1 = w[d1], w2 = w[d2], w3 = w[d3];
            int x0 = in[io + d0] + offset, x1 = in[io + d1] + offset, x2 = in[io + d2] + offset, x3 = in[io + d3] + offset;
            for (int c = c0; c < c1; c++) acc[c] += w0[c] * x0 + w1[c] * x1 + w2[c] * x2 + w3[c] * x3;
        }
        for (; j < count; j++) {
            int d = live[j];
            int[] w0 = w[d];
            int xd = in[io + d] + offset;
            for (int c = c0; c < c1; c++) acc[c] += w0[c] * xd;
        }
    }

    /**
     * Writes to {@code live} the inputs {@code d} in {@code [0, n)}, ascending, with {@code in[io + d] + offset != 0},
     * and returns their count (branch-free, as {@link #liveInputs(float[], int, int, int[], int[])}).
     */
    static int liveInputs(byte[] in, int io, int offset, int n, int[] live) {
        int count = 0;
        for (int d = 0; d < n; d++) {
            live[count] = d;
            count += in[io + d] + offset != 0 ? 1 : 0;
        }
        return count;
    }

    /**
     * {@link #packedColumns}' layout of the row-major {@code rows x depth} int8 filter at {@code w[wo...]}: element
     * {@code [q][c]} holds the weights of inputs {@code 4q + k} (k = 0..3) for output c in its byte k, each plus 128
     * (an unsigned byte); the last {@code
     * depth % 4} inputs' weights follow as int rows {@code [d][c]} (index {@code depth / 4} on).
     */
    static int[][] packQuads(byte[] w, int wo, int rows, int depth) {
        int quads = depth / 4, tail = depth % 4;
        int[][] t = new int[quads + tail][rows];
        for (int c = 0; c < rows; c++) {
            int row = wo + c * depth;
            for (int q = 0; q < quads; q++) {
                int at = row + 4 * q;
                t[q][c] = (w[at] + 128) | (w[at + 1] + 128) << 8 | (w[at + 2] + 128) << 16 | (w[at + 3] + 128) << 24;
            }
            for (int k = 0; k < tail; k++) t[quads + k][c] = w[row + 4 * quads + k];
        }
        return t;
    }

    /**
     * What the three fast evals share, read once from the prepared node: its {@link FullyConnected.Params} (the output
     * stage's numbers are read from it where used), its tensors and its shape.
     */
    private abstract static sealed class Eval implements PreparedOp permits Int8, Int16, Float32 {
        final FullyConnected.Params p;
        final Tensor input, output;
        final int batches, depth, accum;

        Eval(FullyConnected.Params p) {
            this.p = p;
            input = p.input();
            output = p.output();
            batches = p.batches();
            depth = p.outputDepth();
            accum = p.accumDepth();
        }
    }

    private static final class Int8 extends Eval {
        private enum Loop { VECTOR_ROWS, VECTOR_BLOCKS, SCALAR_COLUMNS, SCALAR_LIVE, SCALAR_DOTS }

        /** Outputs per item of the split on the scalar path (a 512-bit vector of ints). */
        private static final int SCALAR_GROUP = 16;

        /** Output rows per item of the split: four rows (Vector API rows), one channel block, or SCALAR_GROUP outputs. */
        private final int group, groups;
        private final Loop loop;
        private final int[] bias, x;
        /** Per batch: the int32 sums of its outputs (padded to whole channel blocks on VECTOR_BLOCKS). */
        private final int[][] acc;
        /** Per batch: scratch of the output stage's Vector API path (empty without the module). */
        private final long[][] lanes;
        private final ChannelRequant requant;
        private final byte[] packed;   // VECTOR_ROWS: the filter's [c][d]; VECTOR_BLOCKS: [block][d][LANES]
        // SCALAR_COLUMNS and SCALAR_LIVE: packQuads' layout split into its packed and int rows, else null
        private final int[][] quads, tail;
        /**
         * SCALAR_DOTS ({@link #dotRows}): the filter's rows by input byte ({@code [c][k][i]} the weight of input
         * {@code 4i + k}) and the last {@code accum % 4} weights of each row, else null; each batch's input as quads.
         */
        private final int[][][] dots;
        private final int[][] dotTail, xQuads;
        /** SCALAR_LIVE: the filter as ints by input ({@code [d][c]}); per batch, its live inputs and their count. */
        private final int[][] columns, live;
        private final int[] liveCount;
        private final SplitTask split;

        Int8(FullyConnected.Params p, NodeContext node) {
            super(p);
            requant = new ChannelRequant(depth, p.outputMultiplier(), p.outputShift(), p.outputOffset(), p.activationMin(), p.activationMax());
            bias = FastLoops.intBias(p.bias(), depth);
            byte[] w = p.filterData();
            int wo = p.filterDataOffset();
            if (FastLoops.VECTOR_API) {
                loop = accum >= VECTOR_ROWS_MIN ? Loop.VECTOR_ROWS : Loop.VECTOR_BLOCKS;
            } else {
                boolean dotRows = depth < DOT_OUTPUTS_MAX && accum >= depth;
                boolean live = !dotRows && p.inputOffset() == 128 && depth <= LIVE_OUTPUTS_MAX && (node == null
                        || KernelUtil.tryReserveHeap(node, 4L * depth * accum, "the fast fully connected layer's weights as ints"));
                loop = dotRows ? Loop.SCALAR_DOTS : live ? Loop.SCALAR_LIVE : Loop.SCALAR_COLUMNS;
            }
            if (loop == Loop.SCALAR_LIVE) {
                columns = new int[accum][depth];
                for (int c = 0; c < depth; c++) for (int d = 0; d < accum; d++) columns[d][c] = w[wo + c * accum + d];
                live = new int[batches][accum];
            } else {
                columns = null;
                live = null;
            }
            liveCount = new int[batches];
            int paddedDepth = depth;
            if (loop == Loop.SCALAR_DOTS) {
                int quadsPerRow = accum / 4;
                dots = new int[depth][4][quadsPerRow];
                dotTail = new int[depth][accum % 4];
                for (int c = 0; c < depth; c++) {
                    int sum = 0;   // the packed inputs' weights, whose products take their offset as offset * sum
                    for (int d = 0; d < accum; d++) {
                        int v = w[wo + c * accum + d];
                        if (d < 4 * quadsPerRow) {
                            dots[c][d % 4][d / 4] = v;
                            sum += v;
                        } else {
                            dotTail[c][d - 4 * quadsPerRow] = v;
                        }
                    }
                    bias[c] += p.inputOffset() * sum;   // exact modulo 2^32, as the reference's int32 sums
                }
                xQuads = new int[batches][quadsPerRow];
            } else {
                dots = null;
                dotTail = null;
                xQuads = null;
            }
            if (loop == Loop.SCALAR_COLUMNS || loop == Loop.SCALAR_LIVE) {   // SCALAR_LIVE: for inputs with few zeros
                int[][] packedQuads = packQuads(w, wo, depth, accum);
                quads = java.util.Arrays.copyOfRange(packedQuads, 0, accum / 4);
                tail = java.util.Arrays.copyOfRange(packedQuads, accum / 4, packedQuads.length);
            } else {
                quads = null;
                tail = null;
            }
            switch (loop) {
                case VECTOR_BLOCKS -> {
                    int lanes = VectorFc.LANES;
                    group = lanes;
                    groups = (depth + lanes - 1) / lanes;
                    paddedDepth = groups * lanes;
                    packed = new byte[paddedDepth * accum];   // the padding channels' weights stay 0
                    for (int c = 0; c < depth; c++) {
                        int blockBase = (c / lanes) * accum * lanes + c % lanes;
                        for (int d = 0; d < accum; d++) packed[blockBase + d * lanes] = w[wo + c * accum + d];
                    }
                }
                case VECTOR_ROWS -> {
                    group = 4;
                    groups = (depth + 3) / 4;
                    packed = java.util.Arrays.copyOfRange(w, wo, wo + depth * accum);
                }
                default -> {
                    group = SCALAR_GROUP;
                    groups = (depth + SCALAR_GROUP - 1) / SCALAR_GROUP;
                    packed = null;
                }
            }
            x = loop == Loop.SCALAR_DOTS || loop == Loop.SCALAR_COLUMNS || loop == Loop.SCALAR_LIVE ? new int[0] : new int[batches * accum];
            acc = new int[batches][paddedDepth];
            lanes = new long[batches][FastLoops.VECTOR_API ? ConvWindow.padded(depth) : 0];   // read on the Vector API only
            split = split(node, this::rangeOfItems, batches, groups, (long) group * accum);
        }

        @Override
        public void eval() {
            byte[] ia = input.array();
            if (live != null) {
                for (int b = 0; b < batches; b++) liveCount[b] = liveInputs(ia, input.offset() + b * accum, p.inputOffset(), accum, live[b]);
            } else if (xQuads != null) {
                for (int b = 0; b < batches; b++) {
                    int[] xq = xQuads[b];
                    int at = input.offset() + b * accum;
                    for (int q = 0; q < xq.length; q++) xq[q] = LittleEndian.getInt(ia, at + 4 * q);
                }
            } else if (loop != Loop.SCALAR_COLUMNS) {   // the packed and live loops read the input bytes themselves
                FastLoops.widen(ia, input.offset(), batches * accum, p.inputOffset(), x);
            }
            split.run();
        }

        /** Items [from, to): item i is row group {@code i % groups} of batch {@code i / groups}. */
        private void rangeOfItems(int from, int to) {
            for (int b = from / groups; b < batches && b * groups < to; b++) {
                int g0 = Math.max(from - b * groups, 0), g1 = Math.min(to - b * groups, groups);
                int c0 = g0 * group, c1 = Math.min(g1 * group, depth);
                rows(b, c0, c1, g0, g1);
            }
        }

        private void rows(int b, int c0, int c1, int g0, int g1) {
            int[] acc = this.acc[b];
            System.arraycopy(bias, c0, acc, c0, c1 - c0);
            int xo = b * accum;
            switch (loop) {
                case VECTOR_ROWS -> VectorFc.dotRows(packed, accum, x, xo, acc, 0, c0, c1);
                case VECTOR_BLOCKS -> VectorFc.channelBlocks(packed, accum, x, xo, acc, 0, g0, g1);
                case SCALAR_COLUMNS -> packedColumns(quads, tail, input.array(), input.offset() + xo, p.inputOffset(), acc, c0, c1);
                case SCALAR_LIVE -> {
                    if (liveWorthIt(liveCount[b], accum)) {
                        liveColumns(columns, input.array(), input.offset() + xo, p.inputOffset(), live[b], liveCount[b], acc, c0, c1);
                    } else {
                        packedColumns(quads, tail, input.array(), input.offset() + xo, p.inputOffset(), acc, c0, c1);
                    }
                }
                case SCALAR_DOTS -> dotRows(dots, dotTail, xQuads[b], input.array(), input.offset() + xo + 4 * xQuads[b].length,
                        p.inputOffset(), acc, c0, c1);
            }
            byte[] oa = output.array();
            int ob = output.offset() + b * depth;
            if (c0 == 0 && c1 == depth) {
                requant.apply(acc, lanes[b], oa, ob);
                return;
            }
            // a part of the batch's outputs (the node split within a batch): the reference's arithmetic per output
            for (int c = c0; c < c1; c++) oa[ob + c] = (byte) requant.value(c, acc[c]);
        }
    }

    /**
     * int16 input, int8 weights: scalar dot rows over int copies of the weights and of the input (plus its offset).
     * Each product is at most 2^7 * 2^16 in magnitude, so the int32-accumulator variant wraps exactly as the
     * reference's int sum, and the int64 one sums blocks of {@value #INT16_BLOCK} products in an int (no overflow)
     * before adding them to its long: the reference's long sum, exactly.
     */
    private static final class Int16 extends Eval {
        private final Tensor bias;
        private final boolean wide;
        private final int[] weights, mult, shift, x;
        private final long[] biases;
        private final SplitTask split;

        Int16(FullyConnected.Params p, NodeContext node) {
            super(p);
            bias = p.bias();
            mult = p.outputMultiplier();
            shift = p.outputShift();
            wide = p.variant() == FullyConnected.Variant.INT16_ACC64;
            biases = new long[depth];
            if (bias != null) {
                for (int c = 0; c < depth; c++) {
                    biases[c] = wide ? LittleEndian.getLong(bias.array(), bias.offset() + 8 * c)
                            : LittleEndian.getInt(bias.array(), bias.offset() + 4 * c);
                }
            }
            byte[] w = p.filterData();
            int wo = p.filterDataOffset();
            weights = new int[depth * accum];
            for (int i = 0; i < weights.length; i++) weights[i] = w[wo + i];
            x = new int[batches * accum];
            split = split(node, this::rangeOfItems, batches, depth, accum);
        }

        @Override
        public void eval() {
            byte[] ia = input.array();
            int io = input.offset();
            int inputOffset = p.inputOffset();
            for (int i = 0; i < x.length; i++) x[i] = LittleEndian.getShort(ia, io + 2 * i) + inputOffset;
            split.run();
        }

        private void rangeOfItems(int from, int to) {
            int[] w = weights, x = this.x;
            int n = accum, outputOffset = p.outputOffset(), min = p.activationMin(), max = p.activationMax();
            byte[] oa = output.array();
            int oo = output.offset();
            for (int item = from; item < to; item++) {
                int b = item / depth, c = item % depth, xo = b * n, wb = c * n;
                int v;
                if (wide) {
                    long acc = biases[c];
                    for (int d0 = 0; d0 < n; d0 += INT16_BLOCK) {
                        int sum = 0, d1 = Math.min(n, d0 + INT16_BLOCK);
                        for (int d = d0; d < d1; d++) sum += w[wb + d] * x[xo + d];
                        acc += sum;
                    }
                    v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) + outputOffset;
                } else {
                    int acc = (int) biases[c];
                    for (int d = 0; d < n; d++) acc += w[wb + d] * x[xo + d];
                    v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) + outputOffset;
                }
                LittleEndian.putShort(oa, oo + 2 * item, (short) KernelUtil.clamp(v, min, max));
            }
        }
    }

    /**
     * {@code acc[c] = acc[c] + x[xo + d0] * w[d0][c] + x[xo + d1] * w[d1][c] + ...} added left to right (multiply,
     * then add) for {@code c} in {@code [c0, c1)} over the inputs {@code d0 < d1 < ...} of {@code live[0 .. count)}:
     * each output's products in {@code d} order, the reference's order and rounding; the weights stored by input and
     * every array indexed by {@code c} alone, as in {@link #packedColumns}. The inputs left out ({@link #liveInputs})
     * are zeros whose weight columns are finite, so their products are zeros and adding them leaves every
     * sum as it is (each sum starts at +0.0 and a float sum is -0.0 only when both its terms are, so no partial sum is
     * ever -0.0 and adding a zero of either sign returns it unchanged; Inf and NaN stay). Each output still adds the
     * products it keeps in {@code d} order, so the bytes are the reference's. The layers after a ReLU take half their
     * inputs as zeros (ToyCar's 128-input layers: 57-80 of 128), so half the passes go.
     */
    static void floatColumns(float[][] w, float[] x, int xo, int[] live, int count, float[] acc, int c0, int c1) {
        int j = 0;
        for (; j + 3 < count; j += 4) {
            int d0 = live[j], d1 = live[j + 1], d2 = live[j + 2], d3 = live[j + 3];
            float[] w0 = w[d0], w1 = w[d1], w2 = w[d2], w3 = w[d3];
            float x0 = x[xo + d0], x1 = x[xo + d1], x2 = x[xo + d2], x3 = x[xo + d3];
            for (int c = c0; c < c1; c++) acc[c] = acc[c] + x0 * w0[c] + x1 * w1[c] + x2 * w2[c] + x3 * w3[c];
        }
        for (; j < count; j++) {
            int d = live[j];
            float[] w0 = w[d];
            float xd = x[xo + d];
            for (int c = c0; c < c1; c++) acc[c] = acc[c] + xd * w0[c];
        }
    }

    /**
     * Writes to {@code live} the inputs {@code d} in {@code [0, n)}, ascending, whose products can change a sum:
     * {@code x[xo + d]} not a zero of either sign, or a column with a non-finite weight ({@code keep[d] != 0}: zero
     * times Inf or NaN is NaN). Returns their count. Branch-free: every index is written, the count advances only
     * for the live ones.
     */
    static int liveInputs(float[] x, int xo, int n, int[] keep, int[] live) {
        int count = 0;
        for (int d = 0; d < n; d++) {
            live[count] = d;
            count += x[xo + d] != 0f ? 1 : keep[d];
        }
        return count;
    }

    /**
     * Without the Vector API, float nodes of at most this many outputs run them in registers ({@link #floatDots}): an
     * output-innermost pass over so few outputs is all C2's scalar pre- and post-loop, while one dot product per output
     * waits on its add's latency at every input.
     */
    static final int FLOAT_DOT_OUTPUTS_MAX = 12;

    /**
     * The weights of a float node of at most {@value #FLOAT_DOT_OUTPUTS_MAX} outputs for {@link #floatDots}: {@code
     * [d][c]} in one array, each input's weights padded with zeros to {@code width} (4, 8 or 12) outputs.
     */
    static float[] floatDotWeights(float[][] columns, int depth) {
        int width = floatDotWidth(depth);
        float[] wb = new float[columns.length * width];
        for (int d = 0; d < columns.length; d++) System.arraycopy(columns[d], 0, wb, d * width, depth);
        return wb;
    }

    /** The accumulators {@link #floatDots} keeps for {@code outputs} (at most {@value #FLOAT_DOT_OUTPUTS_MAX}) outputs. */
    static int floatDotWidth(int outputs) { return (outputs + 3) / 4 * 4; }

    /**
     * {@code out[c] = 0 + x[xo] * w[0][c] + x[xo + 1] * w[1][c] + ...} added left to right for the {@code width} (4, 8
     * or 12) outputs of {@link #floatDotWeights}' layout, {@code n} inputs: each output's products in {@code d} order
     * from 0, the reference's order and rounding, as in {@link #floatColumns}. The sums stay in locals, one per output,
     * so the outputs' add chains run side by side (4-12 independent adds an input instead of one, the reference's
     * latency-bound chain) and no pass over a short output range pays C2's pre- and post-loop (whole models, both
     * engines in one run, JDK 17: ToyCar 13.7 against 14.3-15.6 µs, mnist_lstm float 21.5-21.6 against 22.0-22.7; as
     * blocks of eight and four instead of one of twelve, the 560x10 head ran 1.32 against 1.01 µs). The padding
     * outputs sum zero weights and are not read.
     */
    static void floatDots(float[] w, int width, int n, float[] x, int xo, float[] out) {
        switch (width) {
            case 4 -> floatDots4(w, n, x, xo, out);
            case 8 -> floatDots8(w, n, x, xo, out);
            default -> floatDots12(w, n, x, xo, out);
        }
    }

    private static void floatDots4(float[] w, int n, float[] x, int xo, float[] out) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f;
        for (int d = 0, q = 0; d < n; d++, q += 4) {
            float xd = x[xo + d];
            a0 = a0 + xd * w[q];
            a1 = a1 + xd * w[q + 1];
            a2 = a2 + xd * w[q + 2];
            a3 = a3 + xd * w[q + 3];
        }
        out[0] = a0;
        out[1] = a1;
        out[2] = a2;
        out[3] = a3;
    }

    private static void floatDots8(float[] w, int n, float[] x, int xo, float[] out) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f;
        for (int d = 0, q = 0; d < n; d++, q += 8) {
            float xd = x[xo + d];
            a0 = a0 + xd * w[q];
            a1 = a1 + xd * w[q + 1];
            a2 = a2 + xd * w[q + 2];
            a3 = a3 + xd * w[q + 3];
            a4 = a4 + xd * w[q + 4];
            a5 = a5 + xd * w[q + 5];
            a6 = a6 + xd * w[q + 6];
            a7 = a7 + xd * w[q + 7];
        }
        out[0] = a0;
        out[1] = a1;
        out[2] = a2;
        out[3] = a3;
        out[4] = a4;
        out[5] = a5;
        out[6] = a6;
        out[7] = a7;
    }

    private static void floatDots12(float[] w, int n, float[] x, int xo, float[] out) {
        float a0 = 0f, a1 = 0f, a2 = 0f, a3 = 0f, a4 = 0f, a5 = 0f, a6 = 0f, a7 = 0f, a8 = 0f, a9 = 0f, a10 = 0f, a11 = 0f;
        for (int d = 0, q = 0; d < n; d++, q += 12) {
            float xd = x[xo + d];
            a0 = a0 + xd * w[q];
            a1 = a1 + xd * w[q + 1];
            a2 = a2 + xd * w[q + 2];
            a3 = a3 + xd * w[q + 3];
            a4 = a4 + xd * w[q + 4];
            a5 = a5 + xd * w[q + 5];
            a6 = a6 + xd * w[q + 6];
            a7 = a7 + xd * w[q + 7];
            a8 = a8 + xd * w[q + 8];
            a9 = a9 + xd * w[q + 9];
            a10 = a10 + xd * w[q + 10];
            a11 = a11 + xd * w[q + 11];
        }
        out[0] = a0;
        out[1] = a1;
        out[2] = a2;
        out[3] = a3;
        out[4] = a4;
        out[5] = a5;
        out[6] = a6;
        out[7] = a7;
        out[8] = a8;
        out[9] = a9;
        out[10] = a10;
        out[11] = a11;
    }

    private static final class Float32 extends Eval {
        /** Outputs per split item (one pass of eight channel blocks on the Vector API) and their count; channel blocks. */
        private final int group, groups, nblocks;
        private final boolean vector;
        /** Vector API: the filter in {@link VectorFc#passIndex}'s layout (passes of eight channel blocks; padding channels 0). */
        private final float[] blocks;
        /** Scalar: the filter stored by input, {@code [d][c]}; null when {@link #dots} holds it. */
        private final float[][] columns;
        /** Scalar: 1 for an input whose weight column holds an Inf or NaN (its zeros are never skipped), else 0. */
        private final int[] keep;
        /**
         * Scalar, per batch: the inputs that are not skippable zeros ({@link #liveInputs}) and their count; every
         * input for nodes of fewer than {@value #DOT_OUTPUTS_MAX} outputs, where the per-invoke search costs more than
         * the few products a zero saves; empty for those of at most {@value #FLOAT_DOT_OUTPUTS_MAX} ({@link #dots}).
         */
        private final int[][] live;
        private final int[] liveCount;
        private final boolean skipZeros;
        /** Scalar, at most {@value #FLOAT_DOT_OUTPUTS_MAX} outputs: {@link #floatDotWeights}' layout, else null. */
        private final float[] dots;
        private final float[] bias, x;
        /** Per batch: the sums of its outputs (padded to whole channel blocks on the Vector API). */
        private final float[][] acc;
        private final SplitTask split;

        Float32(FullyConnected.Params p, NodeContext node) {
            super(p);
            vector = FastLoops.VECTOR_API;
            group = vector ? VectorFc.PASS_BLOCKS * VectorFc.LANES : 16;
            groups = (depth + group - 1) / group;
            nblocks = (depth + VectorFc.LANES - 1) / VectorFc.LANES;
            int paddedDepth = vector ? nblocks * VectorFc.LANES : depth;
            bias = java.util.Arrays.copyOf(FastLoops.floatBias(p.bias(), depth), paddedDepth);   // padding lanes 0
            Tensor f = p.filter();
            blocks = vector ? new float[paddedDepth * accum] : null;
            float[][] byInput = vector ? null : new float[accum][depth];
            for (int c = 0; c < depth; c++) {
                for (int d = 0; d < accum; d++) {
                    float v = LittleEndian.getFloat(f.array(), f.offset() + 4 * (c * accum + d));
                    if (vector) blocks[VectorFc.passIndex(c, d, accum, nblocks)] = v;
                    else byInput[d][c] = v;
                }
            }
            boolean small = !vector && depth <= FLOAT_DOT_OUTPUTS_MAX;
            dots = small ? floatDotWeights(byInput, depth) : null;
            columns = small ? null : byInput;
            keep = vector || small ? null : new int[accum];
            for (int d = 0; d < accum && keep != null; d++) {
                for (int c = 0; c < depth; c++) keep[d] |= Float.isFinite(byInput[d][c]) ? 0 : 1;
            }
            live = new int[vector || small ? 0 : batches][accum];
            liveCount = new int[batches];
            skipZeros = depth >= DOT_OUTPUTS_MAX;
            for (int b = 0; b < live.length; b++) {
                for (int d = 0; d < accum; d++) live[b][d] = d;
                liveCount[b] = accum;
            }
            x = new float[batches * accum];
            acc = new float[batches][small ? floatDotWidth(depth) : paddedDepth];
            split = split(node, this::rangeOfItems, batches, groups, (long) group * accum);
        }

        @Override
        public void eval() {
            FastLoops.floats(input.array(), input.offset(), batches * accum, x);
            for (int b = 0; b < live.length && skipZeros; b++) liveCount[b] = liveInputs(x, b * accum, accum, keep, live[b]);
            split.run();
        }

        private void rangeOfItems(int from, int to) {
            for (int b = from / groups; b < batches && b * groups < to; b++) {
                int g0 = Math.max(from - b * groups, 0), g1 = Math.min(to - b * groups, groups);
                rows(b, g0, g1);
            }
        }

        private void rows(int b, int g0, int g1) {
            float[] acc = this.acc[b];
            int xo = b * accum;
            int c0 = g0 * group, c1 = Math.min(g1 * group, depth);
            byte[] oa = output.array();
            int ob = output.offset() + 4 * b * depth;
            float min = p.floatMin(), max = p.floatMax();
            if (vector) {
                VectorFc.channelPassesFloat(blocks, accum, nblocks, x, xo, acc, g0, g1);
                VectorFc.biasClamp(acc, bias, c0, Math.min(g1 * group, acc.length), min, max);
                for (int c = c0; c < c1; c++) LittleEndian.putFloat(oa, ob + 4 * c, acc[c]);
                return;
            }
            if (dots != null) {   // one group: all the outputs
                floatDots(dots, acc.length, accum, x, xo, acc);
            } else {
                java.util.Arrays.fill(acc, c0, c1, 0f);
                floatColumns(columns, x, xo, live[b], liveCount[b], acc, c0, c1);
            }
            for (int c = c0; c < c1; c++) LittleEndian.putFloat(oa, ob + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
        }
    }
}
