package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;

/**
 * The int8 depthwise convolution of few channels over a large image (micro_speech's first layer: one input channel
 * times 8, a 10x8 filter, stride 2 over 49x40), computed channel by channel over whole image planes, for
 * {@link FastDepthwiseConv2D}. With 8 channels a channel-innermost loop is one output row long (160 values), and
 * JDK 17's C2 does not vectorise a loop that reads one int array at an offset from the array it stores to (it
 * cannot rule out that they overlap); here every loop reads and writes separate arrays at the same index, one weight
 * per array held in a register, over a whole plane: a loop C2 vectorises on JDK 17 as on later JDKs.
 *
 * <p>At each invoke the input (plus the input offset) is stored once per input channel as {@code strideH * strideW}
 * phase planes of {@link #rows} x {@link #cols} values, zero where the padded input lies outside the image: cell
 * (row, col) of phase (py, px) is padded input position {@code (row * strideH + py, col * strideW + px)}. Filter tap
 * (fy, fx) of output pixel (oy, ox) then reads cell {@code (oy + fy * dilH / strideH, ox + fx * dilW / strideW)} of
 * phase {@code (fy * dilH % strideH, fx * dilW % strideW)}, so for each tap the inputs of all output pixels, taken
 * with a row pitch of {@link #cols}, are one contiguous run, copied once per invoke into the tap's own array
 * ({@link #tapInputs}, index {@code k = (b * outH + oy) * cols + ox}). An output channel's sums are then, per group of
 * up to four taps, one loop {@code acc[k] += w0 * x0[k] + ... + w3 * x3[k]} ({@link #sums}). Padding cells add 0, as
 * the reference's skipped taps do; the columns {@code ox >= outW} are computed and dropped. Integer sums are exact
 * modulo 2^32 in any order, so the bytes equal the reference's. The output stage runs per channel over a thread's
 * pixels ({@link ChannelRequant#applyPlanes4}: the channel's multiplier and shift as constants of passes C2
 * vectorises, four channels' bytes packed to one int per pixel), each channel's sums first copied without the dropped
 * columns; gathering each row into NHWC order for a per-element stage was half of person_detect's first layer.
 *
 * <p>Threads: row blocks cover disjoint ranges of {@code k}, so they share the tap inputs (written by {@link #load}
 * before any row) and the planes of sums.
 */
final class DepthwisePlanes extends ConvWindow {
    /** At most this many output channels: above, channel-innermost loops are long enough. */
    static final int MAX_CHANNELS = 16;
    /** At least this many output pixels (with the dropped columns) per plane: below, the loops are too short to pay. */
    static final int MIN_PLANE = 256;
    /**
     * The fewest filter taps for the planar form: on small windows the row form over shifted rows (JDK 17 default)
     * and {@link VectorDepthwise}'s pixel loop (Vector API) are faster. Same runs: VWW's 8- and 16-channel 3x3 layers
     * 35 and 55 us shifted rows against 83 and 73 planar, 41 and 15 us Vector API against 60 and 53; micro_speech's
     * 80 taps 32 us planar against 118 (row form), 31 against 55 (Vector API).
     */
    static final int MIN_TAPS = 16;
    /**
     * Or at least this depth multiplier, whatever the taps: each input channel's tap inputs then serve {@code mult}
     * output channels, where the row form widens every input value {@code mult} times. person_detect's first layer
     * (96x96x1 times 8, 3x3, stride 2): 117 us in the row form over shifted rows (the expansion alone about 60).
     */
    static final int MIN_MULT = 4;
    /** At most this many ints in the tap inputs and the planes of sums together (charged to the prepare heap). */
    static final long MAX_VALUES = 1 << 21;

