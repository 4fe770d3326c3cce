package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
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
 * valid filter taps of every output row and column (no bounds check per tap). Each invoke widens the input once
 * (int8: plus the input offset) and, per output pixel, runs {@code acc[oc] += w[tap][ic][oc] * x[tap][ic]} over the
 * valid taps in the reference's (filterY, filterX, inChannel) order with the output channel innermost, four input
 * channels at a time; int8 nodes whose filter rows hold at least {@link FastLoops#DOT_MIN_RUN} weights run as dot
 * products over each filter row's valid taps instead ({@link FastLoops#DOT_FORM}). int8 sums start at the bias (exact modulo 2^32 in any order); float sums start at 0, add the
 * products in the reference's order and the bias last.
 */
public final class FastConv2D implements OpKernel {
    /** Prepares as {@link Conv2D}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        Conv2D.Params p = Conv2D.prepareParams(node);
        PreparedOp fast = node.useFastKernels() ? of(p) : null;
        return fast != null ? fast : Conv2D.reference(p);
    }

    /** The fast eval of a prepared node, or null when it does not qualify. */
    public static PreparedOp of(Conv2D.Params p) {
        ConvGeometry g = p.geometry();
        boolean constantWeights = p.unpackedFilter() != null || p.filter().isConstant();
        boolean simple = g.strideH() >= 1 && g.strideW() >= 1 && g.dilationH() >= 1 && g.dilationW() >= 1
                && p.filterDepth() == g.inDepth() && p.outputsPerGroup() == g.outDepth();
        boolean work = g.batches() > 0 && g.outHeight() > 0 && g.outWidth() > 0 && g.outDepth() > 0 && g.inDepth() > 0;
        if (!constantWeights || !FastLoops.fixed(p.bias()) || !simple || !work) return null;
        return switch (p.variant()) {
            case INT8 -> new Int8(p);
            case FLOAT32 -> new Float32(p);
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

    private static final class Int8 extends ConvWindow {
        private final int outputOffset, min, max, inputOffset;
        private final int[] weights, bias, mult, shift, x;
        private final boolean dotForm;

        Int8(Conv2D.Params p) {
            super(p.geometry(), p.input(), p.output(), p.geometry().outDepth(), false);
            ConvCommon.QuantParams q = p.quant();
            inputOffset = q.inputOffset();
            outputOffset = q.outputOffset();
            min = q.min();
            max = q.max();
            mult = q.multiplier();
            shift = q.shift();
            bias = FastLoops.intBias(p.bias(), outD);
            byte[] w = p.filterData();
            int wo = p.filterDataOffset();
            // dot form: a filter row's valid taps are contiguous in input and weights (dilation 1 across)
            dotForm = FastLoops.DOT_FORM && dilW == 1 && fw * inD >= FastLoops.DOT_MIN_RUN;
            weights = new int[outD * fh * fw * inD];   // dot form: the filter's [oc][fy][fx][ic]; otherwise transposed
            for (int i = 0; i < weights.length; i++) weights[dotForm ? i : transposed(i, this, outD)] = w[wo + i];
            x = new int[batches * inH * inW * inD];
        }

        @Override
        void load() {
            FastLoops.widen(input.array(), input.offset(), x.length, inputOffset, x);
        }

        @Override
        void evalRows(int from, int to, Scratch s) {
            byte[] oa = output.array();
            int[] w = weights, x = this.x, acc = s.ints;
            int n = outD, tapStride = inD * n, fRow = fw * inD, fOut = fRow * fh;
            for (int r = from; r < to; r++) {
                int b = r / outH, oy = r % outH;
                int outPos = output.offset() + r * outW * n;
                int iy0 = oy * strideH - padH;
                for (int ox = 0; ox < outW; ox++) {
                    int ix0 = ox * strideW - padW;
                    if (dotForm) {
                        int fx0 = fxLo[ox], run = (fxHi[ox] - fx0) * inD;
                        System.arraycopy(bias, 0, acc, 0, n);
                        for (int fy = fyLo[oy]; fy < fyHi[oy]; fy++) {
                            int xb = ((b * inH + iy0 + dilH * fy) * inW + ix0 + fx0) * inD, wf = fy * fRow + fx0 * inD;
                            int c = 0;
                            for (; c + 3 < n; c += 4) FastLoops.dot4(w, c * fOut + wf, fOut, x, xb, run, acc, c);
                            for (; c < n; c++) acc[c] += FastLoops.dot(w, c * fOut + wf, x, xb, run);
                        }
                        requantize(acc, oa, outPos);
                        outPos += n;
                        continue;
                    }
                    System.arraycopy(bias, 0, acc, 0, n);
                    for (int fy = fyLo[oy]; fy < fyHi[oy]; fy++) {
                        int rowBase = (b * inH + iy0 + dilH * fy) * inW;
                        for (int fx = fxLo[ox]; fx < fxHi[ox]; fx++) {
                            int xb = (rowBase + ix0 + dilW * fx) * inD;
                            int wb = (fy * fw + fx) * tapStride;
                            int ic = 0;
                            for (; ic + 3 < inD; ic += 4) {
                                int x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2], x3 = x[xb + ic + 3];
                                int w0 = wb + ic * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
                                for (int c = 0; c < n; c++) acc[c] += w[w0 + c] * x0 + w[w1 + c] * x1 + w[w2 + c] * x2 + w[w3 + c] * x3;
                            }
                            for (; ic < inD; ic++) {
                                int xv = x[xb + ic], w0 = wb + ic * n;
                                for (int c = 0; c < n; c++) acc[c] += w[w0 + c] * xv;
                            }
                        }
                    }
                    requantize(acc, oa, outPos);
                    outPos += n;
                }
            }
        }

        private void requantize(int[] acc, byte[] oa, int at) {
            for (int c = 0; c < outD; c++) {
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc[c], mult[c], shift[c]) + outputOffset;
                oa[at + c] = (byte) KernelUtil.clamp(v, min, max);
            }
        }
    }

    private static final class Float32 extends ConvWindow {
        private final float min, max;
        private final float[] weights, bias, x;

        Float32(Conv2D.Params p) {
            super(p.geometry(), p.input(), p.output(), p.geometry().outDepth(), true);
            min = p.floatMin();
            max = p.floatMax();
            bias = FastLoops.floatBias(p.bias(), outD);
            Tensor f = p.filter();
            weights = new float[outD * fh * fw * inD];
            for (int i = 0; i < weights.length; i++) weights[transposed(i, this, outD)] = LittleEndian.getFloat(f.array(), f.offset() + 4 * i);
            x = new float[batches * inH * inW * inD];
        }

        @Override
        void load() {
            FastLoops.floats(input.array(), input.offset(), x.length, x);
        }

        @Override
        void evalRows(int from, int to, Scratch s) {
            byte[] oa = output.array();
            float[] w = weights, x = this.x, acc = s.floats;
            int n = outD, tapStride = inD * n;
            for (int r = from; r < to; r++) {
                int b = r / outH, oy = r % outH;
                int outPos = output.offset() + 4 * r * outW * n;
                int iy0 = oy * strideH - padH;
                for (int ox = 0; ox < outW; ox++) {
                    int ix0 = ox * strideW - padW;
                    java.util.Arrays.fill(acc, 0f);
                    for (int fy = fyLo[oy]; fy < fyHi[oy]; fy++) {
                        int rowBase = (b * inH + iy0 + dilH * fy) * inW;
                        for (int fx = fxLo[ox]; fx < fxHi[ox]; fx++) {
                            int xb = (rowBase + ix0 + dilW * fx) * inD;
                            int wb = (fy * fw + fx) * tapStride;
                            int ic = 0;
                            for (; ic + 3 < inD; ic += 4) {
                                float x0 = x[xb + ic], x1 = x[xb + ic + 1], x2 = x[xb + ic + 2], x3 = x[xb + ic + 3];
                                int w0 = wb + ic * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
                                // left to right: the reference's order of the four products
                                for (int c = 0; c < n; c++) acc[c] = acc[c] + x0 * w[w0 + c] + x1 * w[w1 + c] + x2 * w[w2 + c] + x3 * w[w3 + c];
                            }
                            for (; ic < inD; ic++) {
                                float xv = x[xb + ic];
                                int w0 = wb + ic * n;
                                for (int c = 0; c < n; c++) acc[c] = acc[c] + xv * w[w0 + c];
                            }
                        }
                    }
                    for (int c = 0; c < n; c++) LittleEndian.putFloat(oa, outPos + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
                    outPos += 4 * n;
                }
            }
        }
    }
}
