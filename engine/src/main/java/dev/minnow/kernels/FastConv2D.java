package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * CONV_2D with fast loops for int8 and float32 nodes with constant weights and bias, one group, strides and dilations
 * of at least 1; the other nodes, and every node when the interpreter asks for reference kernels, run
 * {@link Conv2D}'s reference loops. Same prepare ({@link Conv2D#prepareParams}), same bytes.
 *
 * <p>At prepare: the weights transposed to {@code [filterY][filterX][inChannel][outChannel]} int or float arrays, the
 * valid filter taps of every output row and column ({@link ConvWindow}: no bounds check per tap). Each invoke widens
 * the input once (int8: plus the input offset) and, per output pixel, runs {@code acc[oc] += w[tap][ic][oc] *
 * x[tap][ic]} over the valid taps in the reference's (filterY, filterX, inChannel) order with the output channel
 * innermost: on the Vector API ({@link FastLoops#VECTOR_API}) as {@link VectorConv}'s loops, the sums in registers and
 * each input value broadcast (the output channels padded to whole vectors), neighbouring pixels with the same valid taps
 * in fours ({@link VectorConv#conv4}, up to 16 channels) or pairs ({@link VectorConv#conv2}) sharing each weight
 * vector load, then the int8 output stage on whole vectors ({@link VectorConv#requantize}); otherwise, for int8 nodes
 * with at least as many output pixels as channels, pixel-innermost over a tile of rows (the input laid out as one plane
 * per filter term, each output channel's sums over all the tile's pixels four terms a pass, then that channel's output
 * stage over the pixels, four channels at a time: {@link ChannelRequant#applyPlanes4}; filters above 1x1 copy each plane's runs from a stride-phase
 * int copy of the input made once per invoke); otherwise as scalar loops C2 vectorises (one array per weight row indexed by the output channel alone, four input
 * channels at a time, a filter row's valid taps as one run when there is no dilation across; with a multiple of four
 * input channels, four weights packed per int as {@link FastFullyConnected#packedColumns} reads them). int8 sums start
 * at the bias (exact modulo 2^32 in any order);
 * float sums start at 0, add the products in the reference's order and the bias last.
 */
public final class FastConv2D implements OpKernel {
    /** Prepares as {@link Conv2D}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        Conv2D.Params p = Conv2D.prepareParams(node);
        PreparedOp fast = null;
        if (node.useFastKernels()) {
            boolean planar = planarWithin(node, p);
            fast = of(p, planar, rowStage(p) && rowStageWithin(node, p, planar));
        }
        if (fast instanceof ConvWindow w) w.splitRows(node, (long) p.geometry().filterHeight() * p.geometry().filterWidth() * p.filterDepth());
        return fast != null ? fast : Conv2D.reference(p);
    }

    /**
     * Whether int8 node {@code p} may run its CHANNELS form's output stage once per output row (no Vector API, a 1x1
     * filter, {@code outW * outD} at most {@link #ROW_STAGE_LIMIT}) rather than once per pixel: per pixel, each of the stage's
     * passes over 128-256 channels spent much of its trip in C2's scalar pre- and post-loops (VWW int8's 6x6x128
     * pointwise layers: 5 of their ~37 µs in the stage). Each pixel's sums are copied into the row at {@code ox * outD}
     * (the packed loop indexes its sums by the channel alone, the form C2 vectorises) and the row goes through
     * {@link ChannelRequant#applyInts} once: 768 values a pass for VWW's and person_detect's 6x6x128 and 3x3x256 layers.
     * Larger filters keep the stage per pixel: with it for every filter, ResNet large int8 (3x3) and conv AE (1x7)
     * read 1-4% slower than main in most same-run A/B runs (within their noise, but not a gain). Reading a 1x1 filter's
     * input bytes in the packed loop instead of the widened int copy (packedColumns' byte form) was measured too and
     * left out: JDK 25 ran ResNet large int8 6% slower with it alone (5,322 against 5,012 µs; this stage alone 4,847).
     */
    private static boolean rowStage(Conv2D.Params p) {
        ConvGeometry g = p.geometry();
        return !FastLoops.VECTOR_API && p.variant() == Conv2D.Variant.INT8 && g.filterHeight() * g.filterWidth() == 1
                && (long) g.outWidth() * g.outDepth() <= ROW_STAGE_LIMIT;
    }

    /** Above this many values per output row ({@code outW * outD}) the CHANNELS form's output stage runs per pixel. */
    static final int ROW_STAGE_LIMIT = 1 << 14;

    /**
     * Whether the row-wide output stage's heap fits the node's prepare-time budget: the stage's operands tiled per
     * output column ({@link ChannelRequant}: fourteen int, three boolean and five long arrays) and each thread's row of sums; a node
     * refused runs the stage per pixel (same bytes).
     */
    private static boolean rowStageWithin(NodeContext node, Conv2D.Params p, boolean planar) {
        ConvGeometry g = p.geometry();
        long rowN = (long) g.outWidth() * g.outDepth(), threads = Math.max(1, node.threads());
        if (Int8.formOf(g, planar) != Int8.Form.CHANNELS) return false;
        return KernelUtil.tryReserveHeap(node, rowN * (14 * 4 + 3 + 5 * 8 + 4 * threads),
                "the fast convolution's output stage tiled per output column");
    }

    /** For each tap k, the outputs o with {@code lo[o] <= k < hi[o]} as a range {@code [from[k], to[k])} (contiguous, empty as 0, 0). */
    private static void validOutputs(int[] lo, int[] hi, int taps, int[] from, int[] to) {
        for (int k = 0; k < taps; k++) {
            int a = 0;
            while (a < lo.length && !(lo[a] <= k && k < hi[a])) a++;
            int e = a;
            while (e < lo.length && lo[e] <= k && k < hi[e]) e++;
            from[k] = a == lo.length ? 0 : a;
            to[k] = a == lo.length ? 0 : e;
        }
    }

    /** The fast eval of a prepared node, or null when it does not qualify. */
    public static PreparedOp of(Conv2D.Params p) { return of(p, true, rowStage(p)); }

    /**
     * Without the Vector API, float32 nodes with at most this many output channels and at least
     * {@link #PLANAR_MIN_PIXELS} output pixels, and twice as many pixels as output channels, run the planar form (see
     * {@code Float32}): their channel loops are too short for the channel-innermost form (VWW float's first layer, 3x3
     * stride 2 to 8 channels over 48x48 pixels, and its pointwise layers up to 32 channels ran about twice as fast,
     * same run; its 64-channel pointwise layers over 12x12 pixels 1.5-1.8x). Not below twice as many pixels as
     * channels: C2 unrolls a vectorised pixel loop to about 64-128 values a trip, so ResNet float's 64-channel layers
     * over 8x8 pixels, whose pixel loops run mostly in C2's scalar pre- and post-loops, were 1.8x slower planar. The
     * Vector API's channel loops were faster than the planar form on those layers, so it keeps them.
     */
    static final int PLANAR_MAX_OUT = 64;
    static final int PLANAR_MIN_PIXELS = 64;
    /** Above this many plane values ({@code fh * fw * inD} planes of all output pixels) the channel form runs. */
    static final long PLANAR_LIMIT = 1 << 20;

    /** Whether float32 node {@code p} qualifies for the planar form (its planes within {@link #PLANAR_LIMIT}). */
    static boolean floatPlanar(Conv2D.Params p) {
        ConvGeometry g = p.geometry();
        long pixels = (long) g.batches() * g.outHeight() * g.outWidth();
        return !FastLoops.VECTOR_API && p.variant() == Conv2D.Variant.FLOAT32 && g.outDepth() <= PLANAR_MAX_OUT
                && pixels >= Math.max(PLANAR_MIN_PIXELS, 2L * g.outDepth())
                && (long) g.filterHeight() * g.filterWidth() * g.inDepth() * pixels <= PLANAR_LIMIT
                && (long) g.outDepth() * pixels <= PLANAR_LIMIT;
    }

    /**
     * Whether a node that qualifies for a planar form may take it: its planes (int8: a tile of rows per thread, see
     * {@code Int8.planarRows}; float32: the planes of all output pixels and each thread's sums over them) are charged
     * to the node's prepare-time heap; when they do not fit the budget, the channel-innermost form runs instead.
     */
    private static boolean planarWithin(NodeContext node, Conv2D.Params p) {
        ConvGeometry g = p.geometry();
        int threads = Math.max(1, node.threads());
        long bytes;
        String what;
        if (p.variant() == Conv2D.Variant.INT8 && Int8.formOf(g, true) == Int8.Form.PLANAR) {
            bytes = 4L * ((Int8.planeCount(g) + Int8.QUAD_SUMS) * Int8.planarTileRows(g) * g.outWidth() * threads + Int8.columnInts(g));
            what = "the fast convolution's input planes";
        } else if (floatPlanar(p)) {
            bytes = Float32.planarBytes(g, threads);
            what = "the fast float convolution's input planes";
        } else {
            return true;
        }
        return KernelUtil.tryReserveHeap(node, bytes, what);
    }

    /** The fast eval of a prepared node, or null when it does not qualify; a node takes a planar form only when {@code planar}. */
    private static PreparedOp of(Conv2D.Params p, boolean planar, boolean rowStage) {
        ConvGeometry g = p.geometry();
        boolean constantWeights = p.unpackedFilter() != null || p.filter().isConstant();
        boolean simple = g.strideH() >= 1 && g.strideW() >= 1 && g.dilationH() >= 1 && g.dilationW() >= 1
                && p.filterDepth() == g.inDepth() && p.outputsPerGroup() == g.outDepth();
        // a filter of no taps has no elements whatever its other dimension, which no tensor size then bounds
        boolean work = g.batches() > 0 && g.outHeight() > 0 && g.outWidth() > 0 && g.outDepth() > 0 && g.inDepth() > 0
                && g.filterHeight() > 0 && g.filterWidth() > 0;
        if (!constantWeights || !FastLoops.fixed(p.bias()) || !simple || !work) return null;
        return switch (p.variant()) {
            case INT8 -> new Int8(p, planar, rowStage);
            case FLOAT32 -> new Float32(p, planar && floatPlanar(p));
            default -> null;
        };
    }

    /**
     * Filter element {@code i} of the {@code [outChannel][filterY][filterX][inChannel]} filter moved to
     * {@code [filterY][filterX][inChannel][outChannel]} with {@code outStride} output channels per input channel: its index there.
     */
    private static int transposed(int i, ConvWindow g, int outStride) {
        int ic = i % g.inD, rest = i / g.inD;
        int fx = rest % g.fw;
        rest /= g.fw;
        int fy = rest % g.fh, oc = rest / g.fh;
        return ((fy * g.fw + fx) * g.inD + ic) * outStride + oc;
    }

    /** The weights of {@code p} transposed with {@code outStride} output channels per input channel (zero past outD). */
    private static int[] intWeights(Conv2D.Params p, ConvWindow g, int outStride) {
        byte[] w = p.filterData();
        int wo = p.filterDataOffset(), size = g.outD * g.fh * g.fw * g.inD;
        int[] t = new int[size / g.outD * outStride];
        for (int i = 0; i < size; i++) t[transposed(i, g, outStride)] = w[wo + i];
        return t;
    }

    private static final class Int8 extends ConvWindow {
        /**
         * How the pixels run: Vector API broadcasts, scalar channel-innermost updates, or scalar pixel-innermost updates
         * over input planes ({@link #planarRows}).
         */
        enum Form { VECTOR, CHANNELS, PLANAR }

        /**
         * The planar form's plane budget: a tile of output rows takes at most this many plane ints (one per filter term
         * and pixel; 1 MB), at least one row. With 64 K ints ResNet large's 3x3x80 layers ran tiles of 80 pixels, and
         * the whole model was 1.16x slower than with these (same run, JDK 17 default); VWW and ResNet unchanged.
         */
        private static final int TILE_INTS = 256 * 1024;

        /**
         * The fewest output pixels (over all batches) for which the scalar loops (no Vector API) run pixel-innermost
         * ({@link Form#PLANAR}), and then only with at least as many pixels as output channels: a channel-innermost loop
         * over few channels spends its trip in C2's scalar pre- and post-loops, a pixel-innermost one over few pixels
         * too. Measured on the real models' layers (JDK 17, single op, same run): pixel-innermost 2-3.7x faster on VWW's
         * 8-32 channel layers at 24x24 to 48x48, 2x on 64 channels at 12x12, 1.2x on ResNet large's 3x3x40 at 32x32;
         * channel-innermost 1.6-2.4x faster on 128-160 channels at 6x6 and 8x8, and on the conv AE's 15- and 30-pixel rows.
         */
        static final int PLANAR_MIN_PIXELS = 32;

        /**
         * PLANAR form: the scratch planes past the filter terms, the sums of four output channels over the tile's
         * pixels, whose output stage stores four bytes a pixel at once ({@link ChannelRequant#applyPlanes4}).
         */
        static final int QUAD_SUMS = 4;

        private final int inputOffset, stride;
        /** PLANAR form: output rows per tile; per filter column fx, the output columns {@code [oxLo[fx], oxHi[fx])} it is valid for. */
        private final int tileRows;
        private final int[] oxLo, oxHi;
        /**
         * PLANAR form of filters with more than one tap: the input plus its offset, one array per input channel, each
         * input row's columns split by stride phase (row {@code (b * inH + iy) * strideW + ix % strideW}, column
         * {@code ix / strideW}, {@link #phaseWidth} columns a row), so that a plane's run of output columns for one tap
         * is one contiguous run here ({@link #fillPlanes} copies it with System.arraycopy); null otherwise.
         */
        private final int[][] columns;
        private final int phaseWidth;
        private final int[] weights, bias, x;
        /** CHANNELS form: the weights of tap (fy, fx) and input channel ic as row {@code (fy * fw + fx) * inD + ic}, outD long. */
        private final int[][] rows;
        /**
         * CHANNELS form with a multiple of 4 input channels, instead of {@link #rows}: the weights four
         * input channels to an int ({@link FastFullyConnected#packQuads} of the {@code [oc][fy][fx][ic]} filter), run
         * {@code (fy * fw + fx) * fw + count - 1} the quads of taps {@code fx .. fx + count - 1} of filter row fy, summed
         * by {@link FastFullyConnected#packedColumns}: the channel loop reads a quarter of the weight bytes (the late
         * pointwise layers' 32-256 KB of int weights were read from L2 once per pixel); null otherwise.
         */
        private final int[][][] packedRuns;
        private final ChannelRequant requant;
        /**
         * CHANNELS form with {@link #rowStage}: the output stage of a whole output row, its channel parameters tiled
         * per output column ({@code outW * outD} values), run once per row over the row's sums gathered in the
         * thread's scratch plane; null otherwise.
         */
        private final ChannelRequant rowRequant;
        private final Form form;
        private final TapTable taps;

        Int8(Conv2D.Params p, boolean planar, boolean rowStage) {
            this(p, formOf(p.geometry(), planar), planarTileRows(p.geometry()), rowStage && formOf(p.geometry(), planar) == Form.CHANNELS);
        }

        private Int8(Conv2D.Params p, Form form, int tileRows, boolean rowStage) {
            super(p.geometry(), p.input(), p.output(), Math.max(4 * padded(p.geometry().outDepth()), tileRows * p.geometry().outWidth()),
                    false, 0, 0, form == Form.PLANAR ? planeCount(p.geometry()) + QUAD_SUMS : rowStage ? 1 : 0,
                    form == Form.PLANAR ? tileRows * p.geometry().outWidth() : rowStage ? p.geometry().outWidth() * p.geometry().outDepth() : 0);
            ConvCommon.QuantParams q = p.quant();
            inputOffset = q.inputOffset();
            long[] bounds = sumBounds(p, outD);
            requant = new ChannelRequant(outD, q.multiplier(), q.shift(), q.outputOffset(), q.min(), q.max(), bounds);
            rowRequant = rowStage ? new ChannelRequant(outD * outW, FastDepthwiseConv2D.tile(q.multiplier(), outD, outW),
                    FastDepthwiseConv2D.tile(q.shift(), outD, outW),
                    q.outputOffset(), q.min(), q.max(), tile(bounds, outW)) : null;
            this.form = form;
            this.tileRows = tileRows;
            oxLo = new int[fw];
            oxHi = new int[fw];
            validOutputs(fxLo, fxHi, fw, oxLo, oxHi);
            stride = form == Form.VECTOR ? padded(outD) : outD;
            bias = java.util.Arrays.copyOf(FastLoops.intBias(p.bias(), outD), padded(outD));
            if (form == Form.PLANAR) {   // [oc][fy][fx][ic], each channel's row padded with zeros to planeCount terms
                int terms = terms(p.geometry()), padded = planeCount(p.geometry());
                weights = new int[outD * padded];
                for (int oc = 0; oc < outD; oc++) {
                    int[] row = new int[terms];
                    FastLoops.widen(p.filterData(), p.filterDataOffset() + oc * terms, terms, 0, row);
                    System.arraycopy(row, 0, weights, oc * padded, terms);
                }
            } else if (packed(form, inD)) {
                weights = null;
            } else {
                weights = intWeights(p, this, stride);
            }
            packedRuns = packed(form, inD) ? packedRuns(p) : null;
            rows = form == Form.CHANNELS && packedRuns == null ? FastLoops.rows(weights, outD) : null;
            x = form == Form.PLANAR ? new int[0] : new int[batches * inH * inW * inD];
            phaseWidth = (inW + strideW - 1) / strideW;
            columns = form == Form.PLANAR && fh * fw > 1 ? new int[inD][batches * inH * strideW * phaseWidth] : null;
            taps = form == Form.VECTOR ? tapTable(inD, dilH * inW * inD, dilW * inD, inD * stride, stride) : null;
        }

        /**
         * How a node of geometry {@code g} runs (see {@link Form}); the planar form only when {@code planar}. The same
         * scalar forms on every JDK: JDK 21+ once ran int8 filter rows as scalar dot products (their C2 keeps
         * vectorised int reductions in registers), but with today's planar and packed channel forms JDK 25 ran the
         * models faster without it (same runs, whole models, default flags: VWW int8 751 against 1,007 µs,
         * person_detect 755 against 1,166, ResNet large int8 4,412 against 5,191; only conv AE gained from it, 46.0
         * against 50.6).
         */
        static Form formOf(ConvGeometry g, boolean planar) {
            if (FastLoops.VECTOR_API) return Form.VECTOR;
            long pixels = (long) g.batches() * g.outHeight() * g.outWidth();
            return planar && pixels >= Math.max(PLANAR_MIN_PIXELS, g.outDepth()) ? Form.PLANAR : Form.CHANNELS;
        }

        /** Whether the CHANNELS form packs four weights an int ({@link #packedRuns}). */
        private static boolean packed(Form form, int inD) {
            return form == Form.CHANNELS && inD % 4 == 0;
        }

        /** {@link #packedRuns} of node {@code p}. */
        private int[][][] packedRuns(Conv2D.Params p) {
            int[][] quads = FastFullyConnected.packQuads(p.filterData(), p.filterDataOffset(), outD, fh * fw * inD);
            int[][][] runs = new int[fh * fw * fw][][];
            for (int tap = 0; tap < fh * fw; tap++) {
                for (int count = 1; count <= fw - tap % fw; count++) {
                    runs[tap * fw + count - 1] = java.util.Arrays.copyOfRange(quads, tap * inD / 4, (tap + count) * inD / 4);
                }
            }
            return runs;
        }

        /**
         * Per output channel, the largest magnitude its sums can reach (for {@link ChannelRequant}'s narrow passes): the
         * bias plus, per filter term, the larger (or smaller) of the weight times the lowest and the highest input
         * value plus the input offset, or 0 (a tap outside the input adds nothing). VWW int8's and person_detect's
         * pointwise layers stay below 2^20 but for the channels of multiplier 0, which are narrow anyway.
         */
        static long[] sumBounds(Conv2D.Params p, int outD) {
            int terms = terms(p.geometry()), off = p.quant().inputOffset();
            long lo = -128L + off, hi = 127L + off;
            int[] b = FastLoops.intBias(p.bias(), outD);
            byte[] w = p.filterData();
            long[] bound = new long[outD];
            for (int oc = 0; oc < outD; oc++) {
                long most = b[oc], least = b[oc];
                for (int t = 0, at = p.filterDataOffset() + oc * terms; t < terms; t++) {
                    long a = w[at + t] * lo, z = w[at + t] * hi;
                    most += Math.max(0, Math.max(a, z));
                    least += Math.min(0, Math.min(a, z));
                }
                bound[oc] = Math.max(Math.abs(most), Math.abs(least));
            }
            return bound;
        }

        /** {@code v} repeated {@code times} times. */
        private static long[] tile(long[] v, int times) {
            long[] t = new long[v.length * times];
            for (int i = 0; i < times; i++) System.arraycopy(v, 0, t, i * v.length, v.length);
            return t;
        }

        /** Filter terms per output: {@code fh * fw * inD}. */
        static int terms(ConvGeometry g) {
            return g.filterHeight() * g.filterWidth() * g.inDepth();
        }

        /**
         * The planar form's planes: the filter terms rounded up to a multiple of four, so every pass adds four terms; the
         * planes past the terms stay zero, as do their weights.
         */
        static int planeCount(ConvGeometry g) {
            return (terms(g) + 3) / 4 * 4;
        }

        /** The ints of the planar form's stride-phase input copy ({@link #columns}): 0 for 1x1 filters, which fill planes directly. */
        static long columnInts(ConvGeometry g) {
            if (g.filterHeight() * g.filterWidth() == 1) return 0;
            long phaseWidth = (g.inWidth() + g.strideW() - 1) / g.strideW();
            return (long) g.inDepth() * g.batches() * g.inHeight() * g.strideW() * phaseWidth;
        }

        /** Output rows per planar tile: as many as {@link #TILE_INTS} plane ints hold, at least one, at most all rows. */
        static int planarTileRows(ConvGeometry g) {
            long perRow = (long) terms(g) * g.outWidth();
            return (int) Math.max(1, Math.min((long) g.batches() * g.outHeight(), TILE_INTS / Math.max(1, perRow)));
        }

        @Override
        void load() {
            if (columns != null) loadColumns();
            else if (form != Form.PLANAR) FastLoops.widen(input.array(), input.offset(), x.length, inputOffset, x);
        }

        /**
         * The input plus its offset into {@link #columns}, once per invoke: each value is widened once here rather than
         * once per filter tap in {@link #fillPlanes} (a 3x3 filter read each value nine times, one scalar strided load
         * and store each; ResNet large spent 15% of its time there).
         */
        private void loadColumns() {
            byte[] in = input.array();
            int off = inputOffset, d = inD, s = strideW, cw = phaseWidth, step = s * d;
            for (int row = 0, rows = batches * inH; row < rows; row++) {
                int src = input.offset() + row * inW * d;
                for (int ph = 0; ph < s; ph++) {
                    int dst = (row * s + ph) * cw, count = (inW - ph + s - 1) / s, at = src + ph * d, ic = 0;
                    for (; ic + 3 < d; ic += 4) {
                        quadColumns(in, at + ic, step, count, off, columns[ic], columns[ic + 1], columns[ic + 2], columns[ic + 3], dst);
                    }
                    for (; ic < d; ic++) column(in, at + ic, step, count, off, columns[ic], dst);
                }
            }
        }

        /**
         * {@code col[dst + k] = in[at + k * step] + offset} for {@code k < n}: {@link #loadColumns}' run of one input
         * channel and stride phase as a counted loop, the byte index a second induction variable. Stepping the input
         * column by the stride itself ({@code ix += strideW}, a variable step) made C2 compile a loop it neither unrolls
         * nor rids of range checks: VWW int8's first layer (3x3 stride 2, three input channels) spent 46% of its time
         * there, 1.1 ns a value.
         */
        private static void column(byte[] in, int at, int step, int n, int offset, int[] col, int dst) {
            for (int k = 0, p = at; k < n; k++, p += step) col[dst + k] = in[p] + offset;
        }

        /** {@link #column} of four consecutive input channels, their bytes read as one little-endian int. */
        private static void quadColumns(byte[] in, int at, int step, int n, int offset, int[] l0, int[] l1, int[] l2, int[] l3, int dst) {
            for (int k = 0, p = at; k < n; k++, p += step) {
                int v = LittleEndian.getInt(in, p);
                l0[dst + k] = (v << 24 >> 24) + offset;
                l1[dst + k] = (v << 16 >> 24) + offset;
                l2[dst + k] = (v << 8 >> 24) + offset;
                l3[dst + k] = (v >> 24) + offset;
            }
        }

        @Override
        void evalRows(int from, int to, Scratch s) {
            byte[] oa = output.array();
            int[] acc = s.ints;
            int n = outD, yStep = dilH * inW * inD, xStep = dilW * inD, pixelStep = strideW * inD;
            if (form == Form.PLANAR) {
                planarRows(from, to, s);
                return;
            }
            for (int r = from; r < to; r++) {
                int oy = r % outH, fy0 = fyLo[oy], fy1 = fyHi[oy];
                int rowBase = rowOrigin(r, inD), outPos = output.offset() + r * outW * n;
                if (form == Form.VECTOR) {
                    vectorRow(oy, rowBase, outPos, s);
                    continue;
                }
                int[] rowSums = rowRequant != null ? s.planes[0] : null;
                for (int ox = 0; ox < outW; ox++, outPos += n) {
                    int base = rowBase + ox * pixelStep, fx0 = fxLo[ox], fx1 = fxHi[ox];
                    if (packedRuns != null) packedChannels(acc, base, yStep, xStep, fy0, fy1, fx0, fx1);
                    else channels(acc, base, yStep, xStep, fy0, fy1, fx0, fx1);
                    if (rowSums != null) System.arraycopy(acc, 0, rowSums, ox * n, n);
                    else requant.apply(acc, s.longs, oa, outPos);
                }
                if (rowSums != null) rowRequant.applyInts(rowSums, oa, outPos - outW * n);
            }
        }

        /**
         * One output row on the Vector API: with at most two vectors of output channels, runs of four neighbouring
         * pixels of one tap class ({@link VectorConv#conv4}); then pairs ({@link VectorConv#conv2}), each weight vector
         * loaded once for the pixels of a pass; a pixel left over alone.
         */
        private void vectorRow(int oy, int rowBase, int outPos, Scratch s) {
            byte[] oa = output.array();
            int[] acc = s.ints;
            int n = outD, p = stride, pixelStep = strideW * inD, row = taps.rowClass()[oy] * taps.cols();
            int most = p <= 2 * ConvWindow.LANES ? 4 : 2;
            for (int ox = 0; ox < outW; ) {
                int k = row + taps.colClass()[ox], base = rowBase + ox * pixelStep, run = taps.pixelRun(ox, most);
                if (run == 4) {
                    VectorConv.conv4(weights, x, bias, acc, p, base, pixelStep, taps.x()[k], taps.w()[k]);
                } else if (run == 2) {
                    VectorConv.conv2(weights, x, bias, acc, p, base, base + pixelStep, taps.x()[k], taps.w()[k]);
                } else {
                    VectorConv.conv(weights, x, bias, acc, p, base, taps.x()[k], taps.w()[k]);
                }
                for (int j = 0; j < run; j++, outPos += n) {
                    if (j > 0) System.arraycopy(acc, j * p, acc, 0, n);
                    requant.apply(acc, s.longs, oa, outPos);
                }
                ox += run;
            }
        }

        /**
         * Rows {@code [from, to)} pixel-innermost, a tile of {@link #tileRows} rows at a time: the tile's input laid out
         * as one plane per filter term ({@link #fillPlanes}: plane {@code (fy * fw + fx) * inD + ic} holds, per output
         * pixel of the tile, the input value that term multiplies plus the input offset, or 0 where the tap falls
         * outside the input, as the reference skips it), then per output channel the sums of all the tile's pixels at
         * once (the bias, plus each term's weight times its plane, four terms a pass: the terms are padded to a multiple
         * of four with zero planes and weights, {@link #planeCount}) and that channel's output stage; four channels at a
         * time, each into its own scratch plane, so that their output stage stores each pixel's four bytes as one int
         * ({@link ChannelRequant#applyPlanes4}: KWS 1.05-1.09x faster, same run); a last one to three channels alone.
         * Summing two channels in one loop over shared plane loads ran scalar (C2 cannot tell the two sum arrays
         * apart, so it keeps each iteration's stores in order). With the two sum arrays as separate parameters
         * ({@code a[t] += ...; b[t] += ...}, four terms) a JDK 17 micro-test vectorised it (1.45-1.65x at 576-2,304
         * pixels) only when the loop was inlined into a caller with no other field store and ran at least about 160
         * pixels; not compiled on its own, not at KWS's 125 pixels, and not here: ResNet large int8 ran 2.2x slower with
         * it (same run). Sums at a constant offset in one array, and five to eight terms a pass, ran scalar too; JDK 25
         * ran the two-array loop 2-3x slower than this one.
         */
        private void planarRows(int from, int to, Scratch s) {
            int[][] planes = s.planes;
            int terms = planes.length - QUAD_SUMS;
            int[] a0 = planes[terms], a1 = planes[terms + 1], a2 = planes[terms + 2], a3 = planes[terms + 3];
            byte[] oa = output.array();
            for (int r0 = from; r0 < to; r0 += tileRows) {
                int r1 = Math.min(to, r0 + tileRows), count = (r1 - r0) * outW;
                fillPlanes(planes, r0, r1);
                int outAt = output.offset() + r0 * outW * outD, oc = 0;
                for (; oc + 3 < outD; oc += 4) {
                    sums(planes, terms, oc, a0, count);
                    sums(planes, terms, oc + 1, a1, count);
                    sums(planes, terms, oc + 2, a2, count);
                    sums(planes, terms, oc + 3, a3, count);
                    requant.applyPlanes4(oc, a0, a1, a2, a3, count, s.ints, oa, outAt + oc, outD);
                }
                for (; oc < outD; oc++) {
                    sums(planes, terms, oc, a0, count);
                    requant.applyPlane(oc, a0, count, oa, outAt + oc, outD);
                }
            }
        }

        /** {@code acc[0..count)}: output channel {@code oc}'s sums over the tile's pixels, its bias plus four terms a pass. */
        private void sums(int[][] planes, int terms, int oc, int[] acc, int count) {
            int[] w = weights;
            int wb = oc * terms;
            FastLoops.set4(acc, count, bias[oc], planes[0], w[wb], planes[1], w[wb + 1], planes[2], w[wb + 2], planes[3], w[wb + 3]);
            for (int k = 4; k < terms; k += 4) {
                FastLoops.madd4(acc, count, planes[k], w[wb + k], planes[k + 1], w[wb + k + 1],
                        planes[k + 2], w[wb + k + 2], planes[k + 3], w[wb + k + 3]);
            }
        }

        /**
         * The planes of output rows {@code [r0, r1)} (see {@link #planarRows}), pixel {@code (r - r0) * outW + ox}: from
         * {@link #columns} a run per row, tap and input channel (the valid output columns of tap fx read input columns
         * {@code ox * strideW + fx * dilW - padW}, one stride phase, consecutive there); for 1x1 filters from the input.
         */
        private void fillPlanes(int[][] planes, int r0, int r1) {
            if (columns == null) {
                fillPointwise(planes, r0, r1);
                return;
            }
            int s = strideW, cw = phaseWidth;
            for (int r = r0; r < r1; r++) {
                int oy = r % outH, t0 = (r - r0) * outW, inRow0 = r / outH * inH + oy * strideH - padH;
                for (int fy = 0; fy < fh; fy++) {
                    boolean rowValid = fy >= fyLo[oy] && fy < fyHi[oy];
                    for (int fx = 0; fx < fw; fx++) {
                        int k0 = (fy * fw + fx) * inD, lo = rowValid ? oxLo[fx] : 0, hi = rowValid ? oxHi[fx] : 0, shift = fx * dilW - padW;
                        int from = hi > lo ? ((inRow0 + fy * dilH) * s + Math.floorMod(shift, s)) * cw + Math.floorDiv(shift, s) + lo : 0;
                        for (int ic = 0; ic < inD; ic++) {
                            int[] plane = planes[k0 + ic];
                            zero(plane, t0, t0 + lo);
                            if (hi > lo) System.arraycopy(columns[ic], from, plane, t0 + lo, hi - lo);
                            zero(plane, t0 + Math.max(lo, hi), t0 + outW);
                        }
                    }
                }
            }
        }

        /**
         * {@code a[from, to)} = 0: the planes' edges, mostly zero to two values a run (Arrays.fill's call and range
         * checks took 6% of ResNet large with the runs copied).
         */
        private static void zero(int[] a, int from, int to) {
            for (int t = from; t < to; t++) a[t] = 0;
        }

        /** {@link #fillPlanes} of a 1x1 filter: each plane gathered from the input (one strided pass per input channel). */
        private void fillPointwise(int[][] planes, int r0, int r1) {
            if (strideH == 1 && strideW == 1 && padH == 0 && padW == 0) {
                fillConsecutive(planes, r0, r1);
                return;
            }
            byte[] in = input.array();
            int off = inputOffset, yStep = dilH * inW * inD, xStep = dilW * inD, pixelStep = strideW * inD;
            for (int r = r0; r < r1; r++) {
                int oy = r % outH, t0 = (r - r0) * outW, rowBase = input.offset() + rowOrigin(r, inD);
                for (int fy = 0; fy < fh; fy++) {
                    boolean rowValid = fy >= fyLo[oy] && fy < fyHi[oy];
                    for (int fx = 0; fx < fw; fx++) {
                        int k0 = (fy * fw + fx) * inD, lo = rowValid ? oxLo[fx] : 0, hi = rowValid ? oxHi[fx] : 0;
                        for (int ic = 0; ic < inD; ic++) {
                            int[] plane = planes[k0 + ic];
                            zero(plane, t0, t0 + lo);
                            int src = rowBase + fy * yStep + fx * xStep + ic + lo * pixelStep;
                            for (int t = t0 + lo, end = t0 + hi; t < end; t++, src += pixelStep) plane[t] = in[src] + off;
                            zero(plane, t0 + Math.max(lo, hi), t0 + outW);
                        }
                    }
                }
            }
        }

        /**
         * {@link #fillPointwise} without stride or padding: the tile's pixels are consecutive input pixels, so each plane
         * is one strided pass over the whole tile (not a pass per output row: KWS's rows are 5 pixels), four input
         * channels a pass read as one little-endian int ({@link FastLoops#unpack4}).
         */
        private void fillConsecutive(int[][] planes, int r0, int r1) {
            byte[] in = input.array();
            int d = inD, off = inputOffset, count = (r1 - r0) * outW, src = input.offset() + r0 * outW * d, ic = 0;
            for (; ic + 3 < d; ic += 4) FastLoops.unpack4(in, src + ic, d, count, off, planes[ic], planes[ic + 1], planes[ic + 2], planes[ic + 3]);
            for (; ic < d; ic++) {
                int[] plane = planes[ic];
                for (int t = 0, at = src + ic; t < count; t++, at += d) plane[t] = in[at] + off;
            }
        }

        /** {@link #channels} with the weights packed ({@link #packedRuns}): a filter row's valid taps as one run when there is no dilation across. */
        private void packedChannels(int[] acc, int base, int yStep, int xStep, int fy0, int fy1, int fx0, int fx1) {
            System.arraycopy(bias, 0, acc, 0, outD);
            int columns = dilW == 1 ? fx1 - fx0 : 1;
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx += columns) {
                    FastFullyConnected.packedColumns(packedRuns[(fy * fw + fx) * fw + columns - 1], NO_TAIL, x, base + fy * yStep + fx * xStep, acc, 0, outD);
                }
            }
        }

        private static final int[][] NO_TAIL = new int[0][];

        /**
         * One pixel with the output channel innermost, four input channels at a time. The loop indexes every array by
         * the channel alone (one array per weight row): C2 on JDK 17 vectorises it so, not with a row offset into one
         * flat array, nor with two pixels' sums updated in one loop.
         */
        private void channels(int[] acc, int base, int yStep, int xStep, int fy0, int fy1, int fx0, int fx1) {
            int[][] rows = this.rows;
            int[] x = this.x;
            int n = outD;
            System.arraycopy(bias, 0, acc, 0, n);
            // without dilation across, a filter row's valid taps are one contiguous run of input values and weight rows
            int columns = dilW == 1 ? fx1 - fx0 : 1, len = columns * inD;
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx += columns) {
                    int xb = base + fy * yStep + fx * xStep, row = (fy * fw + fx) * inD;
                    int ic = 0;
                    for (; ic + 3 < len; ic += 4) {
                        int x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2], x3 = x[xb + ic + 3];
                        int[] r0 = rows[row + ic], r1 = rows[row + ic + 1], r2 = rows[row + ic + 2], r3 = rows[row + ic + 3];
                        for (int c = 0; c < n; c++) acc[c] += r0[c] * x0 + r1[c] * x1 + r2[c] * x2 + r3[c] * x3;
                    }
                    for (; ic < len; ic++) {
                        int xv = x[xb + ic];
                        int[] r0 = rows[row + ic];
                        for (int c = 0; c < n; c++) acc[c] += r0[c] * xv;
                    }
                }
            }
        }
    }

    /**
     * float32. The channel form: per output pixel, the output channel innermost (above), neighbouring pixels with the
     * same valid taps in pairs ({@link #channelsPair}). The planar form, for few output channels over many pixels:
     * each invoke gathers the input into one plane per filter term {@code t = (fy * fw + fx) * inD + ic} holding that
     * term's input value for every output pixel (0 where the tap falls outside the input), then per block of
     * {@link #PLANAR_BLOCK} pixels and pair of output channels sums {@code acc[p] + x_t[p] * w[t][oc] + x_t+1[p] *
     * w[t+1][oc] ...} over the pixels, three terms per pass in t order, every array indexed by the pixel alone (so JDK
     * 17's C2 vectorises it over pixels). The padding zeros change no sum while the weights are finite (see
     * {@link #finite}); otherwise pixels with an invalid tap are computed again on their valid terms only.
     */
    private static final class Float32 extends ConvWindow {
        /**
         * Planar form: output pixels per block. Longer loops spend less of their trip in C2's scalar pre- and
         * post-loops: 1024 pixels ran ResNet float's 32x32 layers about 1.3x faster than 256 (micro-test, JDK 17); the
         * two channels' sums (8 KB) and the three planes' runs a pass reads stay in L1.
         */
        private static final int PLANAR_BLOCK = 1024;
        private final float min, max;
        private final int stride;
        private final float[] weights, bias, x;
        /** Scalar loops: the weights of tap (fy, fx) and input channel ic as row {@code (fy * fw + fx) * inD + ic}, outD long. */
        private final float[][] rows;
        private final TapTable taps;
        /**
         * Planar form: term t's input value of every output pixel (null in the channel form); the input as one array
         * per input channel over all batches' pixels (the planes themselves when the node is {@code pointwise}); whether
         * pixels with an invalid tap must be computed again (see {@link #finite}).
         */
        private final float[][] planes, channelPlanes;
        private final boolean pointwise, edges;
        /** Planar form: a 1x1 filter without padding at a stride above 1, whose planes are gathered from the input ({@link #gatherStrided}). */
        private final boolean stridedOneByOne;
        /** The input read in bulk. */
        private final FloatRead reader = new FloatRead();
        /** Planar form: the output rows {@code [planeRowFrom[fy], planeRowTo[fy])} where filter row fy is valid; columns alike. */
        private final int[] planeRowFrom, planeRowTo, planeColFrom, planeColTo;
        /** Planar form: the columns of one stride phase in a row of {@link #channelPlanes}. */
        private final int phaseWidth;
        /** Planar form: stride 1 and output rows as long as input rows, so a plane's rows come in one copy ({@link #copyRows}). */
        private final boolean flatRows;

        Float32(Conv2D.Params p, boolean planar) {
            super(p.geometry(), p.input(), p.output(), planar
                    ? (int) Math.max(4 * padded(p.geometry().outDepth()), planarTile(p.geometry()))
                    : 4 * padded(p.geometry().outDepth()), true, planar ? p.geometry().outDepth() + 1 : FastLoops.VECTOR_API ? 0 : 1,
                    planar ? Math.max(p.geometry().outDepth(), p.geometry().batches() * p.geometry().outHeight() * p.geometry().outWidth())
                            : p.geometry().outDepth(), 0, 0);
            min = p.floatMin();
            max = p.floatMax();
            bias = FastLoops.floatBias(p.bias(), outD);
            stride = FastLoops.VECTOR_API ? padded(outD) : outD;
            Tensor f = p.filter();
            int size = outD * fh * fw * inD;
            weights = new float[size / outD * stride];
            for (int i = 0; i < size; i++) weights[transposed(i, this, stride)] = LittleEndian.getFloat(f.array(), f.offset() + 4 * i);
            planes = planar ? new float[fh * fw * inD][batches * outH * outW] : null;
            pointwise = planar && isPointwise(p.geometry());
            stridedOneByOne = planar && !pointwise && isOneByOne(p.geometry());
            phaseWidth = (inW + strideW - 1) / strideW;
            flatRows = strideH == 1 && strideW == 1 && inW == outW;
            channelPlanes = !planar ? null : pointwise || stridedOneByOne ? planes : new float[inD][batches * inH * strideW * phaseWidth];
            boolean anyEdge = false;
            for (int oy = 0; oy < outH; oy++) anyEdge |= fyLo[oy] != 0 || fyHi[oy] != fh;
            for (int ox = 0; ox < outW; ox++) anyEdge |= fxLo[ox] != 0 || fxHi[ox] != fw;
            edges = anyEdge && !finite(weights);
            rows = FastLoops.VECTOR_API || planar ? null : FastLoops.rows(weights, outD);
            x = new float[batches * inH * inW * inD];
            planeRowFrom = new int[fh];
            planeRowTo = new int[fh];
            planeColFrom = new int[fw];
            planeColTo = new int[fw];
            validOutputs(fyLo, fyHi, fh, planeRowFrom, planeRowTo);
            validOutputs(fxLo, fxHi, fw, planeColFrom, planeColTo);
            taps = FastLoops.VECTOR_API && !planar ? tapTable(inD, dilH * inW * inD, dilW * inD, inD * stride, stride) : null;
        }

        @Override
        void load() {
            if (planes != null) {
                loadPlanes();
                return;
            }
            reader.read(input.array(), input.offset(), x.length, x, 0);
        }

        /**
         * Planar form: the input read once into {@code x} and moved to one array per input channel
         * ({@link #channelPlanes}), each input row's columns split by stride phase (row {@code (b * inH + iy) *
         * strideW + ix % strideW}, column {@code ix / strideW}, {@link #phaseWidth} columns a row), then every term's
         * plane copied from its channel, a filter row and column's valid output rows at a time: each output row's valid
         * run is one contiguous run of the channel ({@code System.arraycopy}; the element-wise gather from the
         * interleaved input took 18% of ResNet float, the strided copy of stride-2 layers 8%). A pointwise node's
         * channel arrays are its planes.
         */
        private void loadPlanes() {
            float[] x = this.x;
            reader.read(input.array(), input.offset(), x.length, x, 0);
            if (stridedOneByOne) {
                gatherStrided(x);
                return;
            }
            int d = inD, sw = strideW, pw = phaseWidth, w = inW, rows = batches * inH;
            if (sw == 1) {   // the phase layout is the plain one: each channel's values in one long loop
                for (int ic = 0, k; ic < d; ic += k) {
                    k = Math.min(4, d - ic);
                    spread(x, ic, k, 0, rows * w, ic, d);
                }
            } else {   // an input row at a time, which stays in L1 while each channel takes its phases (1.1-1.2x faster)
                for (int by = 0; by < rows; by++) {
                    for (int ic = 0, k; ic < d; ic += k) {
                        k = Math.min(4, d - ic);
                        for (int ph = 0; ph < sw && ph < w; ph++) {
                            spread(x, ic, k, (by * sw + ph) * pw, (w - ph + sw - 1) / sw, (by * w + ph) * d + ic, sw * d);
                        }
                    }
                }
            }
            if (pointwise) return;
            for (int fy = 0; fy < fh; fy++) {
                for (int fx = 0; fx < fw; fx++) {
                    int ox0 = planeColFrom[fx], ox1 = planeColTo[fx];
                    if (ox0 == ox1) continue;   // no output column has this filter column inside the input
                    int e = fx * dilW - padW, column = Math.floorMod(e, sw) * pw + Math.floorDiv(e, sw);
                    int oy0 = planeRowFrom[fy], oy1 = planeRowTo[fy];
                    for (int ic = 0; ic < d; ic++) {
                        float[] plane = planes[(fy * fw + fx) * d + ic], c = channelPlanes[ic];
                        for (int b = 0; b < batches; b++) {
                            if (flatRows && oy0 < oy1) {
                                copyRows(c, plane, (b * inH + oy0 - padH + fy * dilH) * inW + column, (b * outH + oy0) * outW, oy1 - oy0, ox0, ox1);
                                continue;
                            }
                            for (int oy = oy0; oy < oy1; oy++) {
                                int iy = oy * strideH - padH + fy * dilH, p = (b * outH + oy) * outW;
                                int src = (b * inH + iy) * sw * pw + column;
                                System.arraycopy(c, src + ox0, plane, p + ox0, ox1 - ox0);
                            }
                        }
                    }
                }
            }
        }

        /**
         * Planar form: {@code n} input pixels' values of channels {@code ic .. ic + k - 1} ({@code k} of 1 to 4; pixel
         * j's at {@code x[at + j * step]} on) to {@code channelPlanes[ic + i][o + j]}, all {@code k} channels in one
         * pass: each pixel's values are one read (micro-test, JDK 17, 8 channels over 2,304 pixels: 3.1 against 4.1 µs
         * a channel at a time, eight channels a pass 5.2; VWW float's first layer, 3 channels, spent 31% of its time
         * moving them a channel at a time).
         */
        private void spread(float[] x, int ic, int k, int o, int n, int at, int step) {
            float[] c0 = channelPlanes[ic];
            int end = o + n;
            if (k == 4) {
                float[] c1 = channelPlanes[ic + 1], c2 = channelPlanes[ic + 2], c3 = channelPlanes[ic + 3];
                for (int j = o; j < end; j++, at += step) {
                    c0[j] = x[at];
                    c1[j] = x[at + 1];
                    c2[j] = x[at + 2];
                    c3[j] = x[at + 3];
                }
            } else if (k == 3) {
                float[] c1 = channelPlanes[ic + 1], c2 = channelPlanes[ic + 2];
                for (int j = o; j < end; j++, at += step) {
                    c0[j] = x[at];
                    c1[j] = x[at + 1];
                    c2[j] = x[at + 2];
                }
            } else if (k == 2) {
                float[] c1 = channelPlanes[ic + 1];
                for (int j = o; j < end; j++, at += step) {
                    c0[j] = x[at];
                    c1[j] = x[at + 1];
                }
            } else {
                for (int j = o; j < end; j++, at += step) c0[j] = x[at];
            }
        }

        /**
         * Planar form with {@link #flatRows}: {@code rows} output rows of a plane from {@code p} on, each the channel's
         * run from {@code src} on (one row further per output row), in one copy: the output rows and the input rows
         * are then equally long, so the runs of consecutive rows are one run of both arrays, whose values outside the
         * valid columns {@code [ox0, ox1)} (the neighbouring rows' ends) are zeroed after. A copy per row took 10-15% of
         * ResNet float's 3x3 layers (32-value runs).
         */
        private void copyRows(float[] c, float[] plane, int src, int p, int rows, int ox0, int ox1) {
            int w = outW;
            System.arraycopy(c, src + ox0, plane, p + ox0, (rows - 1) * w + ox1 - ox0);
            if (ox0 == 0 && ox1 == w) return;
            for (int r = 1; r < rows; r++) {
                for (int k = p + (r - 1) * w + ox1, k1 = p + r * w + ox0; k < k1; k++) plane[k] = 0f;
            }
        }

        /**
         * Planar form of a strided 1x1 filter without padding ({@link #stridedOneByOne}): each input channel's plane
         * gathered straight from the input, a value per output pixel. The general path split every input row by stride
         * phase (four times the values a stride-2 layer reads) and then copied the planes out of the split. Up to four
         * channels a pass ({@link #spread}), an output row at a time.
         */
        private void gatherStrided(float[] x) {
            int d = inD, step = strideW * d;
            for (int b = 0, p = 0; b < batches; b++) {
                for (int oy = 0; oy < outH; oy++, p += outW) {
                    int row = (b * inH + oy * strideH) * inW * d;
                    for (int ic = 0, k; ic < d; ic += k) {
                        k = Math.min(4, d - ic);
                        spread(x, ic, k, p, outW, row + ic, step);
                    }
                }
            }
        }

        /** Whether {@code g} is a 1x1 filter without padding: every output pixel reads one input pixel, always inside. */
        private static boolean isOneByOne(ConvGeometry g) {
            return g.filterHeight() == 1 && g.filterWidth() == 1 && g.padH() == 0 && g.padW() == 0;
        }

        /** Whether {@code g} maps every input pixel to the output pixel of the same index (1x1 filter, stride 1, no padding). */
        private static boolean isPointwise(ConvGeometry g) {
            return g.filterHeight() == 1 && g.filterWidth() == 1 && g.strideH() == 1 && g.strideW() == 1
                    && g.outHeight() == g.inHeight() && g.outWidth() == g.inWidth() && g.padH() == 0 && g.padW() == 0;
        }

        /**
         * The planar form's prepare-time heap for {@code threads} threads: the planes (one per filter term over all
         * output pixels), each thread's sums over them and its output tile ({@link #planarTile}) and, unless
         * pointwise, the input as one array per channel.
         */
        static long planarBytes(ConvGeometry g, int threads) {
            long pixels = (long) g.batches() * g.outHeight() * g.outWidth();
            long phased = (long) g.strideW() * ((g.inWidth() + g.strideW() - 1) / g.strideW());
            long channels = isOneByOne(g) ? 0 : (long) g.batches() * g.inHeight() * phased * g.inDepth();
            long perThread = (g.outDepth() + 1L) * Math.max(pixels, g.outDepth()) + Math.max(4L * padded(g.outDepth()), planarTile(g));
            return 4L * (pixels * g.filterHeight() * g.filterWidth() * g.inDepth() + perThread * threads + channels);
        }

        /** Planar form: a block's outputs in NHWC order before their bulk write, {@code min(pixels, PLANAR_BLOCK) * outD} floats. */
        private static long planarTile(ConvGeometry g) {
            return Math.min((long) g.batches() * g.outHeight() * g.outWidth(), PLANAR_BLOCK) * g.outDepth();
        }

        /**
         * Whether every weight is finite. Then the planar sums need not skip the zeros planes hold for taps outside the
         * input: {@code 0 * w} is a zero, and adding a zero leaves a sum unchanged unless the sum is -0.0, which a sum
         * that starts at +0.0 never is (round to nearest gives -0.0 only for -0.0 + -0.0). With an infinite or NaN
         * weight, {@code 0 * w} is NaN, so pixels with an invalid tap are computed again on their valid taps only.
         */
        private static boolean finite(float[] w) {
            for (float v : w) if (!Float.isFinite(v)) return false;
            return true;
        }

        /**
         * Planar form: output pixels {@code [p0, p1)} (all batches' pixels in order), block by block, two output
         * channels a pass ({@link #channelPair}; an odd last channel alone, {@link #channel}), each channel's sums in
         * a scratch row of its own ({@code sums[oc]}, all output pixels long: at most {@link #PLANAR_LIMIT} values, see
         * {@link #floatPlanar}), then the block's NHWC tile four channels a pass ({@link #interleave}). Interleaving
         * each channel pair into the tile as it was summed (two sum rows in all) ran VWW float's pointwise layers
         * 1.2-1.3x slower (single nodes, same run: 48x48x8 to 16 39.6 against 31.4 µs, 24x24x32 to 32 40.0 against 31.6).
         */
        private void planarRows(int p0, int p1, float[][] sums, float[] edgeSums, float[] tile, FloatRead out) {
            byte[] oa = output.array();
            int n = outD, outBase = output.offset();
            float lo = min, hi = max;
            for (int c0 = p0; c0 < p1; c0 += PLANAR_BLOCK) {
                int c1 = Math.min(p1, c0 + PLANAR_BLOCK), oc = 0;
                for (; oc + 1 < n; oc += 2) {
                    float[] a = sums[oc], b = sums[oc + 1];
                    channelPair(a, b, c0, c1, oc);
                    FastLoops.floatOutputs(a, c0, c1, bias[oc], lo, hi);
                    FastLoops.floatOutputs(b, c0, c1, bias[oc + 1], lo, hi);
                }
                if (oc < n) {
                    channel(sums[oc], c0, c1, oc);
                    FastLoops.floatOutputs(sums[oc], c0, c1, bias[oc], lo, hi);
                }
                interleave(sums, c0, c1, tile);
                out.write(tile, 0, (c1 - c0) * n, oa, outBase + 4 * c0 * n);
                if (edges) {
                    for (int q = c0; q < c1; q++) {
                        int oy = q / outW % outH, ox = q % outW;
                        if (fyLo[oy] != 0 || fyHi[oy] != fh || fxLo[ox] != 0 || fxHi[ox] != fw) edgePixel(q, oy, ox, oa, edgeSums);
                    }
                }
            }
        }

        /**
         * Planar form: the sums of output channels {@code oc} and {@code oc + 1} over pixels {@code [c0, c1)} into
         * {@code a} and {@code b}, each in term order, three terms a pass: each plane value loaded once for both
         * channels. The loop body stays under C2's unroll limit (LoopUnrollLimit 60 nodes; JDK 17 vectorises only
         * loops it unrolls): four terms for two channels, or eight terms for one, ran scalar. Against one channel four
         * terms a pass, 1.35-1.5x faster on ResNet float's 3x3 layers (single-loop micro-test, JDK 17).
         */
        private void channelPair(float[] a, float[] b, int c0, int c1, int oc) {
            float[][] planes = this.planes;
            float[] w = weights;
            int st = stride, terms = planes.length, t = 0;
            java.util.Arrays.fill(a, c0, c1, 0f);
            java.util.Arrays.fill(b, c0, c1, 0f);
            for (; t + 2 < terms; t += 3) {
                float[] x0 = planes[t], x1 = planes[t + 1], x2 = planes[t + 2];
                int k = t * st + oc;
                float w0 = w[k], w1 = w[k + st], w2 = w[k + 2 * st], v0 = w[k + 1], v1 = w[k + st + 1], v2 = w[k + 2 * st + 1];
                for (int q = c0; q < c1; q++) {
                    float e = x0[q], f = x1[q], g = x2[q];
                    a[q] = a[q] + e * w0 + f * w1 + g * w2;
                    b[q] = b[q] + e * v0 + f * v1 + g * v2;
                }
            }
            if (t + 1 < terms) {   // two terms left: one pass, not two
                float[] x0 = planes[t], x1 = planes[t + 1];
                int k = t * st + oc;
                float w0 = w[k], w1 = w[k + st], v0 = w[k + 1], v1 = w[k + st + 1];
                for (int q = c0; q < c1; q++) {
                    float e = x0[q], f = x1[q];
                    a[q] = a[q] + e * w0 + f * w1;
                    b[q] = b[q] + e * v0 + f * v1;
                }
                t += 2;
            }
            if (t < terms) {
                float[] x0 = planes[t];
                float w0 = w[t * st + oc], v0 = w[t * st + oc + 1];
                for (int q = c0; q < c1; q++) {
                    float e = x0[q];
                    a[q] = a[q] + e * w0;
                    b[q] = b[q] + e * v0;
                }
            }
        }

        /** Planar form: the sums of output channel {@code oc} over pixels {@code [c0, c1)} into {@code acc}, four terms a pass in term order. */
        private void channel(float[] acc, int c0, int c1, int oc) {
            float[][] planes = this.planes;
            float[] w = weights;
            int st = stride, terms = planes.length, t = 0;
            java.util.Arrays.fill(acc, c0, c1, 0f);
            for (; t + 3 < terms; t += 4) {
                float[] x0 = planes[t], x1 = planes[t + 1], x2 = planes[t + 2], x3 = planes[t + 3];
                float w0 = w[t * st + oc], w1 = w[(t + 1) * st + oc], w2 = w[(t + 2) * st + oc], w3 = w[(t + 3) * st + oc];
                for (int q = c0; q < c1; q++) acc[q] = acc[q] + x0[q] * w0 + x1[q] * w1 + x2[q] * w2 + x3[q] * w3;
            }
            for (; t < terms; t++) {
                float[] x0 = planes[t];
                float w0 = w[t * st + oc];
                for (int q = c0; q < c1; q++) acc[q] = acc[q] + x0[q] * w0;
            }
        }

        /**
         * Planar form: every output channel's sums of pixels {@code [c0, c1)} into the block's NHWC tile, written to
         * the output in bulk (against the per-value strided byte-array store it replaces, 9% of VWW float, VWW float's
         * planar layers ran about 10% faster), four channels a pass: each pixel's four values go to consecutive tile
         * slots (micro-test, JDK 17, 16 channels over 2,304 pixels: 6.9 against 8.7 µs a channel pair at a time and
         * 15 µs a channel at a time; eight channels a pass 9.8; runs of 16 pixels a channel at a time 12.1).
         */
        private void interleave(float[][] sums, int c0, int c1, float[] tile) {
            int n = outD, oc = 0;
            for (; oc + 3 < n; oc += 4) {
                float[] a = sums[oc], b = sums[oc + 1], c = sums[oc + 2], d = sums[oc + 3];
                for (int q = c0, t = oc; q < c1; q++, t += n) {
                    tile[t] = a[q];
                    tile[t + 1] = b[q];
                    tile[t + 2] = c[q];
                    tile[t + 3] = d[q];
                }
            }
            for (; oc < n; oc++) {
                float[] a = sums[oc];
                for (int q = c0, t = oc; q < c1; q++, t += n) tile[t] = a[q];
            }
        }

        /**
         * Planar form: output pixel {@code q} (row oy, column ox) again from its valid terms only, in the reference's
         * order, the output channels innermost in {@code a}.
         */
        private void edgePixel(int q, int oy, int ox, byte[] oa, float[] a) {
            float[][] planes = this.planes;
            float[] w = weights;
            int n = outD, st = stride, o = output.offset() + 4 * q * n;
            java.util.Arrays.fill(a, 0, n, 0f);
            for (int fy = fyLo[oy], fy1 = fyHi[oy]; fy < fy1; fy++) {
                for (int fx = fxLo[ox], fx1 = fxHi[ox]; fx < fx1; fx++) {
                    for (int ic = 0, t = (fy * fw + fx) * inD; ic < inD; ic++, t++) {
                        float xv = planes[t][q];
                        for (int oc = 0, wt = t * st; oc < n; oc++) a[oc] = a[oc] + xv * w[wt + oc];
                    }
                }
            }
            for (int oc = 0; oc < n; oc++) LittleEndian.putFloat(oa, o + 4 * oc, KernelUtil.clamp(a[oc] + bias[oc], min, max));
        }

        @Override
        void evalRows(int from, int to, Scratch s) {
            if (planes != null) {
                planarRows(from * outW, to * outW, s.rows, s.rows[outD], s.floats, s.out);
                return;
            }
            byte[] oa = output.array();
            float[] acc = s.floats;
            int n = outD, yStep = dilH * inW * inD, xStep = dilW * inD, pixelStep = strideW * inD;
            for (int r = from; r < to; r++) {
                int oy = r % outH, fy0 = fyLo[oy], fy1 = fyHi[oy];
                int rowBase = rowOrigin(r, inD), outPos = output.offset() + 4 * r * outW * n;
                if (FastLoops.VECTOR_API) {
                    vectorRow(oy, rowBase, outPos, s);
                    continue;
                }
                for (int ox = 0; ox < outW; ) {
                    int base = rowBase + ox * pixelStep, fx0 = fxLo[ox], fx1 = fxHi[ox];
                    if (ox + 1 < outW && fxLo[ox + 1] == fx0 && fxHi[ox + 1] == fx1) {
                        channelsPair(acc, s.rows[0], base, base + pixelStep, yStep, xStep, fy0, fy1, fx0, fx1);
                        store(acc, oa, outPos, s.out);
                        store(s.rows[0], oa, outPos + 4 * n, s.out);
                        ox += 2;
                        outPos += 8 * n;
                    } else if (ox + 1 < outW && dilW == 1 && Math.max(fx0, fxLo[ox + 1]) < Math.min(fx1, fxHi[ox + 1])) {
                        staggeredPair(acc, s.rows[0], base, base + pixelStep, yStep, fy0, fy1, fx0, fx1, fxLo[ox + 1], fxHi[ox + 1]);
                        store(acc, oa, outPos, s.out);
                        store(s.rows[0], oa, outPos + 4 * n, s.out);
                        ox += 2;
                        outPos += 8 * n;
                    } else {
                        channels(acc, base, yStep, xStep, fy0, fy1, fx0, fx1);
                        store(acc, oa, outPos, s.out);
                        ox++;
                        outPos += 4 * n;
                    }
                }
            }
        }

        /** One output row on the Vector API, pixels in fours and pairs as the int8 kernel's {@code vectorRow}. */
        private void vectorRow(int oy, int rowBase, int outPos, Scratch s) {
            byte[] oa = output.array();
            float[] acc = s.floats;
            int n = outD, p = stride, pixelStep = strideW * inD, row = taps.rowClass()[oy] * taps.cols();
            int most = p <= 2 * ConvWindow.LANES ? 4 : 2;
            for (int ox = 0; ox < outW; ) {
                int k = row + taps.colClass()[ox], base = rowBase + ox * pixelStep, run = taps.pixelRun(ox, most);
                if (run == 4) {
                    VectorConv.conv4(weights, x, acc, p, base, pixelStep, taps.x()[k], taps.w()[k]);
                } else if (run == 2) {
                    VectorConv.conv2(weights, x, acc, p, base, base + pixelStep, taps.x()[k], taps.w()[k]);
                } else {
                    VectorConv.conv(weights, x, acc, p, base, taps.x()[k], taps.w()[k]);
                }
                for (int j = 0; j < run; j++, outPos += 4 * n) {
                    if (j > 0) System.arraycopy(acc, j * p, acc, 0, n);
                    outputs(acc, oa, outPos);
                }
                ox += run;
            }
        }

        /** The pixel's outputs: {@code clamp(acc[c] + bias[c], min, max)} as little-endian floats at {@code oa[outPos...]}. */
        private void outputs(float[] acc, byte[] oa, int outPos) {
            int n = outD;
            if (FastLoops.VECTOR_API) {
                VectorConv.floatOutputs(acc, bias, n, min, max, oa, outPos);
            } else {
                for (int c = 0; c < n; c++) LittleEndian.putFloat(oa, outPos + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
            }
        }

        /**
         * The scalar loops' {@link #outputs}: formed in {@code acc} and written in bulk ({@code out}: the thread's own
         * writer; the per-value byte-array store took 7% of VWW float). The Vector API rows keep {@link #outputs}.
         */
        private void store(float[] acc, byte[] oa, int outPos, FloatRead out) {
            FastLoops.floatOutputs(acc, bias, outD, min, max);
            out.write(acc, 0, outD, oa, outPos);
        }

        /**
         * Two neighbouring output pixels with the same valid taps ({@code base} and {@code base2} their tap (0, 0)
         * inputs) into {@code a} and {@code b}, the channel innermost, three input channels a pass, each output in the
         * reference's order: each weight row loaded once for both pixels. Two sums in one loop stay vectorised while
         * the body is under C2's unroll limit (four terms for two pixels did not): 1.2-1.35x faster than one pixel
         * four terms a pass on VWW float's 64-256 channel pointwise layers (micro-test, JDK 17).
         */
        private void channelsPair(float[] a, float[] b, int base, int base2, int yStep, int xStep, int fy0, int fy1, int fx0, int fx1) {
            int n = outD;
            java.util.Arrays.fill(a, 0, n, 0f);
            java.util.Arrays.fill(b, 0, n, 0f);
            int columns = dilW == 1 ? fx1 - fx0 : 1, len = columns * inD;
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx += columns) {
                    int off = fy * yStep + fx * xStep;
                    pairRun(a, b, base + off, base2 + off, (fy * fw + fx) * inD, len);
                }
            }
        }

        /**
         * Two pixels' sums over {@code len} consecutive filter terms from weight row {@code row} on, their inputs from
         * {@code x[xb]} and {@code x[yb]} on, three terms a pass (see {@link #channelsPair}).
         */
        private void pairRun(float[] a, float[] b, int xb, int yb, int row, int len) {
            float[][] rows = this.rows;
            float[] x = this.x;
            int n = outD, ic = 0;
            for (; ic + 2 < len; ic += 3) {
                float x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2];
                float y0 = x[yb + ic], y1 = x[yb + ic + 1], y2 = x[yb + ic + 2];
                float[] r0 = rows[row + ic], r1 = rows[row + ic + 1], r2 = rows[row + ic + 2];
                for (int c = 0; c < n; c++) {
                    float u0 = r0[c], u1 = r1[c], u2 = r2[c];
                    a[c] = a[c] + x0 * u0 + x1 * u1 + x2 * u2;
                    b[c] = b[c] + y0 * u0 + y1 * u1 + y2 * u2;
                }
            }
            for (; ic < len; ic++) {
                float x0 = x[xb + ic], y0 = x[yb + ic];
                float[] r0 = rows[row + ic];
                for (int c = 0; c < n; c++) {
                    float u = r0[c];
                    a[c] = a[c] + x0 * u;
                    b[c] = b[c] + y0 * u;
                }
            }
        }

        /**
         * Two neighbouring pixels whose valid filter columns differ but overlap ({@code [a0, a1)} and {@code [b0, b1)}:
         * an edge pixel and its neighbour), no dilation across: per filter row, the columns only one pixel has run
         * alone ({@link #singleRun}) and the shared ones as a pair ({@link #pairRun}), in column order, so each sum
         * keeps the reference's order (fy, fx, ic). The edge pixel used to run alone on all its taps
         * ({@link #channels}), each weight row loaded for one pixel (the edge columns of ResNet float's 8x8x64 layers).
         */
        private void staggeredPair(float[] a, float[] b, int base, int base2, int yStep, int fy0, int fy1, int a0, int a1, int b0, int b1) {
            int d = inD, c0 = Math.max(a0, b0), c1 = Math.min(a1, b1);
            java.util.Arrays.fill(a, 0, outD, 0f);
            java.util.Arrays.fill(b, 0, outD, 0f);
            for (int fy = fy0; fy < fy1; fy++) {
                int xa = base + fy * yStep, xb = base2 + fy * yStep, row = fy * fw;
                if (a0 < c0) singleRun(a, xa + a0 * d, (row + a0) * d, (c0 - a0) * d);
                if (b0 < c0) singleRun(b, xb + b0 * d, (row + b0) * d, (c0 - b0) * d);
                pairRun(a, b, xa + c0 * d, xb + c0 * d, (row + c0) * d, (c1 - c0) * d);
                if (c1 < a1) singleRun(a, xa + c1 * d, (row + c1) * d, (a1 - c1) * d);
                if (c1 < b1) singleRun(b, xb + c1 * d, (row + c1) * d, (b1 - c1) * d);
            }
        }

        /** One pixel with the output channel innermost, four input channels at a time, each output in the reference's order (arrays as the int8 loop's). */
        private void channels(float[] acc, int base, int yStep, int xStep, int fy0, int fy1, int fx0, int fx1) {
            int n = outD;
            java.util.Arrays.fill(acc, 0, n, 0f);
            // without dilation across, a filter row's valid taps are one contiguous run of input values and weight rows
            int columns = dilW == 1 ? fx1 - fx0 : 1, len = columns * inD;
            for (int fy = fy0; fy < fy1; fy++) {
                for (int fx = fx0; fx < fx1; fx += columns) {
                    singleRun(acc, base + fy * yStep + fx * xStep, (fy * fw + fx) * inD, len);
                }
            }
        }

        /** One pixel's sums over {@code len} consecutive filter terms from weight row {@code row} on, its inputs from {@code x[xb]} on, four terms a pass. */
        private void singleRun(float[] acc, int xb, int row, int len) {
            float[][] rows = this.rows;
            float[] x = this.x;
            int n = outD, ic = 0;
            for (; ic + 3 < len; ic += 4) {
                float x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2], x3 = x[xb + ic + 3];
                float[] r0 = rows[row + ic], r1 = rows[row + ic + 1], r2 = rows[row + ic + 2], r3 = rows[row + ic + 3];
                for (int c = 0; c < n; c++) acc[c] = acc[c] + x0 * r0[c] + x1 * r1[c] + x2 * r2[c] + x3 * r3[c];
            }
            for (; ic < len; ic++) {
                float xv = x[xb + ic];
                float[] r0 = rows[row + ic];
                for (int c = 0; c < n; c++) acc[c] = acc[c] + xv * r0[c];
            }
        }
    }
}
