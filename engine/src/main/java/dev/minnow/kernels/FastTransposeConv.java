package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.SplitTask;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * TRANSPOSE_CONV with fast loops for float32, int8 and int16 nodes with a constant filter and bias; the other nodes,
 * and every node when the interpreter asks for reference kernels, run {@link TransposeConv}'s reference loops. Same
 * prepare ({@link TransposeConv#prepareParams}), same bytes.
 *
 * <p>The reference scatters every input element through every filter tap into an accumulator per output element.
 * Here each output row gathers the input rows that reach it (in ascending input row order) and scatters their
 * columns into one row of accumulators, output column {@code ox} at {@code ox * outDepth}. Input column {@code ix}
 * reaches output columns {@code ix * strideW - padW + fx} for the filter columns {@code fx}: one contiguous run of
 * {@code filterWidth * outDepth} accumulators (clipped at the row's ends) from one weight row per filter row and input
 * channel ({@code [fx][outChannel]}, repacked at prepare): the run is copied into a buffer indexed like the weight
 * rows, four input channels at a time go through {@code t[i] += x0 * w0[i] + ... + x3 * w3[i]} (int8: eight, their
 * weights packed four to an int, {@link FastFullyConnected#packedColumns}), and the run is copied back. That loop
 * indexes every array at the same {@code i}, the form C2 on JDK 17 vectorises (it leaves loops scalar whose arrays
 * are indexed at different loop-invariant offsets). When a row is complete, bias (float), requantization and the
 * activation are applied and the row is written. On the Vector API ({@link FastLoops#VECTOR_API}) int8 and float32
 * run the gather form instead: per output pixel, {@link VectorConv#conv} over a flat list of its terms in the
 * reference's order, the channel sums in registers.
 *
 * <p>Every output element receives its products in the reference's order (input row, input column, input channel
 * ascending; one filter tap per input pixel reaches a given output), so the float sums round as the reference's (they
 * start at 0 and add the bias last, as there); int8 and int16 sums are exact (int32 modulo 2^32, int64) in any order,
 * and start at the bias. Output rows are independent, so they split over the interpreter's intra-op threads, each
 * block with its own accumulator row.
 */
public final class FastTransposeConv implements OpKernel {
    /** Prepares as {@link TransposeConv}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        TransposeConv.Params p = TransposeConv.prepareParams(node);
        Rows fast = node.useFastKernels() ? of(p, node) : null;
        if (fast == null) return TransposeConv.reference(p);
        fast.splitRows(node);
        return fast;
    }

    /** The fast eval of a prepared node (heap for its tables accounted to {@code node}), or null when it does not qualify. */
    static Rows of(TransposeConv.Params p, NodeContext node) {
        ConvGeometry g = p.geometry();
        boolean work = g.batches() > 0 && g.outHeight() > 0 && g.outWidth() > 0 && g.outDepth() > 0 && g.inDepth() > 0
                && g.inHeight() > 0 && g.inWidth() > 0 && g.filterHeight() > 0 && g.filterWidth() > 0
                && g.strideH() >= 1 && g.strideW() >= 1;
        if (!work || !p.filter().isConstant() || !FastLoops.fixed(p.bias())) return null;
        long filterSize = (long) g.outDepth() * g.filterHeight() * g.filterWidth() * g.inDepth();
        long inputSize = (long) g.batches() * g.inHeight() * g.inWidth() * g.inDepth();
        long rowSize = (long) g.outWidth() * g.outDepth();
        int accBytes = p.variant() == TransposeConv.Variant.INT16 ? 8 : 4;
        boolean gather = FastLoops.VECTOR_API && p.variant() != TransposeConv.Variant.INT16;
        // in doubles: hostile sizes must reach the budget's check, not wrap around
        double gatherTerms = !gather ? 0 : (double) g.inDepth() * classTerms(g.outHeight(), g.inHeight(), g.filterHeight(), g.strideH(), g.padH())
                * classTerms(g.outWidth(), g.inWidth(), g.filterWidth(), g.strideW(), g.padW());
        double weights = gather ? (double) filterSize / g.outDepth() * ConvWindow.padded(g.outDepth()) : filterSize;
        double bytes = 4 * weights + 4.0 * inputSize + accBytes * (double) rowSize + 12.0 * g.inWidth()
                + 16.0 * g.filterHeight() * g.inDepth() + 8 * gatherTerms;
        KernelUtil.reserveHeap(node, (long) Math.min(bytes, Long.MAX_VALUE / 2.0),
                "the transposed convolution's repacked weights, input copy, accumulators and tap lists");
        return switch (p.variant()) {
            case INT8 -> new Int8(p, node);
            case INT16 -> new Int16(p);
            case FLOAT32 -> new Float32(p);
        };
    }

    /**
     * Along one axis, the input positions reaching each output position form a class (count, first filter tap); the
     * sum of the counts of the distinct classes (the gather form's tap lists hold the product over both axes, times
     * the input channels).
     */
    static long classTerms(int outSize, int inSize, int filter, int stride, int pad) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        long terms = 0;
        for (int o = 0; o < outSize; o++) {
            int lo = firstInput(o, inSize, filter, stride, pad), count = endInput(o, inSize, filter, stride, pad) - lo;
            int first = count > 0 ? (int) ((long) o + pad - (long) lo * stride) : 0;
            if (seen.add(((long) count << 32) | first)) terms += count;
        }
        return terms;
    }

    /**
     * The first input position {@code i} whose filter tap {@code o + pad - i * stride} for output position {@code o}
     * lies in {@code [0, filter)}, clipped to {@code [0, inSize)}; 0 when none does (then {@link #endInput} is 0 too).
     */
    static int firstInput(int o, int inSize, int filter, int stride, int pad) {
        long lo = Math.max(0, Math.floorDiv((long) o + pad - filter, stride) + 1);
        return lo < endInput(o, inSize, filter, stride, pad) ? (int) lo : 0;
    }

    /** One past the last such input position (the valid positions are contiguous); 0 when none is valid. */
    static int endInput(int o, int inSize, int filter, int stride, int pad) {
        long lo = Math.max(0, Math.floorDiv((long) o + pad - filter, stride) + 1);
        long hi = Math.min(inSize, Math.floorDiv((long) o + pad, stride) + 1);
        return hi > lo ? (int) hi : 0;
    }

    /**
     * The geometry of the row-gather, column-scatter loops and their driver: which input rows (and filter rows) reach
     * each output row, and for each input column the run of accumulators its taps update.
     */
    abstract static sealed class Rows implements PreparedOp permits Int8, Int16, Float32 {
        final Tensor input, output;
        final int batches, inH, inW, inD, fh, fw, outH, outW, outD, strideH, strideW, padH, padW;
        /** Input rows {@code [iyLo[oy], iyHi[oy])} reach output row oy, input row iy through filter row {@code oy + padH - iy * strideH}. */
        final int[] iyLo, iyHi;
        /** Input columns {@code [ixLo[ox], ixHi[ox])} reach output column ox (the gather form's columns). */
        final int[] ixLo, ixHi;
        /**
         * Input column ix updates the accumulators from {@code segAcc[ix]} on with elements {@code [segLo[ix],
         * segHi[ix])} of the weight rows ({@link #weightRow}); none when {@code segLo[ix] == segHi[ix]}.
         */
        final int[] segAcc, segLo, segHi;
        /** The length of a weight row, {@code fw * outD}: the length of a thread's run buffer. */
        final int maxRun;
        private SplitTask split;
        private final Object own;

        Rows(TransposeConv.Params p) {
            ConvGeometry g = p.geometry();
            input = p.input();
            output = p.output();
            batches = g.batches();
            inH = g.inHeight();
            inW = g.inWidth();
            inD = g.inDepth();
            fh = g.filterHeight();
            fw = g.filterWidth();
            outH = g.outHeight();
            outW = g.outWidth();
            outD = g.outDepth();
            strideH = g.strideH();
            strideW = g.strideW();
            padH = g.padH();
            padW = g.padW();
            iyLo = new int[outH];
            iyHi = new int[outH];
            for (int oy = 0; oy < outH; oy++) {
                iyLo[oy] = firstInput(oy, inH, fh, strideH, padH);
                iyHi[oy] = endInput(oy, inH, fh, strideH, padH);
            }
            ixLo = new int[outW];
            ixHi = new int[outW];
            for (int ox = 0; ox < outW; ox++) {
                ixLo[ox] = firstInput(ox, inW, fw, strideW, padW);
                ixHi[ox] = endInput(ox, inW, fw, strideW, padW);
            }
            // input column ix reaches output columns ox = ix * strideW - padW + fx, fx in [0, fw): one contiguous run
            // of the row's accumulators (output channel innermost), clipped to [0, outW)
            maxRun = fw * outD;
            segAcc = new int[inW];
            segLo = new int[inW];
            segHi = new int[inW];
            for (int ix = 0; ix < inW; ix++) {
                long first = (long) ix * strideW - padW;
                int lo = (int) Math.min(fw, Math.max(0, -first)), hi = (int) Math.max(lo, Math.min(fw, outW - first));
                segAcc[ix] = hi > lo ? (int) (first + lo) * outD : 0;
                segLo[ix] = lo * outD;
                segHi[ix] = hi * outD;
            }
            own = newScratch();
        }

        /**
         * The scatter form's weights: one row per (filter row, input channel), row {@link #weightRow}{@code (fy, ic)}
         * holding the filter columns times the output channels, {@code [fx][outChannel]}: the run of accumulators one
         * input pixel reaches in the row, in output order. Separate arrays indexed from 0 like the run buffer: C2 on
         * JDK 17 vectorises {@code t[i] += x * w[i]}, but not a loop whose arrays are indexed at different invariant
         * offsets. (Until the eighth round the row was laid out by stride phase, so a stride-2 input pixel updated two
         * runs of half the length, each pass paying C2's scalar pre- and post-loop twice.)
         */
        final int weightRow(int fy, int ic) { return fy * inD + ic; }

        /** The number of scatter weight rows. */
        final int weightRows() { return fh * inD; }

        /** Filter element {@code i} ({@code [outChannel][filterY][filterX][inChannel]}): its scatter weight row. */
        final int rowOf(int i) {
            int ic = i % inD, rest = i / inD;
            return weightRow((rest / fw) % fh, ic);
        }

        /** Filter element {@code i}: its index within its scatter weight row. */
        final int columnOf(int i) {
            int rest = i / inD;
            int fx = rest % fw, oc = rest / fw / fh;
            return fx * outD + oc;
        }

        /**
         * The gather form for the Vector API ({@link VectorConv#conv}: one output pixel's channels in registers over a
         * flat list of terms): for output pixel (oy, ox), class {@code of(oy, ox)} lists the terms (input row, input
         * column, input channel ascending: the reference's order for every output) as input offsets from
         * {@link #gatherBase} and offsets into weights laid out {@code [filterY][filterX][inChannel][p]}.
         */
        final ConvWindow.TapTable gatherTable(int p) {
            int[] rowClass = new int[outH], colClass = new int[outW];
            java.util.List<int[]> rows = new java.util.ArrayList<>(), cols = new java.util.ArrayList<>();
            for (int oy = 0; oy < outH; oy++) rowClass[oy] = classOf(rows, iyHi[oy] - iyLo[oy], firstRowTap(oy));
            for (int ox = 0; ox < outW; ox++) colClass[ox] = classOf(cols, ixHi[ox] - ixLo[ox], firstColumnTap(ox));
            int[][] x = new int[rows.size() * cols.size()][], w = new int[x.length][];
            for (int r = 0; r < rows.size(); r++) {
                for (int c = 0; c < cols.size(); c++) {
                    int[] ry = rows.get(r), cx = cols.get(c);
                    int k = r * cols.size() + c, j = 0;
                    x[k] = new int[ry[0] * cx[0] * inD];
                    w[k] = new int[x[k].length];
                    for (int a = 0; a < ry[0]; a++) {
                        for (int bb = 0; bb < cx[0]; bb++) {
                            int fy = ry[1] - a * strideH, fx = cx[1] - bb * strideW;
                            for (int ic = 0; ic < inD; ic++, j++) {
                                x[k][j] = (a * inW + bb) * inD + ic;
                                w[k][j] = ((fy * fw + fx) * inD + ic) * p;
                            }
                        }
                    }
                }
            }
            return new ConvWindow.TapTable(rowClass, colClass, cols.size(), x, w);
        }

        /** The index in {@code classes} of {count, first tap}, added when new. */
        private static int classOf(java.util.List<int[]> classes, int count, int first) {
            for (int k = 0; k < classes.size(); k++) if (classes.get(k)[0] == count && classes.get(k)[1] == first) return k;
            classes.add(new int[] {count, first});
            return classes.size() - 1;
        }

        /** The filter row of output row oy's first input row (0 when no input row reaches it). */
        private int firstRowTap(int oy) { return iyHi[oy] > iyLo[oy] ? oy + padH - iyLo[oy] * strideH : 0; }

        /** The filter column of output column ox's first input column (0 when no input column reaches it). */
        private int firstColumnTap(int ox) { return ixHi[ox] > ixLo[ox] ? ox + padW - ixLo[ox] * strideW : 0; }

        /** Input index of the first term of output pixel (oy, ox) of batch b in the gather form. */
        final int gatherBase(int b, int oy, int ox) { return ((b * inH + iyLo[oy]) * inW + ixLo[ox]) * inD; }

        /**
         * Filter element {@code i} of the {@code [outChannel][filterY][filterX][inChannel]} filter: its index in the
         * gather form's {@code [filterY][filterX][inChannel][p]} weights.
         */
        final int gathered(int i, int p) {
            int ic = i % inD, rest = i / inD;
            int fx = rest % fw;
            rest /= fw;
            int fy = rest % fh, oc = rest / fh;
            return ((fy * fw + fx) * inD + ic) * p + oc;
        }

        /** The number of output rows over all batches: the range {@link #evalRows} takes. */
        final int rows() { return batches * outH; }

        /** Reads the input tensor into the kernel's own copy; runs once per invoke before any {@link #evalRows}. */
        abstract void load();

        /** Computes output rows {@code [from, to)} (row r = output row {@code r % outH} of batch {@code r / outH}). */
        abstract void evalRows(int from, int to, Object scratch);

        /** One thread's accumulator row (and whatever else its rows need). */
        abstract Object newScratch();

        /**
         * At prepare: when the node may use several threads and its work pays for it ({@link NodeContext#minSplitWork()}
         * multiply-accumulates per range), cuts the output rows into one block per range, each with its own scratch.
         */
        final void splitRows(NodeContext node) {
            long perRow = (long) inW * inD * fw * outD * Math.max(1, (fh + strideH - 1) / strideH);
            split = RowBlocks.split(node, rows(), perRow, own, this::newScratch, this::evalRows);
        }

        /** Runs the node: the input loaded, then the rows on the calling thread or split over the intra-op threads. */
        @Override
        public final void eval() {
            load();
            if (split != null) split.run();
            else evalRows(0, rows(), own);
        }
    }

    /**
     * Per-thread state of the int8 rows: the accumulator row, the run buffer (a run of accumulators moved to the
     * weight rows' indexing while the input channels go through it), one pixel's accumulators, the output stage's lanes.
     */
    private record Int8Scratch(int[] acc, int[] run, int[] pixel, long[] lanes) {}

    static final class Int8 extends Rows {
        /**
         * The values of a scalar path's output-stage tile: a row's output pixels go through {@link ChannelRequant}
         * a tile of about this many values at a time (the per-channel parameters tiled at prepare), not pixel by
         * pixel: below 24 channels a pixel ran the fused scalar loop, from 24 four vectorised passes whose scalar
         * pre- and post-loops cost more than the pixel's values (conv AE's 16- and 32-channel layers: 30 and 60 calls
         * a row).
         */
        static final int TILE = 256;
        /** Prepare-heap bytes per value of a {@link ChannelRequant} (its int and long tables) and the tiled parameters. */
        private static final int REQUANT_BYTES = 96;
        private final int inputOffset, stride;
        /** Output pixels per output-stage tile (1: pixel by pixel) and the stages of a whole tile and of a row's last. */
        private final int tilePixels;
        private final ChannelRequant tileRequant, lastRequant;
        private final int[] bias, x;
        /** The gather form's weights {@code [fy][fx][ic][stride]} (Vector API), or null. */
        private final int[] gatherWeights;
        /**
         * The scalar scatter form's weights: per filter row, the weight rows of four input channels packed into one int
         * per run element and those of the last {@code inD % 4} channels as ints ({@link FastFullyConnected#packQuads}
         * with the run as its outputs and the input channels as its inputs), summed by {@link
         * FastFullyConnected#packedColumns}: a quarter of the weight bytes and eight input channels per pass over a run
         * (conv AE's runs of 112 and 224 accumulators: each pass pays C2's scalar pre- and post-loop); or null (the
         * Vector API's gather form).
         */
        private final int[][][] quads, tails;
        private final ChannelRequant requant;
        /** The Vector API's gather form's terms, or null: the scalar scatter form. */
        private final ConvWindow.TapTable taps;

        Int8(TransposeConv.Params p, NodeContext node) {
            super(p);
            ConvCommon.QuantParams q = p.quant();
            inputOffset = q.inputOffset();
            requant = new ChannelRequant(outD, q.multiplier(), q.shift(), q.outputOffset(), q.min(), q.max());
            int tile = tilePixels(outW, outD);
            int last = outW % tile;
            if (tile > 1 && !KernelUtil.tryReserveHeap(node, (long) REQUANT_BYTES * outD * (tile + last), "the output stage's tiled parameters")) {
                tile = 1;
            }
            tilePixels = tile;
            tileRequant = tile > 1 ? tiled(q, tile) : null;
            lastRequant = tile > 1 && last > 0 ? tiled(q, last) : null;
            stride = ConvWindow.padded(outD);
            bias = java.util.Arrays.copyOf(FastLoops.intBias(p.bias(), outD), stride);
            byte[] fa = p.filter().array();
            int fo = p.filter().offset(), size = outD * fh * fw * inD;
            taps = FastLoops.VECTOR_API ? gatherTable(stride) : null;
            int[][] scatter = null;
            if (taps != null) {
                gatherWeights = new int[size / outD * stride];
                for (int i = 0; i < size; i++) gatherWeights[gathered(i, stride)] = fa[fo + i];
            } else {
                gatherWeights = null;
                scatter = new int[weightRows()][maxRun];
                for (int i = 0; i < size; i++) scatter[rowOf(i)][columnOf(i)] = fa[fo + i];
            }
            if (scatter != null) {
                quads = new int[fh][][];
                tails = new int[quads.length][][];
                for (int k = 0; k < quads.length; k++) {
                    int len = maxRun;
                    byte[] runByChannel = new byte[len * inD];   // [run element][input channel]: packQuads' [rows][depth]
                    for (int ic = 0; ic < inD; ic++) {
                        int[] row = scatter[k * inD + ic];
                        for (int e = 0; e < len; e++) runByChannel[e * inD + ic] = (byte) row[e];
                    }
                    int[][] packed = FastFullyConnected.packQuads(runByChannel, 0, len, inD);
                    quads[k] = java.util.Arrays.copyOfRange(packed, 0, inD / 4);
                    tails[k] = java.util.Arrays.copyOfRange(packed, inD / 4, packed.length);
                }
            } else {
                quads = null;
                tails = null;
            }
            x = new int[batches * inH * inW * inD];
        }

        /** Output pixels per output-stage tile for rows of {@code outW} pixels of {@code outD} channels (1 on the Vector API). */
        private static int tilePixels(int outW, int outD) {
            return FastLoops.VECTOR_API ? 1 : Math.min(outW, Math.max(1, TILE / outD));
        }

        /** The output stage of {@code pixels} neighbouring output pixels: the per-channel parameters repeated per pixel. */
        private ChannelRequant tiled(ConvCommon.QuantParams q, int pixels) {
            int[] multiplier = new int[pixels * outD], shift = new int[pixels * outD];
            for (int k = 0; k < pixels; k++) {
                System.arraycopy(q.multiplier(), 0, multiplier, k * outD, outD);
                System.arraycopy(q.shift(), 0, shift, k * outD, outD);
            }
            return new ChannelRequant(pixels * outD, multiplier, shift, q.outputOffset(), q.min(), q.max());
        }

        @Override
        Object newScratch() {
            // tilePixels' bound, not the field: the first scratch is made in Rows' constructor, before it is set
            int pixelValues = Math.max(ConvWindow.padded(outD), tilePixels(outW, outD) * outD);
            return new Int8Scratch(new int[outW * outD], new int[maxRun], new int[pixelValues], new long[ConvWindow.padded(outD)]);
        }

        @Override
        void load() {
            FastLoops.widen(input.array(), input.offset(), x.length, inputOffset, x);
        }

        @Override
        void evalRows(int from, int to, Object scratch) {
            Int8Scratch s = (Int8Scratch) scratch;
            int[] acc = s.acc(), t = s.run(), pix = s.pixel(), x = this.x;
            byte[] oa = output.array();
            int n = outD;
            if (taps != null) {
                for (int r = from; r < to; r++) {
                    int b = r / outH, oy = r % outH, at = output.offset() + r * outW * n;
                    for (int ox = 0; ox < outW; ox++, at += n) {
                        int k = taps.of(oy, ox);
                        VectorConv.conv(gatherWeights, x, bias, pix, stride, gatherBase(b, oy, ox), taps.x()[k], taps.w()[k]);
                        requant.apply(pix, s.lanes(), oa, at);
                    }
                }
                return;
            }
            for (int r = from; r < to; r++) {
                int b = r / outH, oy = r % outH;
                for (int c = 0; c < acc.length; c += n) System.arraycopy(bias, 0, acc, c, n);
                for (int iy = iyLo[oy]; iy < iyHi[oy]; iy++) {
                    int fy = oy + padH - iy * strideH;
                    for (int ix = 0; ix < inW; ix++) {
                        int xb = ((b * inH + iy) * inW + ix) * inD;
                        int a = segAcc[ix], lo = segLo[ix], hi = segHi[ix];
                        if (lo == hi) continue;
                        System.arraycopy(acc, a, t, lo, hi - lo);
                        FastFullyConnected.packedColumns(quads[fy], tails[fy], x, xb, t, lo, hi);
                        System.arraycopy(t, lo, acc, a, hi - lo);
                    }
                }
                int at = output.offset() + r * outW * n;
                if (tilePixels > 1) {
                    for (int ox0 = 0; ox0 < outW; ox0 += tilePixels) {
                        int pixels = Math.min(tilePixels, outW - ox0);
                        System.arraycopy(acc, ox0 * n, pix, 0, pixels * n);
                        (pixels == tilePixels ? tileRequant : lastRequant).applyInts(pix, oa, at + ox0 * n);
                    }
                    continue;
                }
                for (int ox = 0; ox < outW; ox++, at += n) {
                    System.arraycopy(acc, ox * n, pix, 0, n);
                    requant.apply(pix, s.lanes(), oa, at);
                }
            }
        }
    }

    /** Per-thread state of the int16 rows: the int64 accumulator row and the run buffer. */
    private record Int16Scratch(long[] acc, long[] run) {}

    static final class Int16 extends Rows {
        private final int[] x;
        private final int[][] rows;
        private final long[] bias;
        private final int[] multiplier, shift;
        private final int min, max;

        Int16(TransposeConv.Params p) {
            super(p);
            ConvCommon.QuantParams q = p.quant();
            multiplier = q.multiplier().clone();
            shift = q.shift().clone();
            min = q.min();
            max = q.max();
            bias = new long[outD];
            Tensor bt = p.bias();
            if (bt != null) {
                boolean wide = bt.dataType() == DataType.INT64;
                for (int c = 0; c < outD; c++) {
                    bias[c] = wide ? LittleEndian.getLong(bt.array(), bt.offset() + 8 * c) : LittleEndian.getShort(bt.array(), bt.offset() + 2 * c);
                }
            }
            byte[] fa = p.filter().array();
            int fo = p.filter().offset(), size = outD * fh * fw * inD;
            rows = new int[weightRows()][maxRun];
            for (int i = 0; i < size; i++) rows[rowOf(i)][columnOf(i)] = fa[fo + i];
            x = new int[batches * inH * inW * inD];
        }

        @Override
        Object newScratch() { return new Int16Scratch(new long[outW * outD], new long[maxRun]); }

        @Override
        void load() {
            byte[] a = input.array();
            int off = input.offset();
            for (int i = 0; i < x.length; i++) x[i] = LittleEndian.getShort(a, off + 2 * i);
        }

        @Override
        void evalRows(int from, int to, Object scratch) {
            Int16Scratch s = (Int16Scratch) scratch;
            long[] acc = s.acc(), t = s.run();
            int[][] w = rows;
            int[] x = this.x;
            byte[] oa = output.array();
            int n = outD;
            for (int r = from; r < to; r++) {
                int b = r / outH, oy = r % outH;
                for (int c = 0; c < acc.length; c += n) System.arraycopy(bias, 0, acc, c, n);
                for (int iy = iyLo[oy]; iy < iyHi[oy]; iy++) {
                    int fy = oy + padH - iy * strideH;
                    for (int ix = 0; ix < inW; ix++) {
                        int xb = ((b * inH + iy) * inW + ix) * inD;
                        int a = segAcc[ix], lo = segLo[ix], hi = segHi[ix], row = weightRow(fy, 0);
                        if (lo == hi) continue;
                        System.arraycopy(acc, a, t, lo, hi - lo);
                        int ic = 0;
                        // four int16 x int8 products stay below 2^25: their int sum is exact
                        for (; ic + 3 < inD; ic += 4) {
                            int x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2], x3 = x[xb + ic + 3];
                            int[] w0 = w[row + ic], w1 = w[row + ic + 1], w2 = w[row + ic + 2], w3 = w[row + ic + 3];
                            for (int i = lo; i < hi; i++) t[i] += x0 * w0[i] + x1 * w1[i] + x2 * w2[i] + x3 * w3[i];
                        }
                        for (; ic < inD; ic++) {
                            int xv = x[xb + ic];
                            int[] w0 = w[row + ic];
                            for (int i = lo; i < hi; i++) t[i] += xv * w0[i];
                        }
                        System.arraycopy(t, lo, acc, a, hi - lo);
                    }
                }
                int at = output.offset() + 2 * r * outW * n;
                for (int ox = 0; ox < outW; ox++) {
                    int base = ox * n;
                    for (int c = 0; c < n; c++, at += 2) {
                        int v = FixedPoint.multiplyByQuantizedMultiplier(acc[base + c], multiplier[c], shift[c]);
                        LittleEndian.putShort(oa, at, (short) Math.min(Math.max(v, min), max));
                    }
                }
            }
        }
    }

    /** Per-thread state of the float rows: the accumulator row and run buffer (scatter form), one pixel's sums (gather form). */
    private record FloatScratch(float[] acc, float[] run, float[] pixel) {}

    static final class Float32 extends Rows {
        private final float min, max;
        private final int stride;
        private final float[] bias, x;
        /** The gather form's weights {@code [fy][fx][ic][stride]} (Vector API), or null. */
        private final float[] gatherWeights;
        /** The scatter form's weight rows ({@link #weightRow}), or null. */
        private final float[][] rows;
        /** The Vector API's gather form's terms, or null: the scalar scatter form. */
        private final ConvWindow.TapTable taps;

        Float32(TransposeConv.Params p) {
            super(p);
            min = p.floatMin();
            max = p.floatMax();
            bias = FastLoops.floatBias(p.bias(), outD);
            stride = ConvWindow.padded(outD);
            byte[] fa = p.filter().array();
            int fo = p.filter().offset(), size = outD * fh * fw * inD;
            taps = FastLoops.VECTOR_API ? gatherTable(stride) : null;
            if (taps != null) {
                gatherWeights = new float[size / outD * stride];
                for (int i = 0; i < size; i++) gatherWeights[gathered(i, stride)] = LittleEndian.getFloat(fa, fo + 4 * i);
                rows = null;
            } else {
                gatherWeights = null;
                rows = new float[weightRows()][maxRun];
                for (int i = 0; i < size; i++) rows[rowOf(i)][columnOf(i)] = LittleEndian.getFloat(fa, fo + 4 * i);
            }
            x = new float[batches * inH * inW * inD];
        }

        @Override
        Object newScratch() { return new FloatScratch(new float[outW * outD], new float[maxRun], new float[ConvWindow.padded(outD)]); }

        @Override
        void load() {
            FastLoops.floats(input.array(), input.offset(), x.length, x);
        }

        @Override
        void evalRows(int from, int to, Object scratch) {
            FloatScratch s = (FloatScratch) scratch;
            float[] acc = s.acc(), t = s.run(), pix = s.pixel(), x = this.x;
            byte[] oa = output.array();
            int n = outD;
            if (taps != null) {
                for (int r = from; r < to; r++) {
                    int b = r / outH, oy = r % outH, at = output.offset() + 4 * r * outW * n;
                    for (int ox = 0; ox < outW; ox++, at += 4 * n) {
                        int k = taps.of(oy, ox);
                        VectorConv.conv(gatherWeights, x, pix, stride, gatherBase(b, oy, ox), taps.x()[k], taps.w()[k]);
                        VectorConv.floatOutputs(pix, bias, n, min, max, oa, at);
                    }
                }
                return;
            }
            float[][] w = rows;
            for (int r = from; r < to; r++) {
                int b = r / outH, oy = r % outH;
                java.util.Arrays.fill(acc, 0f);
                for (int iy = iyLo[oy]; iy < iyHi[oy]; iy++) {
                    int fy = oy + padH - iy * strideH;
                    for (int ix = 0; ix < inW; ix++) {
                        int xb = ((b * inH + iy) * inW + ix) * inD;
                        int a = segAcc[ix], lo = segLo[ix], hi = segHi[ix], row = weightRow(fy, 0);
                        if (lo == hi) continue;
                        System.arraycopy(acc, a, t, lo, hi - lo);
                        int ic = 0;
                        for (; ic + 3 < inD; ic += 4) {
                            float x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2], x3 = x[xb + ic + 3];
                            float[] w0 = w[row + ic], w1 = w[row + ic + 1], w2 = w[row + ic + 2], w3 = w[row + ic + 3];
                            // left to right: the reference's order of the four products
                            for (int i = lo; i < hi; i++) t[i] = t[i] + x0 * w0[i] + x1 * w1[i] + x2 * w2[i] + x3 * w3[i];
                        }
                        for (; ic < inD; ic++) {
                            float xv = x[xb + ic];
                            float[] w0 = w[row + ic];
                            for (int i = lo; i < hi; i++) t[i] = t[i] + xv * w0[i];
                        }
                        System.arraycopy(t, lo, acc, a, hi - lo);
                    }
                }
                int at = output.offset() + 4 * r * outW * n;
                for (int ox = 0; ox < outW; ox++) {
                    int base = ox * n;
                    for (int c = 0; c < n; c++, at += 4) LittleEndian.putFloat(oa, at, KernelUtil.clamp(acc[base + c] + bias[c], min, max));
                }
            }
        }
    }
}
