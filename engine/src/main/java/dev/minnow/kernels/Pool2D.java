package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

/**
 * AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D as TFLM's reference kernels: the window is clipped to the image (padding
 * is not counted), averages divide by the number of taps (integers rounding half away from zero), maxima start from
 * the type's lowest value; float32, int8 and int16 with matching input/output quantization. L2 pooling (float32 only)
 * is sqrtf of the mean of the squares over the taps; its Prepare sets the output's shape to the computed window grid.
 */
public final class Pool2D implements OpKernel {
    /** The pooling: AVERAGE_POOL_2D, MAX_POOL_2D or L2_POOL_2D. */
    public enum Kind { AVERAGE, MAX, L2 }

    /**
     * L2_POOL_2D: TfLitePoolParams, no Init; Prepare fetches the output, then the input, and copies the output's dims
     * to a persistent TfLiteIntArray (rank 4) before rewriting them.
     */
    public static NodeFootprint l2Footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(40, 4, new int[0], new int[] {Target.intArrayBytes(4)}, new int[0],
                Footprints.fetches(Footprints.OUTPUT, 0).of(op, g));
    }
    /** Element operations: every window tap inside the image, per channel and output position. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0));
        Options.Pool2D o = Options.Pool2D.of(op.options());
        int[] pad = ConvGeometry.paddings(o.padding(), in.dim(1), in.dim(2), o.filterHeight(), o.filterWidth(), o.strideH(),
                o.strideW(), 1, 1);
        long ty = ConvGeometry.tapsInside(in.dim(1), out.dim(1), o.filterHeight(), o.strideH(), 1, pad[0]);
        long tx = ConvGeometry.tapsInside(in.dim(2), out.dim(2), o.filterWidth(), o.strideW(), 1, pad[1]);
        return WorkCount.elements((long) out.dim(0) * out.dim(3) * ty * tx);
    }


    private final Kind kind;
    private final boolean average;

    /** A pooling kernel. */
    public Pool2D(Kind kind) {
        this.kind = kind;
        this.average = kind == Kind.AVERAGE;
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        Options.Pool2D o = Options.Pool2D.of(node.options());
        if (kind == Kind.L2) return prepareL2(node, in, out, o);
        int fh = o.filterHeight(), fw = o.filterWidth();
        ConvGeometry g = ConvGeometry.of(node, in, fh, fw, out, o.strideH(), o.strideW(), 1, 1,
                o.padding());
        node.require(g.inDepth() == g.outDepth(), "input depth %d != output depth %d", g.inDepth(), g.outDepth());
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        int activation = o.fusedActivationFunction();
        if (t == DataType.INT8 || t == DataType.INT16) {
            double scaleDiff = Math.abs(in.scale() - out.scale());
            node.require(scaleDiff <= 1.0e-6, "scale_diff <= 1.0e-6 was not true (input scale %s, output scale %s)", in.scale(), out.scale());
            node.require(in.zeroPoint() == out.zeroPoint(), "input zero point %d != output zero point %d", in.zeroPoint(), out.zeroPoint());
            int[] r = KernelUtil.activationRangeQuantized(node, activation, out);
            if (average && (g.filterHeight() <= 0 || g.filterWidth() <= 0)) throw node.fail("empty pooling window %dx%d", fh, fw);
            return new QuantPool(average, in, out, g, r[0], r[1]);
        }
        node.require(t == DataType.FLOAT32, "Type %s (%d) not supported.", t.name(), t.code());
        float[] r = KernelUtil.activationRangeFloat(activation);
        return new FloatPool(average, in, out, g, r[0], r[1]);
    }

    /**
     * L2_POOL_2D (l2_pool_2d.cc): 4-D tensors of one type, float32 only; Prepare computes the output's height and width
     * as ComputePaddingHeightWidth does (0 when the padding arguments are invalid) and writes them into the output's
     * shape, which minnow requires the model to declare already.
     */
    private static PreparedOp prepareL2(NodeContext node, Tensor in, Tensor out, Options.Pool2D o) {
        node.require(in.rank() == 4, "NumDimensions(input) != 4 (%d)", in.rank());
        node.require(out.rank() == 4, "NumDimensions(output) != 4 (%d)", out.rank());
        node.require(in.dataType() == out.dataType(), "input->type != output->type (%s != %s)", in.dataType().name(),
                out.dataType().name());
        node.require(in.dataType() == DataType.FLOAT32, "input->type != kTfLiteFloat32 (%s)", in.dataType().name());
        int inH = in.dim(1), inW = in.dim(2);
        int outW = Padding.outputSizeChecked(o.padding(), inW, o.filterWidth(), o.strideW(), 1);
        int outH = outW < 0 ? -1 : Padding.outputSizeChecked(o.padding(), inH, o.filterHeight(), o.strideH(), 1);
        int[] computed = {in.dim(0), Math.max(outH, 0), Math.max(outW, 0), in.dim(3)};
        node.require(java.util.Arrays.equals(computed, out.shape()), "TFLM sets the output shape to %s, the model declares %s",
                java.util.Arrays.toString(computed), java.util.Arrays.toString(out.shape()));
        ConvGeometry g = ConvGeometry.of(node, in, o.filterHeight(), o.filterWidth(), out, o.strideH(), o.strideW(), 1, 1,
                o.padding());
        float[] r = KernelUtil.activationRangeFloat(o.fusedActivationFunction());
        return new L2Pool(in, out, g, r[0], r[1]);
    }

    private record L2Pool(Tensor in, Tensor out, ConvGeometry g, float min, float max) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), d = g.inDepth();
            int pos = out.offset();
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int iy0 = oy * g.strideH() - g.padH(), ix0 = ox * g.strideW() - g.padW();
                        int fy0 = Math.max(0, -iy0), fy1 = Math.min(g.filterHeight(), g.inHeight() - iy0);
                        int fx0 = Math.max(0, -ix0), fx1 = Math.min(g.filterWidth(), g.inWidth() - ix0);
                        for (int c = 0; c < d; c++) {
                            float sum = 0f;
                            int count = 0;
                            for (int fy = fy0; fy < fy1; fy++) {
                                for (int fx = fx0; fx < fx1; fx++) {
                                    float v = LittleEndian.getFloat(ia, io + 4 * (((b * g.inHeight() + iy0 + fy) * g.inWidth() + ix0 + fx) * d + c));
                                    sum += v * v;
                                    count++;
                                }
                            }
                            // an empty window divides 0 by 0: x86's default NaN, which sqrtf and the clamp keep
                            float l2 = count == 0 ? Float.intBitsToFloat(0xffc00000) : (float) Math.sqrt(sum / count);
                            LittleEndian.putFloat(oa, pos, KernelUtil.clamp(l2, min, max));
                            pos += 4;
                        }
                    }
                }
            }
        }
    }

    private record FloatPool(boolean average, Tensor in, Tensor out, ConvGeometry g, float min, float max) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), d = g.inDepth();
            int pos = oo;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int iy0 = oy * g.strideH() - g.padH(), ix0 = ox * g.strideW() - g.padW();
                        int fy0 = Math.max(0, -iy0), fy1 = Math.min(g.filterHeight(), g.inHeight() - iy0);
                        int fx0 = Math.max(0, -ix0), fx1 = Math.min(g.filterWidth(), g.inWidth() - ix0);
                        for (int c = 0; c < d; c++) {
                            float acc = average ? 0f : -Float.MAX_VALUE;
                            int count = 0;
                            for (int fy = fy0; fy < fy1; fy++) {
                                for (int fx = fx0; fx < fx1; fx++) {
                                    float v = LittleEndian.getFloat(ia, io + 4 * (((b * g.inHeight() + iy0 + fy) * g.inWidth() + ix0 + fx) * d + c));
                                    if (average) { acc += v; count++; } else if (acc < v) acc = v;
                                }
                            }
                            float r = average ? acc / count : acc;
                            LittleEndian.putFloat(oa, pos, KernelUtil.clamp(r, min, max));
                            pos += 4;
                        }
                    }
                }
            }
        }
    }

    private record QuantPool(boolean average, Tensor in, Tensor out, ConvGeometry g, int min, int max) implements PreparedOp {
        @Override public void eval() {
            DataType t = in.dataType();
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), d = g.inDepth();
            int lowest = ElementIO.min(t);
            int i = 0;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int iy0 = oy * g.strideH() - g.padH(), ix0 = ox * g.strideW() - g.padW();
                        int fy0 = Math.max(0, -iy0), fy1 = Math.min(g.filterHeight(), g.inHeight() - iy0);
                        int fx0 = Math.max(0, -ix0), fx1 = Math.min(g.filterWidth(), g.inWidth() - ix0);
                        for (int c = 0; c < d; c++) {
                            int acc = average ? 0 : lowest;
                            int count = 0;
                            for (int fy = fy0; fy < fy1; fy++) {
                                for (int fx = fx0; fx < fx1; fx++) {
                                    int v = ElementIO.get(t, ia, io, ((b * g.inHeight() + iy0 + fy) * g.inWidth() + ix0 + fx) * d + c);
                                    if (average) { acc += v; count++; } else acc = Math.max(acc, v);
                                }
                            }
                            if (average) {
                                // count == 0 only for windows entirely outside the image; TFLM fails such an invoke.
                                acc = count == 0 ? 0 : acc > 0 ? (acc + count / 2) / count : (acc - count / 2) / count;
                            }
                            ElementIO.put(t, oa, oo, i++, Math.min(Math.max(acc, min), max));
                        }
                    }
                }
            }
        }
    }
}
