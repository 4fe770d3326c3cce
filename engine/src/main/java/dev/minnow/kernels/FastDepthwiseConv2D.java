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
 * add the taps in order and the bias last, as the reference does.
 */
public final class FastDepthwiseConv2D implements OpKernel {
    /** Prepares as {@link DepthwiseConv2D}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        DepthwiseConv2D.Params p = DepthwiseConv2D.prepareParams(node);
        PreparedOp fast = node.useFastKernels() ? of(p) : null;
        if (fast instanceof ConvWindow w) w.splitRows(node, (long) p.geometry().filterHeight() * p.geometry().filterWidth());
        return fast != null ? fast : DepthwiseConv2D.reference(p);
    }

    /** The fast eval of a prepared node, or null when it does not qualify. */
    public static PreparedOp of(DepthwiseConv2D.Params p) {
        ConvGeometry g = p.geometry();
        boolean constantWeights = p.unpackedFilter() != null || p.filter().isConstant();
        boolean simple = g.strideH() >= 1 && g.strideW() >= 1 && g.dilationH() >= 1 && g.dilationW() >= 1
                && p.depthMultiplier() >= 1 && g.outDepth() == g.inDepth() * p.depthMultiplier();
        boolean work = g.batches() > 0 && g.outHeight() > 0 && g.outWidth() > 0 && g.outDepth() > 0;
        if (!constantWeights || !FastLoops.fixed(p.bias()) || !simple || !work) return null;
        return switch (p.variant()) {
            case INT8 -> new Int8(p);
            case FLOAT32 -> new Float32(p);
            default -> null;
        };
    }

    /**
     * The window of a depthwise node with its input expanded to one value per output channel; the row and pixel loops
     * of both element types, each pixel computed by {@link #pixel}.
     */
    private abstract static class Depthwise extends ConvWindow {
        final int mult;
        /** Input index steps between filter rows and between filter columns (the expanded input has outD per pixel). */
        final int yStep, xStep;
        /** The Vector API path's taps (null without it). */
        final TapTable taps;

        Depthwise(DepthwiseConv2D.Params p, int accLength, boolean floating) {
            super(p.geometry(), p.input(), p.output(), accLength, floating);
            mult = p.depthMultiplier();
            yStep = dilH * inW * outD;
            xStep = dilW * outD;
            taps = FastLoops.VECTOR_API ? tapTable(1, yStep, xStep, outD, 0) : null;
        }

        /** Length of the expanded input: a value per output channel and pixel, plus a vector's slack. */
        final int expandedLength() { return batches * inH * inW * outD + LANES; }

        @Override
        final void evalRows(int from, int to, Scratch s) {
            for (int r = from; r < to; r++) {
                int oy = r % outH, origin = rowOrigin(r, outD), outPixel = r * outW;
                for (int ox = 0; ox < outW; ox++) pixel(origin + ox * strideW * outD, oy, ox, outPixel + ox, s);
            }
        }

        /**
         * Output pixel (oy, ox), flat index {@code outPixel} in the output: {@code base} is the expanded input's index
         * of its tap (0, 0) (only valid taps, {@code [fyLo[oy], fyHi[oy]) x [fxLo[ox], fxHi[ox])}, are read).
         */
        abstract void pixel(int base, int oy, int ox, int outPixel, Scratch s);
    }

    /**
     * int8. Without the Vector API and with filter columns adjacent (dilation 1 across), a filter row's valid taps
     * are one contiguous run of {@code (fx1 - fx0) * outD} values in both the expanded input and the weights, so each
     * pixel is a few long counted loops C2 vectorises: the products of up to three filter rows at a time summed into a
     * row buffer ({@code rowSums[k]}, k over the run), then the run folded per channel onto the bias. Integer sums are
     * exact modulo 2^32, so regrouping them gives the reference's bytes.
     */
    private static final class Int8 extends Depthwise {
        private final int inputOffset;
        private final int[] weights, bias, x;
        private final ChannelRequant requant;
        /** Where the row buffer starts in the scratch ints (after the accumulators). */
        private final int rowAt;
        private final boolean rowRuns;

        Int8(DepthwiseConv2D.Params p) {
            super(p, padded(p.geometry().outDepth()) + p.geometry().filterWidth() * p.geometry().outDepth(), false);
            ConvCommon.QuantParams q = p.quant();
            inputOffset = q.inputOffset();
            requant = new ChannelRequant(outD, q.multiplier(), q.shift(), q.outputOffset(), q.min(), q.max());
            bias = java.util.Arrays.copyOf(FastLoops.intBias(p.bias(), outD), padded(outD));
            int filterSize = fh * fw * outD;
            weights = new int[filterSize + LANES];
            FastLoops.widen(p.filterData(), p.filterDataOffset(), filterSize, 0, weights);
            x = new int[expandedLength()];
            rowAt = padded(outD);
            rowRuns = dilW == 1;
        }

        @Override
        void load() {
            byte[] in = input.array();
            int off = input.offset(), pixels = batches * inH * inW;
            if (mult == 1) {
                FastLoops.widen(in, off, pixels * inD, inputOffset, x);
                return;
            }
            for (int i = 0, o = 0; i < pixels * inD; i++) {
                int v = in[off + i] + inputOffset;
                for (int m = 0; m < mult; m++) x[o++] = v;
            }
        }

