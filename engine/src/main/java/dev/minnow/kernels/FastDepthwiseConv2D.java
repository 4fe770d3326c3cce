package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * DEPTHWISE_CONV_2D with fast loops for int8 and float32 nodes with constant weights and bias, strides and dilations
 * of at least 1; the other nodes, and every node when the interpreter asks for reference kernels, run
 * {@link DepthwiseConv2D}'s reference loops. Same prepare ({@link DepthwiseConv2D#prepareParams}), same bytes.
 *
 * <p>At prepare: the weights (already {@code [filterY][filterX][outChannel]}) as int or float arrays, the valid filter
 * taps of every output row and column ({@link ConvWindow}). Each invoke reads the input once into one value per
 * output channel (int8: plus the input offset; with a depth multiplier {@code m > 1} input channel {@code ic} is
 * repeated for output channels {@code ic * m ... ic * m + m - 1}), so every multiplier runs the same loop: per output
 * pixel and valid tap in the reference's (filterY, filterX) order, {@code acc[oc] += w[tap][oc] * x[tap][oc]} with the
 * channel innermost, on the Vector API with the sums in registers when {@link FastLoops#VECTOR_API}
 * ({@link VectorDepthwise}). int8 sums start at the bias (exact modulo 2^32 in any order); float sums start at 0,
 * add the taps in order and the bias last, as the reference does. int8 nodes of few channels over large images
 * with large filters or a depth multiplier of 4 or more (micro_speech's and person_detect's first layers) run plane by
 * plane instead ({@link DepthwisePlanes}).
 */
public final class FastDepthwiseConv2D implements OpKernel {
    /** Prepares as {@link DepthwiseConv2D}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        DepthwiseConv2D.Params p = DepthwiseConv2D.prepareParams(node);
        PreparedOp fast = null;
        if (node.useFastKernels()) {
            fast = eligible(p) ? DepthwisePlanes.of(node, p) : null;
            if (fast == null) {
                boolean rowForm = rowFormWithin(node, p), rowOutput = rowOutputWithin(node, p);
                fast = of(p, rowForm, rowOutput, rowForm && rowOutput && shiftedWithin(node, p));
            }
        }
        if (fast instanceof ConvWindow w) w.splitRows(node, (long) p.geometry().filterHeight() * p.geometry().filterWidth());
        return fast != null ? fast : DepthwiseConv2D.reference(p);
    }

    /**
     * Whether the scalar row form may run for {@code p}: its weights tiled per output column (up to
     * {@link #ROW_FORM_LIMIT} values, 4 bytes each, not bounded by the file since nodes may share one filter) are
     * charged to the node's prepare-time heap; when they do not fit the budget, the pixel form runs instead.
     */
    private static boolean rowFormWithin(NodeContext node, DepthwiseConv2D.Params p) {
        if (!Depthwise.rowForm(p)) return false;
        ConvGeometry g = p.geometry();
        long weights = 4L * g.filterHeight() * g.filterWidth() * g.outWidth() * g.outDepth();
        if (p.variant() != DepthwiseConv2D.Variant.FLOAT32) {
            return KernelUtil.tryReserveHeap(node, weights, "the fast depthwise convolution's weights tiled per output column");
        }
        return KernelUtil.tryReserveHeap(node, weights + 4L * g.filterWidth() * g.outWidth() * g.outDepth() * Math.max(1, node.threads()),
                "the fast float depthwise convolution's weights tiled per output column and input rows per thread");
    }

    /**
     * Whether the output stage may run once per output row ({@code outW * outD} values, at most
     * {@link #ROW_OUTPUT_LIMIT}): its per-channel multipliers, shifts and biases tiled per output column, and the row's
     * sums in every thread's scratch, are charged to the node's prepare-time heap; when they do not fit the budget,
     * the output stage runs per pixel.
     */
    private static boolean rowOutputWithin(NodeContext node, DepthwiseConv2D.Params p) {
        ConvGeometry g = p.geometry();
        long rowN = (long) g.outWidth() * g.outDepth();
        if (rowN > ROW_OUTPUT_LIMIT) return false;
        return KernelUtil.tryReserveHeap(node, ROW_OUTPUT_BYTES * rowN * Math.max(1, node.threads()),
                "the fast depthwise convolution's output stage tiled per output column");
    }

    /** The fast eval of a prepared node, or null when it does not qualify. */
    public static PreparedOp of(DepthwiseConv2D.Params p) {
        ConvGeometry g = p.geometry();
        PreparedOp planes = eligible(p) ? DepthwisePlanes.of(p) : null;
        return planes != null ? planes : of(p, Depthwise.rowForm(p), (long) g.outWidth() * g.outDepth() <= ROW_OUTPUT_LIMIT);
    }

    /** Whether a node may run a fast loop: constant weights and bias, a simple window, some work. */
    private static boolean eligible(DepthwiseConv2D.Params p) {
        ConvGeometry g = p.geometry();
        boolean constantWeights = p.unpackedFilter() != null || p.filter().isConstant();
        boolean simple = g.strideH() >= 1 && g.strideW() >= 1 && g.dilationH() >= 1 && g.dilationW() >= 1
                && p.depthMultiplier() >= 1 && g.outDepth() == g.inDepth() * p.depthMultiplier();
        // a filter of no taps has no elements whatever its other dimension, which no tensor size then bounds
        boolean work = g.batches() > 0 && g.outHeight() > 0 && g.outWidth() > 0 && g.outDepth() > 0
                && g.filterHeight() > 0 && g.filterWidth() > 0;
        return constantWeights && FastLoops.fixed(p.bias()) && simple && work;
    }

    /**
     * The fast eval of a prepared node, the scalar row form only if {@code rowForm}, the output stage once per row
     * only if {@code rowOutput}, or null when it does not qualify.
     */
    static PreparedOp of(DepthwiseConv2D.Params p, boolean rowForm, boolean rowOutput) {
        return of(p, rowForm, rowOutput, rowForm && rowOutput && shifted(p));
    }

    /**
     * Whether an int8 node's row form may keep its input as shifted rows ({@link Int8#shifted}): at most
     * {@link #SHIFTED_LIMIT} values; charged with the weights split per tap to the node's prepare-time heap.
     */
    private static boolean shiftedWithin(NodeContext node, DepthwiseConv2D.Params p) {
        if (!shifted(p)) return false;
        ConvGeometry g = p.geometry();
        long rowN = (long) g.outWidth() * g.outDepth();
        // in quads also the output stage's ten parameters per row value, an input row's ints and lanes, a row per thread
        long quads = Int8.quads(p) ? 10 * rowN + 6L * (g.inWidth() + g.strideW()) * g.inDepth() / 4 + rowN * Math.max(1, node.threads()) : 0;
        return KernelUtil.tryReserveHeap(node, 4L * (rowN * ((long) g.filterWidth() * g.batches() * g.inHeight() + (long) g.filterHeight() * g.filterWidth()) + quads),
                "the fast depthwise convolution's input rows shifted per filter column");
    }

    /** Whether an int8 node's shifted rows ({@code fw * batches * inH * outW * outD} values) are within {@link #SHIFTED_LIMIT}. */
    private static boolean shifted(DepthwiseConv2D.Params p) {
        ConvGeometry g = p.geometry();
        return p.variant() == DepthwiseConv2D.Variant.INT8
                && (long) g.filterWidth() * g.batches() * g.inHeight() * g.outWidth() * g.outDepth() <= SHIFTED_LIMIT;
    }

    /**
     * Above this many values the int8 row form reads its input at offsets into one array ({@link Int8#shifted}). The
     * shifted rows are each node's own (about 12 bytes per input byte with a 3-wide filter): at 2^21 values a
     * 224x224 MobileNet v2 held 39 MB more prepare heap than without them (60 MB in all, 0.9 of its default budget);
     * 2^17 keeps every depthwise layer of VWW, person_detect and KWS (at most 55,296 values) and the large layers on
     * the plain row form.
     */
    static final long SHIFTED_LIMIT = 1 << 17;

    /**
     * The fast eval of a prepared node, the scalar row form only if {@code rowForm}, the output stage once per row
     * only if {@code rowOutput}, int8 rows over shifted input rows only if {@code shifted}, or null when it does not
     * qualify.
     */
    static PreparedOp of(DepthwiseConv2D.Params p, boolean rowForm, boolean rowOutput, boolean shifted) {
        if (!eligible(p)) return null;
        return switch (p.variant()) {
            case INT8 -> new Int8(p, rowForm, rowOutput, shifted);
            case FLOAT32 -> new Float32(p, rowForm, rowOutput);
            default -> null;
        };
    }

    /**
     * {@code dst[at + i] = a[off + i] + offset} for {@code i < n}: the input's int8 values widened, on the Vector API
     * when the JVM has it (JDK 17's C2 does not vectorise the byte-to-int loop).
     */
    static void widen(byte[] a, int off, int n, int offset, int[] dst, int at) {
        if (FastLoops.VECTOR_API) {
            VectorDepthwise.widen(a, off, n, offset, dst, at);
            return;
        }
        for (int i = 0; i < n; i++) dst[at + i] = a[off + i] + offset;
    }

    /** Above this many values per output row ({@code outW * outD}) the output stage runs per pixel. */
    static final int ROW_OUTPUT_LIMIT = 1 << 14;

    /**
     * Heap per row value of the row-wide output stage: int8's tiled stage (six int and five long arrays) and a
     * thread's row sums (an int and a long each); float32 needs less.
     */
    private static final long ROW_OUTPUT_BYTES = 6 * 4 + 5 * 8 + 4 + 8;

    /** The first {@code n} values of {@code v} repeated {@code times} times. */
    static int[] tile(int[] v, int n, int times) {
        int[] t = new int[n * times];
        for (int i = 0; i < times; i++) System.arraycopy(v, 0, t, i * n, n);
        return t;
    }

    /** Above this many tiled weights ({@code fh * fw * outW * outD}) the scalar path computes pixel by pixel. */
    static final long ROW_FORM_LIMIT = 1 << 20;

    /**
     * The window of a depthwise node with its input expanded to one value per output channel; the row and pixel loops
     * of both element types.
     *
     * <p>Two layouts. The pixel form (the Vector API path, and the scalar path when the row form would be too big)
     * keeps the expanded input NHWC and computes one output pixel at a time ({@link #pixel}). The row form (the scalar
     * path) computes a whole output row at a time ({@link #row}): the expanded input is stored per input row as
     * {@code strideW} phases of columns ({@code ix % strideW}, then {@code ix / strideW}), so for any filter tap the
     * input values of all its valid output columns and channels are one contiguous run, as are the weights, tiled at
     * prepare once per output column ({@code [fy][fx][ox][c]}). Each tap (or group of up to three adjacent taps with
     * the same valid columns) is then one long counted loop over {@code ox * outD + c}, which C2 vectorises whatever
     * the channel count (micro_speech's 8 channels) or stride.
     */
    private abstract static class Depthwise extends ConvWindow {
        final int mult;
        /** Pixel form: input index steps between filter rows and between filter columns. */
        final int yStep, xStep;
        /** The Vector API path's taps (null without it). */
        final TapTable taps;
        /** Whether the row form runs; its row length {@code outW * outD}, and where the row sums start in the scratch. */
        final boolean rowForm;
        final int rowN, rowAt;
        /** Row form: columns per stride phase, expanded input values per input row. */
        final int phaseCols, inRow;
        /** Row form, per filter column fx: offset of its first value in an input row, its valid output columns. */
        final int[] tapX, tapLo, tapHi;
        /** Row form: tap groups over a filter row (adjacent taps with the same valid columns, at most 3): first fx, size. */
        final int[] groupFx, groupSize;
        /**
         * Whether the output stage runs once per output row (int8: a {@link ChannelRequant} over the row, its channel
         * parameters tiled per output column; float32: the bias tiled so): the pixel form then leaves each pixel's
         * sums at {@code ox * outD} in the row's sums. The scalar row form's float output is row-wide anyway.
         */
        final boolean rowOutput;
        /**
         * Whether the Vector API computes each full-window output row's interior columns {@code [oxFrom, oxTo)} with
         * the 3x3 loop ({@link VectorDepthwise#row3x3}): a 3x3 filter, whole vectors of channels, the row output.
         */
        final boolean window3x3;
        final int oxFrom, oxTo;
        /** Expanded input values per input row, and each input column's offset in its row ({@link #slot}). */
        private final int slotRow;
        private final int[] slotColumn;

        Depthwise(DepthwiseConv2D.Params p, boolean floating, boolean rowForm, boolean rowOutput, int planeCount, int planeLength) {
            super(p.geometry(), p.input(), p.output(), accLength(p, floating, rowForm, rowOutput), floating,
                    floating && rowForm ? p.geometry().filterWidth() : 0, floating && rowForm ? p.geometry().outWidth() * p.geometry().outDepth() : 0,
                    planeCount, planeLength);
            this.rowOutput = rowOutput;
            window3x3 = FastLoops.VECTOR_API && rowOutput && !rowForm && fh == 3 && fw == 3 && outD % LANES == 0;
            int from = 0;
            while (from < outW && !(fxLo[from] == 0 && fxHi[from] == fw)) from++;
            int to = from;
            while (to < outW && fxLo[to] == 0 && fxHi[to] == fw) to++;
            oxFrom = from;
            oxTo = to;
            mult = p.depthMultiplier();
            yStep = dilH * inW * outD;
            xStep = dilW * outD;
            this.rowForm = rowForm;
            taps = rowForm ? null : tapTable(1, yStep, xStep, outD, 0);
            rowN = outW * outD;
            rowAt = floating || rowOutput ? 0 : padded(outD);
            phaseCols = (inW + strideW - 1) / strideW;
            inRow = strideW * phaseCols * outD;
            tapX = new int[fw];
            tapLo = new int[fw];
            tapHi = new int[fw];
            for (int fx = 0; fx < fw; fx++) {
                int e = fx * dilW - padW, lo = 0, hi = outW;
                while (lo < outW && lo * strideW + e < 0) lo++;
                while (hi > lo && (hi - 1) * strideW + e >= inW) hi--;
                tapLo[fx] = lo;
                tapHi[fx] = hi;
                tapX[fx] = (Math.floorMod(e, strideW) * phaseCols + Math.floorDiv(e, strideW)) * outD;
            }
            int[] gf = new int[fw], gs = new int[fw];
            int groups = 0;
            for (int fx = 0; fx < fw; ) {
                if (tapLo[fx] >= tapHi[fx]) {
                    fx++;
                    continue;
                }
                int size = 1;
                while (size < 3 && fx + size < fw && tapLo[fx + size] == tapLo[fx] && tapHi[fx + size] == tapHi[fx]) size++;
                gf[groups] = fx;
                gs[groups++] = size;
                fx += size;
            }
            groupFx = java.util.Arrays.copyOf(gf, groups);
            groupSize = java.util.Arrays.copyOf(gs, groups);
            slotRow = rowForm ? inRow : inW * outD;
            slotColumn = new int[inW];
            for (int ix = 0; ix < inW; ix++) slotColumn[ix] = (rowForm ? (ix % strideW) * phaseCols + ix / strideW : ix) * outD;
        }

        /** Whether the scalar row form runs for {@code p} (no Vector API, tiled weights within {@link #ROW_FORM_LIMIT}). */
        static boolean rowForm(DepthwiseConv2D.Params p) {
            ConvGeometry g = p.geometry();
            return !FastLoops.VECTOR_API && (long) g.filterHeight() * g.filterWidth() * g.outWidth() * g.outDepth() <= ROW_FORM_LIMIT;
        }

        /**
         * Scratch per thread: a pixel's sums (int8: for the per-pixel output stage) and the row form's row sums; with
         * the row output, a row's sums plus a vector's slack (a pixel's last vector runs past its channels).
         */
        private static int accLength(DepthwiseConv2D.Params p, boolean floating, boolean rowForm, boolean rowOutput) {
            ConvGeometry g = p.geometry();
            int rowN = g.outWidth() * g.outDepth(), row = rowForm ? rowN : 0;
            if (rowOutput) return Math.max(padded(rowN) + LANES, padded(g.outDepth()));
            return floating ? Math.max(row, padded(g.outDepth())) : padded(g.outDepth()) + row;
        }

        /** Length of the expanded input in the eval's layout, plus a vector's slack. */
        final int expandedLength() {
            return (rowForm ? batches * inH * inRow : batches * inH * inW * outD) + LANES;
        }

        /** Index in the expanded input of input pixel (row {@code by} over all batches, column {@code ix}), channel 0. */
        final int slot(int by, int ix) { return by * slotRow + slotColumn[ix]; }

        /** Whether the expanded input is the input's own order (one value per channel, NHWC columns in order). */
        final boolean plainLoad() { return mult == 1 && (!rowForm || strideW == 1); }

        /** A tiled copy of {@code n}-per-filter-tap values: {@code [tap][ox][c]} for the row form. */
        final int tiled(int tap, int ox, int c) { return (tap * outW + ox) * outD + c; }

        @Override
        final void evalRows(int from, int to, Scratch s) {
            for (int r = from; r < to; r++) {
                if (rowForm) {
                    row(r, s);
                    continue;
                }
                int oy = r % outH, origin = rowOrigin(r, outD), outPixel = r * outW;
                if (!rowOutput) {
                    for (int ox = 0; ox < outW; ox++) pixel(origin + ox * strideW * outD, oy, ox, outPixel + ox, s);
                    continue;
                }
                // pixel by pixel in column order: a pixel's last vector may run into the next pixel's sums, written after
                int a0 = outW, a1 = outW;
                if (window3x3 && fyLo[oy] == 0 && fyHi[oy] == fh) {
                    a0 = oxFrom;
                    a1 = oxTo;
                }
                for (int ox = 0; ox < a0; ox++) sums(origin + ox * strideW * outD, oy, ox, ox * outD, s);
                if (a0 < a1) interior(origin, a0, a1, s);
                for (int ox = a1; ox < outW; ox++) sums(origin + ox * strideW * outD, oy, ox, ox * outD, s);
                rowOutputs(r, s);
            }
        }

        /** Row output: pixel (oy, ox)'s sums (tap (0, 0) at {@code base} in the expanded input) at {@code at} in the row's sums. */
        abstract void sums(int base, int oy, int ox, int at, Scratch s);

        /** Row output: the sums of columns {@code [from, to)} of a row whose taps are all valid there ({@link #window3x3}). */
        abstract void interior(int origin, int from, int to, Scratch s);

        /** Row output: output row {@code r} from the row's sums. */
        abstract void rowOutputs(int r, Scratch s);

        /** Row form: output row {@code r} (row {@code r % outH} of batch {@code r / outH}). */
        abstract void row(int r, Scratch s);

        /**
         * Pixel form: output pixel (oy, ox), flat index {@code outPixel} in the output; {@code base} is the expanded
         * input's index of its tap (0, 0) (only valid taps, {@code [fyLo[oy], fyHi[oy]) x [fxLo[ox], fxHi[ox])}, are read).
         */
        abstract void pixel(int base, int oy, int ox, int outPixel, Scratch s);
    }

    /** int8: sums start at the bias; integer sums are exact modulo 2^32, so any grouping gives the reference's bytes. */
    private static final class Int8 extends Depthwise {
        private final int inputOffset;
        private final ConvCommon.QuantParams quant;
        /** Weights: {@code [fy][fx][c]}, or tiled {@code [fy][fx][ox][c]} in the row form; the bias, also tiled there. */
        private final int[] weights, bias, x;
        /** The output stage per pixel, or (row output) over a row, its channel parameters tiled per output column. */
        private final ChannelRequant requant;

        /**
         * Whether the row form reads shifted input rows: per filter column fx and input row, the expanded values its
         * output columns read ({@code [tapLo[fx], tapHi[fx]) * outD}, zero outside) as an array indexed like the row's
         * sums, and the tiled weights as one array per tap, so each tap group is {@code acc[k] += w0[k] * x0[k] +
         * ...} over separate arrays at one index. JDK 17's C2 vectorises that; it does not vectorise {@link #row}'s
         * offset loop (a read of one int array at an offset from the store to another: it cannot rule out that they
         * overlap). Needs the row form with the row output stage.
         */
        private final boolean shifted;
        /** Shifted rows: per filter column fx and input row {@code by} over all batches, at {@code fx * batches * inH + by}. */
        private final int[][] shiftedRows;
        /** Shifted rows: the tiled weights of each tap {@code fy * fw + fx}, {@code [ox][c]}. */
        private final int[][] tapWeights;
        /** Shifted rows: the filter columns with valid output columns, in order. */
        private final int[] validFx;

        /**
         * Whether the shifted rows run in quads ({@link #quads(DepthwiseConv2D.Params)}): every row of {@code rowN}
         * values (shifted rows, tiled weights, bias, sums) stored as four lanes, value {@code k} at
         * {@code (k & 3) * rowN / 4 + (k >> 2)}, so the input's bytes come in as little-endian ints (one bulk copy) and
         * each lane is a sign-extending shift pair, and the output leaves as ints of four bytes, each a loop over
         * separate arrays at one index. JDK 17's C2 vectorises those; it does not vectorise a loop that widens bytes
         * to ints or narrows ints to bytes (the plain load's widening was about 1 ns a value, a third of the node).
         * The tap loops do not care in which order a row's values lie, as long as weights, bias and sums agree.
         */
        private final boolean quads;
        /** Quads: the output stage's {@link RequantLoops} operands per row value in the lanes' order. */
        private final RequantLoops.Operands quadPasses;
        /**
         * Quads: whether the output stage's product runs {@link RequantLoops#productNarrow} (every channel's sums below
         * {@link RequantLoops#NARROW_SUMS} in magnitude, bounded at prepare by the bias plus the largest input value times the
         * channel's weight magnitudes; no left shift; a non-negative multiplier), with the multipliers' three pieces
         * per row value; and whether every right shift is at most 16 ({@link RequantLoops#divideLow}). A channel of
         * multiplier 0 (QuantizeMultiplier flushes effective scales below 2^-32 to it) rescales every sum to 0, so it
         * counts as both whatever its bias, its shift taken as 0. Every quad layer of person_detect and KWS meets both,
         * VWW's but two (each with a channel whose right shift is 22, which also fails the bound).
         */
        private final boolean narrowStage, lowShifts;
        /**
         * Quads: whether the output stage's clamp takes {@link RequantLoops#clampSmall} (every rescaled value below 2^30
         * in magnitude: a {@link #narrowStage}, or a right shift of at least one for every live channel).
         */
        private final boolean smallStage;
        /** Quads with a {@link #narrowStage}: the multipliers per row value in pieces, else empty. */
        private final RequantLoops.NarrowMultipliers narrowPasses;
        /**
         * Quads, load: one input row as little-endian ints, the same in stride phases ({@link #slot}; strides across
         * above 1), and its four byte lanes plus the input offset.
         */
        private final int[] packedRow, phasedRow, lane0, lane1, lane2, lane3;
        private final IntView inputInts = new IntView(), outputInts = new IntView();

        Int8(DepthwiseConv2D.Params p, boolean rowForm, boolean rowOutput, boolean shifted) {
            super(p, false, rowForm, rowOutput, quadsOn(p, rowForm, rowOutput, shifted) ? 4 : 0,
                    p.geometry().outWidth() * p.geometry().outDepth() / 4);
            quads = quadsOn(p, rowForm, rowOutput, shifted);
            ConvCommon.QuantParams q = p.quant();
            quant = q;
            inputOffset = q.inputOffset();
            int tiles = rowOutput ? outW : 1;
            requant = new ChannelRequant(outD * tiles, tile(q.multiplier(), outD, tiles), tile(q.shift(), outD, tiles), q.outputOffset(),
                    q.min(), q.max());
            int[] b = FastLoops.intBias(p.bias(), outD);
            int filterSize = fh * fw * outD;
            int[] w = new int[filterSize];
            FastLoops.widen(p.filterData(), p.filterDataOffset(), filterSize, 0, w);
            if (rowForm) {
                weights = new int[fh * fw * rowN + LANES];
                bias = new int[rowN + LANES];
                for (int tap = 0; tap < fh * fw; tap++) {
                    for (int ox = 0; ox < outW; ox++) System.arraycopy(w, tap * outD, weights, tiled(tap, ox, 0), outD);
                }
                for (int ox = 0; ox < outW; ox++) System.arraycopy(b, 0, bias, ox * outD, outD);
            } else {
                weights = java.util.Arrays.copyOf(w, filterSize + LANES);
                bias = java.util.Arrays.copyOf(b, padded(outD));
            }
            x = new int[quads ? 0 : expandedLength()];
            this.shifted = shifted && rowForm && rowOutput;
            int nFx = 0;
            for (int fx = 0; fx < fw; fx++) if (tapLo[fx] < tapHi[fx]) nFx++;
            validFx = new int[nFx];
            for (int fx = 0, i = 0; fx < fw; fx++) if (tapLo[fx] < tapHi[fx]) validFx[i++] = fx;
            shiftedRows = this.shifted ? new int[fw * batches * inH][rowN] : null;
            tapWeights = this.shifted ? new int[fh * fw][] : null;
            if (this.shifted) for (int t = 0; t < fh * fw; t++) tapWeights[t] = quad(java.util.Arrays.copyOfRange(weights, t * rowN, t * rowN + rowN));
            int stage = quads ? rowN : 0, lane = quads ? inRow / 4 : 0;
            quadPasses = new RequantLoops.Operands(stage);
            packedRow = new int[quads ? inW * inD / 4 : 0];
            phasedRow = strideW > 1 ? new int[lane] : packedRow;
            lane0 = new int[lane];
            lane1 = new int[lane];
            lane2 = new int[lane];
            lane3 = new int[lane];
            boolean narrow = quads, low = quads, rightShifts = quads;
            int maxX = Math.max(Math.abs(-128 + inputOffset), Math.abs(127 + inputOffset));
            for (int c = 0; c < outD && quads; c++) {
                long sum = Math.abs((long) b[c]);
                for (int t = 0; t < fh * fw; t++) sum += (long) Math.abs(w[t * outD + c]) * maxX;
                boolean dead = ChannelRequant.rescalesToZero(q.multiplier()[c], q.shift()[c]);   // narrow, its shift taken as 0
                narrow &= dead || sum < RequantLoops.NARROW_SUMS && q.shift()[c] <= 0 && q.multiplier()[c] > 0;
                low &= dead || q.shift()[c] >= -16;
                rightShifts &= dead || q.shift()[c] <= -1;
            }
            narrowStage = narrow;
            lowShifts = low;
            smallStage = (narrow || rightShifts) && Math.abs(q.outputOffset()) < 1 << 16 && Math.abs(q.min()) < 1 << 16
                    && Math.abs(q.max()) < 1 << 16;
            narrowPasses = new RequantLoops.NarrowMultipliers(narrow ? rowN : 0);
            if (!quads) return;
            System.arraycopy(quad(java.util.Arrays.copyOf(bias, rowN)), 0, bias, 0, rowN);
            int[] m = quad(tile(q.multiplier(), outD, outW)), sh = quad(tile(q.shift(), outD, outW));
            for (int k = 0; k < rowN; k++) quadPasses.set(k, m[k], ChannelRequant.rescalesToZero(m[k], sh[k]) ? 0 : sh[k]);
            for (int k = 0; k < narrowPasses.m0.length; k++) narrowPasses.set(k, m[k]);
        }

        /**
         * Whether an int8 node with shifted rows may run them in quads: depth multiplier 1, channels a multiple of 4
         * (so a filter column's shift and a column's stride phase slot are whole ints), and an output stage {@link RequantLoops}' passes
         * compute exactly (no multiplier of Integer.MIN_VALUE, no right shift over 31). On every JDK: JDK 21+ once ran
         * without quads (an early JDK 25 run had VWW int8 2,197 against 1,946 µs with them); with today's rows JDK 25
         * runs them as fast or faster (same runs, default flags: VWW int8 1,007 against 1,062 µs, person_detect 1,166
         * against 1,201).
         */
        static boolean quads(DepthwiseConv2D.Params p) {
            ConvGeometry g = p.geometry();
            if (p.variant() != DepthwiseConv2D.Variant.INT8 || p.depthMultiplier() != 1 || g.inDepth() % 4 != 0) return false;
            ConvCommon.QuantParams q = p.quant();
            for (int c = 0; c < g.outDepth(); c++) if (q.multiplier()[c] == Integer.MIN_VALUE || q.shift()[c] < -31) return false;
            return true;
        }

        private static boolean quadsOn(DepthwiseConv2D.Params p, boolean rowForm, boolean rowOutput, boolean shifted) {
            return shifted && rowForm && rowOutput && quads(p);
        }

        /** A row of {@code rowN} values in the quads' order (the row itself when not in quads). */
        private int[] quad(int[] row) {
            if (!quads) return row;
            int[] q = new int[row.length];
            int n4 = rowN >> 2;
            for (int k = 0; k < rowN; k++) q[(k & 3) * n4 + (k >> 2)] = row[k];
            return q;
        }

        @Override
        void load() {
            if (quads) {
                loadQuads();
                return;
            }
            expand();
            if (!shifted) return;
            int n = outD, rows = batches * inH;
            for (int fx : validFx) {
                int from = tapLo[fx] * n, len = (tapHi[fx] - tapLo[fx]) * n;
                for (int by = 0; by < rows; by++) System.arraycopy(x, by * inRow + tapX[fx] + from, shiftedRows[fx * rows + by], from, len);
            }
        }

        /**
         * Quads: each input row read as ints (in stride phases when the stride across is above 1: a column's
         * {@code inD / 4} ints to its slot), its byte lanes widened with the input offset, and each valid filter
         * column's run of every lane copied to its shifted row (zero outside the run stays zero).
         */
        private void loadQuads() {
            byte[] in = input.array();
            int rows = batches * inH, rowIn = inW * inD, n4 = rowIn >> 2, d4 = inD >> 2, lane = rowN >> 2, laneN = lane0.length;
            int[] packed = packedRow, phased = phasedRow;
            outputInts.prepare(output.array());
            for (int by = 0, off = input.offset(); by < rows; by++, off += rowIn) {
                inputInts.read(in, off, n4, packed);
                if (phased != packed) phases(packed, phased, d4);
                lanes(phased, laneN, inputOffset, lane0, lane1, lane2, lane3);
                for (int fx : validFx) {
                    int lo = tapLo[fx], len = (tapHi[fx] - lo) * d4, from = (tapX[fx] >> 2) + lo * d4, to = lo * d4;
                    int[] row = shiftedRows[fx * rows + by];
                    System.arraycopy(lane0, from, row, to, len);
                    System.arraycopy(lane1, from, row, to + lane, len);
                    System.arraycopy(lane2, from, row, to + 2 * lane, len);
                    System.arraycopy(lane3, from, row, to + 3 * lane, len);
                }
            }
        }

        /**
         * Each input column's {@code d4} ints of {@code packed} to its stride phase slot in {@code phased}, phase by
         * phase: columns {@code p, p + strideW, ...} of phase p go to consecutive slots, so both indices step by a
         * constant. Four ints a column (16 channels) are four plain moves: a loop over the columns in order, with the
         * slot looked up and an inner loop of one pass, ran at 3.4 ns a column (VWW's 48x48x16 stride-2 layer: 8 of its
         * 27 us); from 32 channels a column is one {@code System.arraycopy} (VWW's 24x24x32 stride-2 layer 11.0 us against
         * 12.3 with an inner loop of four moves a pass).
         */
        private void phases(int[] packed, int[] phased, int d4) {
            int end = inW * d4, step = strideW * d4;
            for (int p = 0; p < Math.min(strideW, inW); p++) {
                int to = slot(0, p) >> 2;
                if (d4 == 4) {
                    for (int from = 4 * p; from < end; from += step, to += 4) {
                        int a = packed[from], b = packed[from + 1], e = packed[from + 2], f = packed[from + 3];
                        phased[to] = a;
                        phased[to + 1] = b;
                        phased[to + 2] = e;
                        phased[to + 3] = f;
                    }
                } else if (d4 >= 8) {
                    for (int from = d4 * p; from < end; from += step, to += d4) System.arraycopy(packed, from, phased, to, d4);
                } else {
                    for (int from = d4 * p; from < end; from += step, to += d4) {
                        for (int c = 0; c < d4; c++) phased[to + c] = packed[from + c];
                    }
                }
            }
        }

        /** The four bytes of each little-endian int of {@code packed}, sign-extended, plus {@code offset}, one lane each. */
        private static void lanes(int[] packed, int n, int offset, int[] l0, int[] l1, int[] l2, int[] l3) {
            for (int j = 0; j < n; j++) {
                int v = packed[j];
                l0[j] = (v << 24 >> 24) + offset;
                l1[j] = (v << 16 >> 24) + offset;
                l2[j] = (v << 8 >> 24) + offset;
                l3[j] = (v >> 24) + offset;
            }
        }

        /**
         * Quads: output row {@code r} from its sums in {@code acc}: the output stage in {@link RequantLoops}' int
         * passes, the upper three lanes copied to the scratch's planes so the packing reads every array at one index,
         * then the row written as little-endian ints.
         */
        private void quadOutputs(int r, int[] acc, Scratch s) {
            int rn = rowN, n4 = rn >> 2;
            ConvCommon.QuantParams q = quant;
            RequantLoops.Operands o = quadPasses;
            if (narrowStage) RequantLoops.productNarrow(acc, rn, narrowPasses);
            else RequantLoops.highMul(acc, rn, o.pow2, o.multiplierLow, o.multiplierHigh);
            if (lowShifts) RequantLoops.divideLow(acc, rn, o.shiftLow, o.half, o.mask);
            else RequantLoops.divideByPot(acc, rn, o.shiftHigh, o.shiftLow, o.half, o.mask);
            if (smallStage) RequantLoops.clampSmall(acc, rn, q.outputOffset(), q.min(), q.max());
            else RequantLoops.offsetClamp(acc, rn, q.outputOffset(), q.min(), q.max());
            int[][] pl = s.planes;
            int[] l1 = pl[0], l2 = pl[1], l3 = pl[2], packed = pl[3];
            System.arraycopy(acc, n4, l1, 0, n4);
            System.arraycopy(acc, 2 * n4, l2, 0, n4);
            System.arraycopy(acc, 3 * n4, l3, 0, n4);
            FastLoops.pack(acc, l1, l2, l3, n4, packed);
            outputInts.write(packed, n4, output.array(), output.offset() + r * rn);
        }

        /** The input read into {@link #x} in the eval's layout, plus the input offset. */
        private void expand() {
            byte[] in = input.array();
            int off = input.offset();
            if (plainLoad()) {
                widen(in, off, batches * inH * inW * inD, inputOffset, x, 0);
                return;
            }
            if (mult == 1) {
                for (int by = 0, i = off; by < batches * inH; by++) {
                    for (int ix = 0; ix < inW; ix++, i += inD) widen(in, i, inD, inputOffset, x, slot(by, ix));
                }
                return;
            }
            for (int by = 0, i = off; by < batches * inH; by++) {
                for (int ix = 0; ix < inW; ix++) {
                    for (int ic = 0, o = slot(by, ix); ic < inD; ic++, i++) {
                        int v = in[i] + inputOffset;
                        for (int m = 0; m < mult; m++) x[o++] = v;
                    }
                }
            }
        }

        @Override
        void row(int r, Scratch s) {
            if (shifted) {
                shiftedRow(r, s);
                return;
            }
            int[] acc = s.ints, w = weights, x = this.x;
            int n = outD, rn = rowN, a = rowAt, b = r / outH, oy = r % outH;
            System.arraycopy(bias, 0, acc, a, rn);
            for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                int xRow = (b * inH + oy * strideH - padH + fy * dilH) * inRow, wRow = fy * fw * rn;
                for (int g = 0; g < groupFx.length; g++) {
                    int f = groupFx[g], lo = a + tapLo[f] * n, hi = a + tapHi[f] * n;
                    int x0 = xRow + tapX[f] - a, w0 = wRow + f * rn - a;
                    switch (groupSize[g]) {
                        case 3 -> {
                            int x1 = xRow + tapX[f + 1] - a, x2 = xRow + tapX[f + 2] - a, w1 = w0 + rn, w2 = w1 + rn;
                            for (int k = lo; k < hi; k++) acc[k] += w[w0 + k] * x[x0 + k] + w[w1 + k] * x[x1 + k] + w[w2 + k] * x[x2 + k];
                        }
                        case 2 -> {
                            int x1 = xRow + tapX[f + 1] - a, w1 = w0 + rn;
                            for (int k = lo; k < hi; k++) acc[k] += w[w0 + k] * x[x0 + k] + w[w1 + k] * x[x1 + k];
                        }
                        default -> {
                            for (int k = lo; k < hi; k++) acc[k] += w[w0 + k] * x[x0 + k];
                        }
                    }
                }
            }
            byte[] oa = output.array();
            if (rowOutput) {
                requant.apply(acc, s.longs, oa, output.offset() + r * rn);
                return;
            }
            for (int ox = 0, outPos = output.offset() + r * rn; ox < outW; ox++, outPos += n) {
                System.arraycopy(acc, a + ox * n, acc, 0, n);
                requant.apply(acc, s.longs, oa, outPos);
            }
        }

        /** {@link #row} over the shifted rows: every valid tap over the whole row, up to three filter columns per pass. */
        private void shiftedRow(int r, Scratch s) {
            int[] acc = s.ints;
            int rn = rowN, b = r / outH, oy = r % outH, rows = batches * inH, nFx = validFx.length;
            System.arraycopy(bias, 0, acc, 0, rn);
            for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                int by = b * inH + oy * strideH - padH + fy * dilH, t = fy * fw;
                int i = 0;
                for (; i + 3 <= nFx; i += 3) {
                    int f0 = validFx[i], f1 = validFx[i + 1], f2 = validFx[i + 2];
                    taps(acc, rn, tapWeights[t + f0], shiftedRows[f0 * rows + by], tapWeights[t + f1], shiftedRows[f1 * rows + by],
                            tapWeights[t + f2], shiftedRows[f2 * rows + by]);
                }
                if (nFx - i == 2) {
                    int f0 = validFx[i], f1 = validFx[i + 1];
                    taps(acc, rn, tapWeights[t + f0], shiftedRows[f0 * rows + by], tapWeights[t + f1], shiftedRows[f1 * rows + by]);
                } else if (nFx - i == 1) {
                    int f0 = validFx[i];
                    taps(acc, rn, tapWeights[t + f0], shiftedRows[f0 * rows + by]);
                }
            }
            if (quads) quadOutputs(r, acc, s);
            else requant.apply(acc, s.longs, output.array(), output.offset() + r * rn);
        }

        /** {@code acc[k] += w0[k] * x0[k] + w1[k] * x1[k] + w2[k] * x2[k]} for {@code k < n}. */
        private static void taps(int[] acc, int n, int[] w0, int[] x0, int[] w1, int[] x1, int[] w2, int[] x2) {
            for (int k = 0; k < n; k++) acc[k] += w0[k] * x0[k] + w1[k] * x1[k] + w2[k] * x2[k];
        }

        /** {@code acc[k] += w0[k] * x0[k] + w1[k] * x1[k]} for {@code k < n}. */
        private static void taps(int[] acc, int n, int[] w0, int[] x0, int[] w1, int[] x1) {
            for (int k = 0; k < n; k++) acc[k] += w0[k] * x0[k] + w1[k] * x1[k];
        }

        /** {@code acc[k] += w0[k] * x0[k]} for {@code k < n}. */
        private static void taps(int[] acc, int n, int[] w0, int[] x0) {
            for (int k = 0; k < n; k++) acc[k] += w0[k] * x0[k];
        }

        @Override
        void pixel(int base, int oy, int ox, int outPixel, Scratch s) {
            int[] acc = s.ints;
            int n = outD;
            if (FastLoops.VECTOR_API) {
                int k = taps.of(oy, ox);
                VectorDepthwise.pixel(weights, x, bias, acc, 0, n, base, taps.x()[k], taps.w()[k]);
            } else {
                System.arraycopy(bias, 0, acc, 0, n);
                int[] w = weights, x = this.x;
                for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                    for (int fx = fxLo[ox], fx1 = fxHi[ox]; fx < fx1; fx++) {
                        int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * n;
                        for (int c = 0; c < n; c++) acc[c] += w[wb + c] * x[xb + c];
                    }
                }
            }
            requant.apply(acc, s.longs, output.array(), output.offset() + outPixel * n);
        }

        @Override
        void sums(int base, int oy, int ox, int at, Scratch s) {
            int[] acc = s.ints;
            int n = outD;
            if (FastLoops.VECTOR_API) {
                int k = taps.of(oy, ox);
                VectorDepthwise.pixel(weights, x, bias, acc, at, n, base, taps.x()[k], taps.w()[k]);
                return;
            }
            System.arraycopy(bias, 0, acc, at, n);
            int[] w = weights, x = this.x;
            for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                for (int fx = fxLo[ox], fx1 = fxHi[ox]; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * n;
                    for (int c = 0; c < n; c++) acc[at + c] += w[wb + c] * x[xb + c];
                }
            }
        }

        @Override
        void interior(int origin, int from, int to, Scratch s) {
            VectorDepthwise.row3x3(weights, x, bias, s.ints, outD, origin, strideW * outD, yStep, xStep, from, to);
        }

        @Override
        void rowOutputs(int r, Scratch s) {
            requant.apply(s.ints, s.longs, output.array(), output.offset() + r * rowN);
        }
    }

    /**
     * float32: every output adds its valid taps in the reference's (filterY, filterX) order from 0, then the bias; a
     * tap group adds its taps one after another in that order ({@code ((acc + p0) + p1) + p2}, no fused multiply-add).
     *
     * <p>The row form runs each filter row over the output row's column segments (maximal runs of output columns with
     * the same valid filter columns), up to three taps per pass, with every array indexed by {@code ox * outD + c}
     * alone: the weights tiled per tap as one array each, and per filter row each valid tap's input run copied into
     * the thread's scratch rows. JDK 17's C2 does not vectorise a loop whose float arrays are read at different
     * offsets (the earlier single-array form ran VWW float's depthwise layers at 1.5 GMAC/s, scalar).
     */
    private static final class Float32 extends Depthwise {
        private final float min, max;
        /** Pixel form: the weights {@code [fy][fx][c]} (null in the row form); the bias, tiled per output column for a row-wide output. */
        private final float[] weights, bias, x;
        /** Row form: tap {@code fy * fw + fx}'s weights tiled per output column, {@code [ox][c]} (null in the pixel form). */
        private final float[][] tapWeights;
        /**
         * Row form: the column segments as sum index ranges {@code [segFrom, segTo)} with valid filter columns
         * {@code [segFx0, segFx1)}. With finite weights, one segment of the whole row and every filter column: a tap's
         * row copy ({@link ConvWindow.Scratch#rows}) holds zeros where it falls outside the input, and {@code 0 * w}
         * changes no sum that starts at +0.0 (see {@link FastLoops#floatOutputs}), so the edge columns' short scalar
         * loops (12% of VWW float's first depthwise layer) join the row's.
         */
        private final int[] segFrom, segTo, segFx0, segFx1;
        /** The input read in bulk; strided row forms: one input row before it goes to its slots. */
        private final FloatRead reader = new FloatRead();
        private final float[] inputRow;

        Float32(DepthwiseConv2D.Params p, boolean rowForm, boolean rowOutput) {
            super(p, true, rowForm, rowOutput, 0, 0);
            min = p.floatMin();
            max = p.floatMax();
            float[] b = FastLoops.floatBias(p.bias(), outD);
            int filterSize = fh * fw * outD;
            float[] w = new float[filterSize];
            FastLoops.floats(p.filter().array(), p.filter().offset(), filterSize, w);
            if (rowForm) {
                weights = null;
                tapWeights = new float[fh * fw][rowN];
                bias = new float[rowN + LANES];
                for (int tap = 0; tap < fh * fw; tap++) {
                    for (int ox = 0; ox < outW; ox++) System.arraycopy(w, tap * outD, tapWeights[tap], ox * outD, outD);
                }
                for (int ox = 0; ox < outW; ox++) System.arraycopy(b, 0, bias, ox * outD, outD);
                boolean whole = true;
                for (float v : w) whole &= Float.isFinite(v);
                int count = 0;
                for (int ox = 0; ox < outW; ox++) if (ox == 0 || fxLo[ox] != fxLo[ox - 1] || fxHi[ox] != fxHi[ox - 1]) count++;
                if (whole) count = 1;
                segFrom = new int[count];
                segTo = new int[count];
                segFx0 = new int[count];
                segFx1 = new int[count];
                for (int ox = 0, k = -1; ox < outW && !whole; ox++) {
                    if (ox == 0 || fxLo[ox] != fxLo[ox - 1] || fxHi[ox] != fxHi[ox - 1]) {
                        k++;
                        segFrom[k] = ox * outD;
                        segFx0[k] = fxLo[ox];
                        segFx1[k] = fxHi[ox];
                    }
                    segTo[k] = (ox + 1) * outD;
                }
                if (whole) {
                    segTo[0] = rowN;
                    segFx1[0] = fw;
                }
            } else {
                tapWeights = null;
                segFrom = segTo = segFx0 = segFx1 = null;
                weights = java.util.Arrays.copyOf(w, filterSize + LANES);
                bias = rowOutput ? new float[rowN] : b;
                if (rowOutput) for (int ox = 0; ox < outW; ox++) System.arraycopy(b, 0, bias, ox * outD, outD);
            }
            x = new float[expandedLength()];
            inputRow = new float[plainLoad() || mult != 1 ? 0 : inW * inD];
        }

        @Override
        void load() {
            byte[] in = input.array();
            int off = input.offset();
            if (plainLoad()) {
                reader.read(in, off, batches * inH * inW * inD, x, 0);
                return;
            }
            if (mult == 1) {
                // an input row in bulk, then its columns to their stride phase slots
                float[] row = inputRow;
                for (int by = 0, i = off; by < batches * inH; by++, i += 4 * inW * inD) {
                    reader.read(in, i, inW * inD, row, 0);
                    phases(row, by);
                }
                return;
            }
            for (int by = 0, i = off; by < batches * inH; by++) {
                for (int ix = 0; ix < inW; ix++) {
                    for (int ic = 0, o = slot(by, ix); ic < inD; ic++, i += 4) {
                        float v = LittleEndian.getFloat(in, i);
                        for (int m = 0; m < mult; m++) x[o++] = v;
                    }
                }
            }
        }

        /**
         * Input row {@code by}'s columns to their stride phase slots, phase by phase: columns {@code p, p + strideW, ...}
         * of phase p go to consecutive slots, so both indices step by a constant. Under 32 channels a column is moved
         * four values a pass; a {@code System.arraycopy} per column, looked up by {@link #slot}, was a third of VWW
         * float's 48x48x16 stride-2 layer.
         */
        private void phases(float[] row, int by) {
            float[] x = this.x;
            int n = inD, end = inW * n, step = strideW * n;
            for (int p = 0; p < Math.min(strideW, inW); p++) {
                int to = slot(by, p);
                if (n >= 32) {
                    for (int from = n * p; from < end; from += step, to += n) System.arraycopy(row, from, x, to, n);
                } else if (n % 4 == 0) {
                    for (int from = n * p; from < end; from += step, to += n) {
                        for (int c = 0; c < n; c += 4) {
                            float a = row[from + c], b = row[from + c + 1], e = row[from + c + 2], f = row[from + c + 3];
                            x[to + c] = a;
                            x[to + c + 1] = b;
                            x[to + c + 2] = e;
                            x[to + c + 3] = f;
                        }
                    }
                } else {
                    for (int from = n * p; from < end; from += step, to += n) {
                        for (int c = 0; c < n; c++) x[to + c] = row[from + c];
                    }
                }
            }
        }

        @Override
        void row(int r, Scratch s) {
            float[] acc = s.floats, x = this.x;
            float[][] xs = s.rows, ws = tapWeights;
            int n = outD, rn = rowN, b = r / outH, oy = r % outH, fyFirst = fyLo[oy], fy1 = fyHi[oy];
            if (fyFirst >= fy1) java.util.Arrays.fill(acc, 0, rn, 0f);
            for (int fy = fyFirst; fy < fy1; fy++) {
                int xRow = (b * inH + oy * strideH - padH + fy * dilH) * inRow, tap0 = fy * fw;
                for (int fx = 0; fx < fw; fx++) {
                    int lo = tapLo[fx] * n, hi = tapHi[fx] * n;
                    if (lo < hi) System.arraycopy(x, xRow + tapX[fx] + lo, xs[fx], lo, hi - lo);
                }
                for (int g = 0; g < segFrom.length; g++) {
                    int from = segFrom[g], to = segTo[g], f = segFx0[g], f1 = segFx1[g];
                    boolean first = fy == fyFirst;
                    if (f >= f1 && first) java.util.Arrays.fill(acc, from, to, 0f);
                    while (f < f1) {
                        int size = Math.min(3, f1 - f);
                        float[] x0 = xs[f], w0 = ws[tap0 + f];
                        if (size == 3) {
                            float[] x1 = xs[f + 1], w1 = ws[tap0 + f + 1], x2 = xs[f + 2], w2 = ws[tap0 + f + 2];
                            if (first) {
                                for (int k = from; k < to; k++) acc[k] = 0f + x0[k] * w0[k] + x1[k] * w1[k] + x2[k] * w2[k];
                            } else {
                                for (int k = from; k < to; k++) acc[k] = acc[k] + x0[k] * w0[k] + x1[k] * w1[k] + x2[k] * w2[k];
                            }
                        } else if (size == 2) {
                            float[] x1 = xs[f + 1], w1 = ws[tap0 + f + 1];
                            if (first) {
                                for (int k = from; k < to; k++) acc[k] = 0f + x0[k] * w0[k] + x1[k] * w1[k];
                            } else {
                                for (int k = from; k < to; k++) acc[k] = acc[k] + x0[k] * w0[k] + x1[k] * w1[k];
                            }
                        } else if (first) {
                            for (int k = from; k < to; k++) acc[k] = 0f + x0[k] * w0[k];
                        } else {
                            for (int k = from; k < to; k++) acc[k] = acc[k] + x0[k] * w0[k];
                        }
                        f += size;
                        first = false;
                    }
                }
            }
            FastLoops.floatOutputs(acc, bias, rn, min, max);
            s.out.write(acc, 0, rn, output.array(), output.offset() + 4 * r * rn);
        }

        @Override
        void pixel(int base, int oy, int ox, int outPixel, Scratch s) {
            float[] acc = s.floats, w = weights, x = this.x;
            byte[] oa = output.array();
            int n = outD, outPos = output.offset() + 4 * outPixel * n;
            if (FastLoops.VECTOR_API) {
                int k = taps.of(oy, ox);
                VectorDepthwise.pixel(w, x, acc, 0, n, base, taps.x()[k], taps.w()[k]);
                VectorConv.floatOutputs(acc, bias, n, min, max, oa, outPos);
                return;
            }
            java.util.Arrays.fill(acc, 0, n, 0f);
            for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                for (int fx = fxLo[ox], fx1 = fxHi[ox]; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * n;
                    for (int c = 0; c < n; c++) acc[c] = acc[c] + x[xb + c] * w[wb + c];
                }
            }
            FastLoops.floatOutputs(acc, bias, n, min, max);
            s.out.write(acc, 0, n, oa, outPos);
        }

        @Override
        void sums(int base, int oy, int ox, int at, Scratch s) {
            float[] acc = s.floats, w = weights, x = this.x;
            int n = outD;
            if (FastLoops.VECTOR_API) {
                int k = taps.of(oy, ox);
                VectorDepthwise.pixel(w, x, acc, at, n, base, taps.x()[k], taps.w()[k]);
                return;
            }
            java.util.Arrays.fill(acc, at, at + n, 0f);
            for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                for (int fx = fxLo[ox], fx1 = fxHi[ox]; fx < fx1; fx++) {
                    int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * n;
                    for (int c = 0; c < n; c++) acc[at + c] = acc[at + c] + x[xb + c] * w[wb + c];
                }
            }
        }

        @Override
        void interior(int origin, int from, int to, Scratch s) {
            VectorDepthwise.row3x3(weights, x, s.floats, outD, origin, strideW * outD, yStep, xStep, from, to);
        }

        @Override
        void rowOutputs(int r, Scratch s) {
            float[] acc = s.floats;
            byte[] oa = output.array();
            int outPos = output.offset() + 4 * r * rowN;
            if (FastLoops.VECTOR_API) {
                VectorConv.floatOutputs(acc, bias, rowN, min, max, oa, outPos);
                return;
            }
            FastLoops.floatOutputs(acc, bias, rowN, min, max);
            s.out.write(acc, 0, rowN, oa, outPos);
        }
    }

    /**
     * Little-endian int32 runs of a byte array in bulk, through an {@link java.nio.IntBuffer} view (one copy of memory,
     * as {@link FloatRead}), made once per array ({@link #prepare}, before any thread uses it) and kept while the array
     * stays the same; runs at an offset that is not a multiple of 4 go value by value.
     */
    private static final class IntView {
        private byte[] array;
        private java.nio.IntBuffer view;

        /** Makes the view of {@code a} unless it has it. */
        void prepare(byte[] a) {
            if (a == array) return;
            view = java.nio.ByteBuffer.wrap(a).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer();
            array = a;
        }

        /** {@code dst[i]} = the little-endian int at {@code a[off + 4 i]} for {@code i < n}. */
        void read(byte[] a, int off, int n, int[] dst) {
            if ((off & 3) != 0) {
                for (int i = 0; i < n; i++) dst[i] = LittleEndian.getInt(a, off + 4 * i);
                return;
            }
            prepare(a);
            view.get(off >> 2, dst, 0, n);
        }

        /** The little-endian int at {@code a[off + 4 i]} = {@code src[i]} for {@code i < n}; the view prepared for {@code a}. */
        void write(int[] src, int n, byte[] a, int off) {
            if ((off & 3) != 0 || a != array) {
                for (int i = 0; i < n; i++) LittleEndian.putInt(a, off + 4 * i, src[i]);
                return;
            }
            view.put(off >> 2, src, 0, n);
        }
    }
}