    private final int mult, inputOffset, taps;
    /** Cells per phase plane: rows and columns. */
    private final int rows, cols;
    /** Values per input channel (its phase planes) and per batch in {@link #x}; values per tap input and sum plane. */
    private final int channelSize, batchSize, planeSize;
    /** Per input row / column: its cell offset within a channel's planes (phase plane and row or column), or -1 if never read. */
    private final int[] rowSlot, colSlot;
    /** The input columns read: {@code [0, readCols)} (a column's cell index grows with it, so those past the planes end the row). */
    private final int readCols;
    /** Per filter tap (fy, fx) in the reference's order: its input offset from output pixel (0, 0)'s cell. */
    private final int[] tapOffset;
    /** Weights per output channel and tap {@code [oc][tap]}, the bias per output channel. */
    private final int[][] weights;
    private final int[] bias;
    /** The expanded input planes (plus a row of slack: dropped columns read past a plane). */
    private final int[] x;
    /** Per input channel and tap ({@code ic * taps + tap}): the tap's input for every output cell {@code k}. */
    private final int[][] tapInputs;
    /** Per output channel: its sums for every output cell {@code k}. */
    private final int[][] sums;
    /** The output stage per channel, over a thread's output pixels ({@link ChannelRequant#applyPlanes4}). */
    private final ChannelRequant requant;

    private DepthwisePlanes(DepthwiseConv2D.Params p) {
        super(p.geometry(), p.input(), p.output(), LANES, false, 0, 0, STAGE_PLANES, pixels(p.geometry()));
        mult = p.depthMultiplier();
        ConvCommon.QuantParams q = p.quant();
        inputOffset = q.inputOffset();
        taps = fh * fw;
        rows = outH + (fh - 1) * dilH / strideH;
        cols = outW + (fw - 1) * dilW / strideW;
        int plane = rows * cols;
        channelSize = strideH * strideW * plane;
        batchSize = inD * channelSize;
        planeSize = batches * outH * cols;
        rowSlot = new int[inH];
        for (int iy = 0; iy < inH; iy++) {
            int py = (iy + padH) % strideH, row = (iy + padH) / strideH;
            rowSlot[iy] = row < rows ? py * strideW * plane + row * cols : -1;
        }
        colSlot = new int[inW];
        int read = 0;
        for (int ix = 0; ix < inW; ix++) {
            int px = (ix + padW) % strideW, col = (ix + padW) / strideW;
            colSlot[ix] = col < cols ? px * plane + col : -1;
            if (col < cols) read = ix + 1;
        }
        readCols = read;
        tapOffset = new int[taps];
        for (int fy = 0; fy < fh; fy++) {
            for (int fx = 0; fx < fw; fx++) {
                int y = fy * dilH, xx = fx * dilW;
                tapOffset[fy * fw + fx] = ((y % strideH) * strideW + xx % strideW) * plane + (y / strideH) * cols + xx / strideW;
            }
        }
        int[] w = new int[taps * outD];
        FastLoops.widen(p.filterData(), p.filterDataOffset(), w.length, 0, w);
        weights = new int[outD][taps];
        for (int t = 0; t < taps; t++) {
            for (int oc = 0; oc < outD; oc++) weights[oc][t] = w[t * outD + oc];
        }
        bias = FastLoops.intBias(p.bias(), outD);
        x = new int[batches * batchSize + cols + LANES];
        tapInputs = new int[inD * taps][planeSize];
        sums = new int[outD][planeSize];
        requant = new ChannelRequant(outD, q.multiplier(), q.shift(), q.outputOffset(), q.min(), q.max());
    }

    /** Per-thread planes of the output stage: four channels' sums over the thread's output pixels, and their packed bytes. */
    private static final int STAGE_PLANES = 5;

    /** Output pixels of {@code g} (all batches): the length of each output stage plane. */
    private static int pixels(ConvGeometry g) {
        return g.batches() * g.outHeight() * g.outWidth();
    }

