package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.SplitTask;
import dev.minnow.runtime.Tensor;

/**
 * What the fast windowed kernels ({@link FastConv2D}, {@link FastDepthwiseConv2D}) share: the node's sizes, strides,
 * dilations and paddings, the valid filter taps of every output row and column (computed once at prepare, so the
 * loops check no tap), and the shape of an eval as work over output rows. An eval is {@link #load()} (the input
 * read once into the kernel's int or float copy) and then {@link #evalRows} over rows {@code [0, rows())}, where row
 * {@code r} is output row {@code r % outH} of batch {@code r / outH}: disjoint row ranges write disjoint outputs and
 * read only the loaded input and the prepared weights, so they may run on several threads, each with its own
 * {@link Scratch} from {@link #newScratch()}.
 */
abstract class ConvWindow implements PreparedOp {
    /** Channels per vector in {@link VectorConv}: accumulators and padded arrays come in whole multiples of it. */
    static final int LANES = 8;

    final Tensor input, output;
    final int batches, inH, inW, inD, fh, fw, outH, outW, outD, strideH, strideW, dilH, dilW, padH, padW;
    /** Valid filter taps of output row oy: {@code [fyLo[oy], fyHi[oy])}; of output column ox: {@code [fxLo[ox], fxHi[ox])}. */
    final int[] fyLo, fyHi, fxLo, fxHi;
    private final int accLength, planeCount, planeLength;
    private final boolean floating;
    /** Per-thread float rows beside the accumulators ({@link Scratch#rows}): how many, and their length. */
    private final int floatRows, floatRowLength;
    private final Scratch own;
    /** The rows split over the interpreter's intra-op threads ({@link #splitRows}), or null: all rows on the caller. */
    private SplitTask split;

    /** Per-thread accumulators: the channels of one output pixel, int (with 64-bit lanes for the output stage) or float. */
    static final class Scratch {
        final int[] ints;
        final long[] longs;
        final float[] floats;
        /**
         * Float rows of the kernel's own use, each its own array (JDK 17's C2 vectorises a loop over several float
         * arrays only when they share one index, not at different offsets into one array); empty unless asked for.
         */
        final float[][] rows;
        /** Planar loops' input planes (one int array per filter term, {@code planeLength} pixels each), or empty. */
        final int[][] planes;
        /** The thread's bulk writer of float outputs (each keeps a view of the output array it last wrote). */
        final FloatRead out = new FloatRead();

        Scratch(int n, boolean floating) { this(n, floating, 0, 0, 0, 0); }

        Scratch(int n, boolean floating, int rowCount, int rowLength, int planeCount, int planeLength) {
            ints = floating ? null : new int[n];
            longs = floating ? null : new long[n];
            floats = floating ? new float[n] : null;
            rows = new float[rowCount][rowLength];
            planes = new int[planeCount][planeLength];
        }
    }

    /**
     * The window of {@code g} from {@code input} to {@code output}; each thread's accumulators hold {@code accLength}
     * ints, or floats when {@code floating}.
     */
    ConvWindow(ConvGeometry g, Tensor input, Tensor output, int accLength, boolean floating) {
        this(g, input, output, accLength, floating, 0, 0, 0, 0);
    }

    /**
     * As {@link #ConvWindow(ConvGeometry, Tensor, Tensor, int, boolean)}, each thread's scratch also holding
     * {@code floatRows} float rows of {@code floatRowLength} ({@link Scratch#rows}) and {@code planeCount} int planes
     * of {@code planeLength} ({@link Scratch#planes}).
     */
    ConvWindow(ConvGeometry g, Tensor input, Tensor output, int accLength, boolean floating, int floatRows, int floatRowLength,
            int planeCount, int planeLength) {
        this.input = input;
        this.output = output;
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
        dilH = g.dilationH();
        dilW = g.dilationW();
        padH = g.padH();
        padW = g.padW();
        int[][] ys = FastLoops.tapRanges(outH, inH, fh, strideH, dilH, padH);
        int[][] xs = FastLoops.tapRanges(outW, inW, fw, strideW, dilW, padW);
        fyLo = ys[0];
        fyHi = ys[1];
        fxLo = xs[0];
        fxHi = xs[1];
        this.accLength = accLength;
        this.planeCount = planeCount;
        this.planeLength = planeLength;
        this.floating = floating;
        this.floatRows = floatRows;
        this.floatRowLength = floatRowLength;
        own = newScratch();
    }

    /**
     * The valid taps of every output pixel as flat offset lists, for loops that run over a pixel's taps in one loop
     * (the Vector API keeps its sums in registers through one loop, not through the fy/fx/ic nest when its bounds
     * vary). Pixels whose rows and columns have the same tap ranges share a class; class {@code rowClass[oy] * cols +
     * colClass[ox]} lists, in the reference's (filterY, filterX, inner) order, each term's input offset from the
     * pixel's tap (0, 0) index and its weight offset.
     */
    record TapTable(int[] rowClass, int[] colClass, int cols, int[][] x, int[][] w) {
        /** The class of output pixel (oy, ox). */
        int of(int oy, int ox) { return rowClass[oy] * cols + colClass[ox]; }

