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
 * ({@link VectorConv#depthwise}). int8 sums start at the bias (exact modulo 2^32 in any order); float sums start at 0,
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

    /** The window of a depthwise node with its input expanded to one value per output channel. */
    private abstract static class Depthwise extends ConvWindow {
        final int mult;
        /** The Vector API path's taps (null without it). */
        final TapTable taps;

        Depthwise(DepthwiseConv2D.Params p, boolean floating) {
            super(p.geometry(), p.input(), p.output(), padded(p.geometry().outDepth()), floating);
            mult = p.depthMultiplier();
            taps = FastLoops.VECTOR_API ? tapTable(1, dilH * inW * outD, dilW * outD, outD, 0) : null;
        }

        /** Length of the expanded input: a value per output channel and pixel, plus a vector's slack. */
        final int expandedLength() { return batches * inH * inW * outD + LANES; }
    }

    private static final class Int8 extends Depthwise {
        private final int inputOffset;
        private final int[] weights, bias, x;
        private final ChannelRequant requant;

        Int8(DepthwiseConv2D.Params p) {
            super(p, false);
            ConvCommon.QuantParams q = p.quant();
            inputOffset = q.inputOffset();
            requant = new ChannelRequant(outD, q.multiplier(), q.shift(), q.outputOffset(), q.min(), q.max());
            bias = java.util.Arrays.copyOf(FastLoops.intBias(p.bias(), outD), padded(outD));
            int filterSize = fh * fw * outD;
            weights = new int[filterSize + LANES];
            FastLoops.widen(p.filterData(), p.filterDataOffset(), filterSize, 0, weights);
            x = new int[expandedLength()];
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
        void evalRows(int from, int to, Scratch s) {
            byte[] oa = output.array();
            int[] w = weights, x = this.x, acc = s.ints;
            int n = outD, yStep = dilH * inW * n, xStep = dilW * n;
            for (int r = from; r < to; r++) {
                int oy = r % outH, fy0 = fyLo[oy], fy1 = fyHi[oy];
                int rowBase = rowOrigin(r, outD) + fy0 * yStep, outPos = output.offset() + r * outW * n;
                for (int ox = 0; ox < outW; ox++, outPos += n) {
                    int pixel = rowBase + ox * strideW * n, fx0 = fxLo[ox], fx1 = fxHi[ox];
                    if (FastLoops.VECTOR_API) {
                        int k = taps.of(oy, ox);
                        VectorConv.depthwise(w, x, bias, acc, n, pixel - fy0 * yStep, taps.x()[k], taps.w()[k]);
                    } else {
                        System.arraycopy(bias, 0, acc, 0, n);
                        for (int fy = fy0, xr = pixel; fy < fy1; fy++, xr += yStep) {
                            for (int fx = fx0; fx < fx1; fx++) {
                                int xb = xr + fx * xStep, wb = (fy * fw + fx) * n;
                                for (int c = 0; c < n; c++) acc[c] += w[wb + c] * x[xb + c];
                            }
                        }
                    }
                    requant.apply(acc, s.longs, oa, outPos);
                }
            }
        }
    }

    private static final class Float32 extends Depthwise {
        private final float min, max;
        private final float[] weights, bias, x;

        Float32(DepthwiseConv2D.Params p) {
            super(p, true);
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
        void evalRows(int from, int to, Scratch s) {
            byte[] oa = output.array();
            float[] w = weights, x = this.x, acc = s.floats;
            int n = outD, yStep = dilH * inW * n, xStep = dilW * n;
            for (int r = from; r < to; r++) {
                int oy = r % outH, fy0 = fyLo[oy], fy1 = fyHi[oy];
                int rowBase = rowOrigin(r, outD) + fy0 * yStep, outPos = output.offset() + 4 * r * outW * n;
                for (int ox = 0; ox < outW; ox++, outPos += 4 * n) {
                    int pixel = rowBase + ox * strideW * n, fx0 = fxLo[ox], fx1 = fxHi[ox];
                    if (FastLoops.VECTOR_API) {
                        int k = taps.of(oy, ox);
                        VectorConv.depthwise(w, x, acc, n, pixel - fy0 * yStep, taps.x()[k], taps.w()[k]);
                    } else {
                        java.util.Arrays.fill(acc, 0, n, 0f);
                        for (int fy = fy0, xr = pixel; fy < fy1; fy++, xr += yStep) {
                            for (int fx = fx0; fx < fx1; fx++) {
                                int xb = xr + fx * xStep, wb = (fy * fw + fx) * n;
                                for (int c = 0; c < n; c++) acc[c] = acc[c] + x[xb + c] * w[wb + c];
                            }
                        }
                    }
                    if (FastLoops.VECTOR_API) {
                        VectorConv.floatOutputs(acc, bias, n, min, max, oa, outPos);
                    } else {
                        for (int c = 0; c < n; c++) LittleEndian.putFloat(oa, outPos + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
                    }
                }
            }
        }
    }
}