    /** The planar form of an int8 node, or null when it does not pay or its arrays do not fit the node's budget. */
    static DepthwisePlanes of(NodeContext node, DepthwiseConv2D.Params p) {
        if (!qualifies(p)) return null;
        ConvGeometry g = p.geometry();
        return KernelUtil.tryReserveHeap(node, 4L * (inputLength(g) + values(g)) + 4L * (STAGE_PLANES * (long) pixels(g) + 3 * LANES)
                * Math.max(1, node.threads()), "the fast depthwise convolution's input planes, tap inputs and sums") ? new DepthwisePlanes(p) : null;
    }

    /** The planar form of an int8 node regardless of the budget (for callers without a node), or null when it does not pay. */
    static DepthwisePlanes of(DepthwiseConv2D.Params p) {
        return qualifies(p) ? new DepthwisePlanes(p) : null;
    }

    /**
     * Whether {@code p} (int8, already checked by {@link FastDepthwiseConv2D} for constant weights and a simple
     * window) runs planar: at most {@link #MAX_CHANNELS} output channels, at least
     * {@link #MIN_TAPS} filter taps or a depth multiplier of {@link #MIN_MULT}, planes of at least {@link #MIN_PLANE} cells
     * of which at most a quarter are dropped columns, at most {@link #MAX_VALUES} tap inputs and sums.
     */
    private static boolean qualifies(DepthwiseConv2D.Params p) {
        ConvGeometry g = p.geometry();
        if (p.variant() != DepthwiseConv2D.Variant.INT8 || g.outDepth() > MAX_CHANNELS || g.padH() < 0 || g.padW() < 0) return false;
        if (g.filterHeight() * g.filterWidth() < MIN_TAPS && p.depthMultiplier() < MIN_MULT) return false;
        long cols = columns(g);
        return g.outHeight() * cols >= MIN_PLANE && 4 * (cols - g.outWidth()) <= cols && values(g) <= MAX_VALUES
                && inputLength(g) <= MAX_VALUES;
    }

    /** Columns per phase plane of {@code g}: the output's and the filter's reach past it. */
    private static long columns(ConvGeometry g) {
        return g.outWidth() + (long) (g.filterWidth() - 1) * g.dilationW() / g.strideW();
    }

    /** The tap inputs' and the sums' values of {@code g}. */
    private static long values(ConvGeometry g) {
        long plane = (long) g.batches() * g.outHeight() * columns(g);
        return ((long) g.inDepth() * g.filterHeight() * g.filterWidth() + g.outDepth()) * plane;
    }

    /** Length of the expanded input planes of {@code g}, as {@link #x}. */
    private static long inputLength(ConvGeometry g) {
        long rows = g.outHeight() + (long) (g.filterHeight() - 1) * g.dilationH() / g.strideH();
        return (long) g.batches() * g.inDepth() * g.strideH() * g.strideW() * rows * columns(g) + columns(g) + LANES;
    }

    @Override
    void load() {
        byte[] in = input.array();
        int[] x = this.x;
        int off = inputOffset;
        for (int b = 0, i = input.offset(); b < batches; b++) {
            for (int iy = 0; iy < inH; iy++) {
                int ry = rowSlot[iy];
                if (ry < 0) {
                    i += inW * inD;
                    continue;
                }
                int at = b * batchSize + ry;
                if (inD == 1) {
                    for (int ix = 0; ix < readCols; ix++) x[at + colSlot[ix]] = in[i + ix] + off;
                } else {
                    for (int ix = 0, j = i; ix < readCols; ix++) {
                        for (int ic = 0, o = at + colSlot[ix]; ic < inD; ic++, j++, o += channelSize) x[o] = in[j] + off;
                    }
                }
                i += inW * inD;
            }
        }
        int n = outH * cols;
        for (int b = 0; b < batches; b++) {
            for (int ic = 0; ic < inD; ic++) {
                int from = b * batchSize + ic * channelSize;
                for (int t = 0; t < taps; t++) System.arraycopy(x, from + tapOffset[t], tapInputs[ic * taps + t], b * n, n);
            }
        }
    }