        /**
         * How many output pixels from column {@code ox} on one Vector API pass takes: 4 (when {@code most} is 4) or 2
         * neighbours of {@code ox}'s column class, else 1 ({@link VectorConv#conv4}, {@code conv2}, {@code conv}).
         */
        int pixelRun(int ox, int most) {
            int cls = colClass[ox], run = 1;
            while (run < most && ox + run < colClass.length && colClass[ox + run] == cls) run++;
            return run == 4 ? 4 : run >= 2 ? 2 : 1;
        }
    }

    /**
     * The tap table of this window: {@code inner} terms per tap (a conv's input channels, 1 for depthwise), term
     * {@code (fy, fx, i)} at input offset {@code fy * yStep + fx * xStep + i} and weight offset {@code (fy * fw + fx)
     * * wTap + i * wInner}.
     */
    final TapTable tapTable(int inner, int yStep, int xStep, int wTap, int wInner) {
        int[] rowClass = new int[outH], colClass = new int[outW];
        java.util.List<int[]> rows = classes(fyLo, fyHi, rowClass), cols = classes(fxLo, fxHi, colClass);
        int[][] x = new int[rows.size() * cols.size()][], w = new int[x.length][];
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < cols.size(); c++) {
                int[] ys = rows.get(r), xs = cols.get(c);
                int k = r * cols.size() + c, count = (ys[1] - ys[0]) * (xs[1] - xs[0]) * inner, j = 0;
                x[k] = new int[count];
                w[k] = new int[count];
                for (int fy = ys[0]; fy < ys[1]; fy++) {
                    for (int fx = xs[0]; fx < xs[1]; fx++) {
                        for (int i = 0; i < inner; i++, j++) {
                            x[k][j] = fy * yStep + fx * xStep + i;
                            w[k][j] = (fy * fw + fx) * wTap + i * wInner;
                        }
                    }
                }
            }
        }
        return new TapTable(rowClass, colClass, cols.size(), x, w);
    }

    /** The distinct {lo, hi} ranges of {@code lo[o], hi[o]}, each position's index into them written to {@code classOf}. */
    private static java.util.List<int[]> classes(int[] lo, int[] hi, int[] classOf) {
        java.util.List<int[]> ranges = new java.util.ArrayList<>();
        for (int o = 0; o < lo.length; o++) {
            int k = 0;
            while (k < ranges.size() && (ranges.get(k)[0] != lo[o] || ranges.get(k)[1] != hi[o])) k++;
            if (k == ranges.size()) ranges.add(new int[] {lo[o], hi[o]});
            classOf[o] = k;
        }
        return ranges;
    }

    /** {@code n} rounded up to whole vectors of {@link #LANES}. */
    static int padded(int n) { return (n + LANES - 1) / LANES * LANES; }

    /**
     * Index, in an NHWC input holding {@code channels} values per pixel, of the tap (0, 0) of output row {@code r}'s
     * column 0 (inside or outside the input: only valid taps are read from it).
     */
    final int rowOrigin(int r, int channels) {
        int b = r / outH, oy = r % outH;
        return ((b * inH + oy * strideH - padH) * inW - padW) * channels;
    }

    /** The number of output rows over all batches: the range {@link #evalRows} takes. */
    final int rows() { return batches * outH; }

    /** Reads the input tensor into the kernel's own copy; runs once per invoke before any {@link #evalRows}. */
    abstract void load();

    /** Computes output rows {@code [from, to)} (see the class comment) with the accumulators of {@code s}. */
    abstract void evalRows(int from, int to, Scratch s);

    /** Accumulators for one more thread running {@link #evalRows}. */
    final Scratch newScratch() { return new Scratch(accLength, floating, floatRows, floatRowLength, planeCount, planeLength); }

    /**
     * At prepare: when the node may use several threads ({@link NodeContext#threads()}) and its work pays for it
     * ({@link NodeContext#minSplitWork()} multiply-accumulates per range, {@code macsPerOutput} per output element),
     * cuts the rows into one block per range, each block with its own accumulators, and hands the blocks to
     * {@link NodeContext#split}. A block is computed whole by one thread, so the bytes do not depend on the split.
     */
    final void splitRows(NodeContext node, long macsPerOutput) {
        split = RowBlocks.split(node, rows(), macsPerOutput * outW * outD, own, this::newScratch, this::evalRows);
    }

    /** Runs the node: the input loaded, then the rows on the calling thread or split over the intra-op threads. */
    @Override
    public final void eval() {
        load();
        if (split != null) split.run();
        else evalRows(0, rows(), own);
    }
}
