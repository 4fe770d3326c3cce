package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
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
 * taps of every output row and column. Each invoke widens the input once (int8: plus the input offset) and, per output
 * pixel and valid tap in the reference's (filterY, filterX) order, runs {@code acc[oc] += w[tap][oc] * x[tap][oc /
 * multiplier]} with the channel innermost. int8 sums start at the bias (exact modulo 2^32 in any order); float sums
 * start at 0, add the taps in order and the bias last, as the reference does.
 */
public final class FastDepthwiseConv2D implements OpKernel {
    /** Prepares as {@link DepthwiseConv2D}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        DepthwiseConv2D.Params p = DepthwiseConv2D.prepareParams(node);
        PreparedOp fast = node.useFastKernels() ? of(p) : null;
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

    private static final class Int8 extends ConvWindow {
        private final int outputOffset, min, max, inputOffset, mult, filterSize;
        private final int[] weights, bias, mul, shift, x;

        Int8(DepthwiseConv2D.Params p) {
            super(p.geometry(), p.input(), p.output(), p.geometry().outDepth(), false);
            mult = p.depthMultiplier();
            filterSize = fh * fw * outD;
            ConvCommon.QuantParams q = p.quant();
            inputOffset = q.inputOffset();
            outputOffset = q.outputOffset();
            min = q.min();
            max = q.max();
            mul = q.multiplier();
            shift = q.shift();
            bias = FastLoops.intBias(p.bias(), outD);
            weights = new int[filterSize];
            FastLoops.widen(p.filterData(), p.filterDataOffset(), filterSize, 0, weights);
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
            int n = outD;
            for (int r = from; r < to; r++) {
                int b = r / outH, oy = r % outH;
                int outPos = output.offset() + r * outW * n;
                int iy0 = oy * strideH - padH;
                for (int ox = 0; ox < outW; ox++) {
                    int ix0 = ox * strideW - padW;
                    System.arraycopy(bias, 0, acc, 0, n);
                    for (int fy = fyLo[oy]; fy < fyHi[oy]; fy++) {
                        int rowBase = (b * inH + iy0 + dilH * fy) * inW;
                        for (int fx = fxLo[ox]; fx < fxHi[ox]; fx++) {
                            int xb = (rowBase + ix0 + dilW * fx) * inD;
                            int wb = (fy * fw + fx) * n;
                            if (mult == 1) {
                                for (int c = 0; c < n; c++) acc[c] += w[wb + c] * x[xb + c];
                            } else {
                                for (int ic = 0; ic < inD; ic++) {
                                    int xv = x[xb + ic], o = ic * mult, w0 = wb + o;
                                    for (int m = 0; m < mult; m++) acc[o + m] += w[w0 + m] * xv;
                                }
                            }
                        }
                    }
                    for (int c = 0; c < n; c++) {
                        int v = FixedPoint.multiplyByQuantizedMultiplier(acc[c], mul[c], shift[c]) + outputOffset;
                        oa[outPos + c] = (byte) KernelUtil.clamp(v, min, max);
                    }
                    outPos += n;
                }
            }
        }
    }

    private static final class Float32 extends ConvWindow {
        private final int mult, filterSize;
        private final float min, max;
        private final float[] weights, bias, x;

        Float32(DepthwiseConv2D.Params p) {
            super(p.geometry(), p.input(), p.output(), p.geometry().outDepth(), true);
            mult = p.depthMultiplier();
            filterSize = fh * fw * outD;
            min = p.floatMin();
            max = p.floatMax();
            bias = FastLoops.floatBias(p.bias(), outD);
            weights = new float[filterSize];
            FastLoops.floats(p.filter().array(), p.filter().offset(), filterSize, weights);
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
            int n = outD;
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
                            int wb = (fy * fw + fx) * n;
                            if (mult == 1) {
                                for (int c = 0; c < n; c++) acc[c] = acc[c] + x[xb + c] * w[wb + c];
                            } else {
                                for (int ic = 0; ic < inD; ic++) {
                                    float xv = x[xb + ic];
                                    int o = ic * mult, w0 = wb + o;
                                    for (int m = 0; m < mult; m++) acc[o + m] = acc[o + m] + xv * w[w0 + m];
                                }
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