    @Override
    void evalRows(int from, int to, Scratch s) {
        int k0 = from * cols, k1 = to * cols, n = outD;
        for (int oc = 0; oc < n; oc++) {
            int[] acc = sums[oc], w = weights[oc];
            int first = (oc / mult) * taps;
            java.util.Arrays.fill(acc, k0, k1, bias[oc]);
            int t = 0;
            for (; t + 4 <= taps; t += 4) {
                int[] x0 = tapInputs[first + t], x1 = tapInputs[first + t + 1], x2 = tapInputs[first + t + 2], x3 = tapInputs[first + t + 3];
                sums(acc, k0, k1, x0, w[t], x1, w[t + 1], x2, w[t + 2], x3, w[t + 3]);
            }
            switch (taps - t) {
                case 3 -> sums(acc, k0, k1, tapInputs[first + t], w[t], tapInputs[first + t + 1], w[t + 1], tapInputs[first + t + 2], w[t + 2]);
                case 2 -> sums(acc, k0, k1, tapInputs[first + t], w[t], tapInputs[first + t + 1], w[t + 1]);
                case 1 -> sums(acc, k0, k1, tapInputs[first + t], w[t]);
                default -> { }
            }
        }
        // the output stage channel by channel over the rows' pixels (the dropped columns left out), four channels'
        // bytes stored as one int per pixel
        int[][] pl = s.planes;
        byte[] out = output.array();
        int count = (to - from) * outW, at = output.offset() + from * outW * n, oc = 0;
        for (; oc + 4 <= n; oc += 4) {
            for (int j = 0; j < 4; j++) compact(sums[oc + j], from, to, pl[j]);
            requant.applyPlanes4(oc, pl[0], pl[1], pl[2], pl[3], count, pl[4], out, at + oc, n);
        }
        for (; oc < n; oc++) {
            compact(sums[oc], from, to, pl[0]);
            requant.applyPlane(oc, pl[0], count, out, at + oc, n);
        }
    }

    /** The sums of output rows {@code [from, to)} in {@code acc} without the dropped columns, into {@code dst} from 0. */
    private void compact(int[] acc, int from, int to, int[] dst) {
        for (int r = from, i = 0; r < to; r++, i += outW) System.arraycopy(acc, r * cols, dst, i, outW);
    }

    /** {@code acc[k] += w0 * x0[k] + w1 * x1[k] + w2 * x2[k] + w3 * x3[k]} for {@code k0 <= k < k1}. */
    private static void sums(int[] acc, int k0, int k1, int[] x0, int w0, int[] x1, int w1, int[] x2, int w2, int[] x3, int w3) {
        for (int k = k0; k < k1; k++) acc[k] += w0 * x0[k] + w1 * x1[k] + w2 * x2[k] + w3 * x3[k];
    }

    /** {@code acc[k] += w0 * x0[k] + w1 * x1[k] + w2 * x2[k]} for {@code k0 <= k < k1}. */
    private static void sums(int[] acc, int k0, int k1, int[] x0, int w0, int[] x1, int w1, int[] x2, int w2) {
        for (int k = k0; k < k1; k++) acc[k] += w0 * x0[k] + w1 * x1[k] + w2 * x2[k];
    }

    /** {@code acc[k] += w0 * x0[k] + w1 * x1[k]} for {@code k0 <= k < k1}. */
    private static void sums(int[] acc, int k0, int k1, int[] x0, int w0, int[] x1, int w1) {
        for (int k = k0; k < k1; k++) acc[k] += w0 * x0[k] + w1 * x1[k];
    }

    /** {@code acc[k] += w0 * x0[k]} for {@code k0 <= k < k1}. */
    private static void sums(int[] acc, int k0, int k1, int[] x0, int w0) {
        for (int k = k0; k < k1; k++) acc[k] += w0 * x0[k];
    }
}