        @Override
        void pixel(int base, int oy, int ox, int outPixel, Scratch s) {
            int[] acc = s.ints;
            int n = outD, fy0 = fyLo[oy], fy1 = fyHi[oy], fx0 = fxLo[ox], fx1 = fxHi[ox];
            if (FastLoops.VECTOR_API) {
                int k = taps.of(oy, ox);
                VectorDepthwise.pixel(weights, x, bias, acc, n, base, taps.x()[k], taps.w()[k]);
            } else if (fy0 >= fy1 || fx0 >= fx1) {
                System.arraycopy(bias, 0, acc, 0, n);
            } else if (rowRuns) {
                rowSums(acc, base, fy0, fy1, fx0, fx1);
            } else {
                System.arraycopy(bias, 0, acc, 0, n);
                int[] w = weights, x = this.x;
                for (int fy = fy0; fy < fy1; fy++) {
                    for (int fx = fx0; fx < fx1; fx++) {
                        int xb = base + fy * yStep + fx * xStep, wb = (fy * fw + fx) * n;
                        for (int c = 0; c < n; c++) acc[c] += w[wb + c] * x[xb + c];
                    }
                }
            }
            requant.apply(acc, s.longs, output.array(), output.offset() + outPixel * n);
        }

        /** The scalar pixel over contiguous filter-row runs (see the class comment); at least one valid tap. */
        private void rowSums(int[] acc, int base, int fy0, int fy1, int fx0, int fx1) {
            int[] w = weights, x = this.x, t = acc;
            int n = outD, run = (fx1 - fx0) * n, t0 = rowAt, wRow = fw * n, ys = yStep;
            int xr = base + fy0 * ys + fx0 * n, wr = (fy0 * fw + fx0) * n;
            for (int k = 0; k < run; k++) t[t0 + k] = w[wr + k] * x[xr + k];
            int fy = fy0 + 1;
            xr += ys;
            wr += wRow;
            for (; fy + 3 <= fy1; fy += 3, xr += 3 * ys, wr += 3 * wRow) {
                int x1 = xr + ys, x2 = x1 + ys, w1 = wr + wRow, w2 = w1 + wRow;
                for (int k = 0; k < run; k++) t[t0 + k] += w[wr + k] * x[xr + k] + w[w1 + k] * x[x1 + k] + w[w2 + k] * x[x2 + k];
            }
            if (fy + 2 <= fy1) {
                int x1 = xr + ys, w1 = wr + wRow;
                for (int k = 0; k < run; k++) t[t0 + k] += w[wr + k] * x[xr + k] + w[w1 + k] * x[x1 + k];
            } else if (fy < fy1) {
                for (int k = 0; k < run; k++) t[t0 + k] += w[wr + k] * x[xr + k];
            }
            int[] b = bias;
            for (int c = 0; c < n; c++) acc[c] = b[c] + t[t0 + c];
            for (int j = t0 + n; j < t0 + run; j += n) {
                for (int c = 0; c < n; c++) acc[c] += t[j + c];
            }
        }
    }

    /**
     * float32. Every output adds its taps in the reference's (filterY, filterX) order from 0, then the bias; the scalar
     * loop takes up to three taps of a filter row per pass over the channels, added one after another in that order.
     */
    private static final class Float32 extends Depthwise {
        private final float min, max;
        private final float[] weights, bias, x;

        Float32(DepthwiseConv2D.Params p) {
            super(p, padded(p.geometry().outDepth()), true);
            min = p.floatMin();
            max = p.floatMax();
            bias = FastLoops.floatBias(p.bias(), outD);
            int filterSize = fh * fw * outD;
            weights = new float[filterSize + LANES];
            FastLoops.floats(p.filter().array(), p.filter().offset(), filterSize, weights);
            x = new float[expandedLength()];
        }

        @Override
        void load() {
            byte[] in = input.array();
            int off = input.offset(), pixels = batches * inH * inW;
            if (mult == 1) {
                FastLoops.floats(in, off, pixels * inD, x);
                return;
            }
            for (int i = 0, o = 0; i < pixels * inD; i++) {
                float v = LittleEndian.getFloat(in, off + 4 * i);
                for (int m = 0; m < mult; m++) x[o++] = v;
            }
        }

        @Override
        void pixel(int base, int oy, int ox, int outPixel, Scratch s) {
            float[] acc = s.floats, w = weights, x = this.x;
            byte[] oa = output.array();
            int n = outD, outPos = output.offset() + 4 * outPixel * n;
            if (FastLoops.VECTOR_API) {
                int k = taps.of(oy, ox);
                VectorDepthwise.pixel(w, x, acc, n, base, taps.x()[k], taps.w()[k]);
                VectorConv.floatOutputs(acc, bias, n, min, max, oa, outPos);
                return;
            }
            java.util.Arrays.fill(acc, 0, n, 0f);
            int fx0 = fxLo[ox], fx1 = fxHi[ox], xs = xStep;
            for (int fy = fyLo[oy], fyEnd = fyHi[oy]; fy < fyEnd; fy++) {
                int xr = base + fy * yStep, wr = fy * fw * n, fx = fx0;
                for (; fx + 3 <= fx1; fx += 3) {
                    int x0 = xr + fx * xs, x1 = x0 + xs, x2 = x1 + xs, w0 = wr + fx * n, w1 = w0 + n, w2 = w1 + n;
                    for (int c = 0; c < n; c++) acc[c] = acc[c] + x[x0 + c] * w[w0 + c] + x[x1 + c] * w[w1 + c] + x[x2 + c] * w[w2 + c];
                }
                for (; fx < fx1; fx++) {
                    int x0 = xr + fx * xs, w0 = wr + fx * n;
                    for (int c = 0; c < n; c++) acc[c] = acc[c] + x[x0 + c] * w[w0 + c];
                }
            }
            for (int c = 0; c < n; c++) LittleEndian.putFloat(oa, outPos + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
        }
    }
}
