package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * L2_POOL_2D as TFLM's l2_pool_2d.cc: float32 only, sqrtf of the mean of the squares over the window's taps inside the
 * image (padding is not counted), clamped to the fused activation. Prepare computes the output's height and width as
 * ComputePaddingHeightWidth does (0 when the padding arguments are invalid) and TFLM writes them into the output's
 * shape; minnow requires the model to declare that shape already. Work is counted like the other poolings
 * ({@link Pool2D#work}).
 */
public final class L2Pool2D implements OpKernel {
    /**
     * TfLitePoolParams, no Init; Prepare fetches the output, then the input, and copies the output's dims to a
     * persistent TfLiteIntArray (rank 4) before rewriting them.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(40, 4, new int[0], new int[] {Target.intArrayBytes(4)}, new int[0],
                Footprints.fetches(Footprints.OUTPUT, 0).of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        Options.Pool2D o = Options.Pool2D.of(node.options());
        node.require(in.rank() == 4, "NumDimensions(input) != 4 (%d)", in.rank());
        node.require(out.rank() == 4, "NumDimensions(output) != 4 (%d)", out.rank());
        node.require(in.dataType() == out.dataType(), "input->type != output->type (%s != %s)", in.dataType().name(),
                out.dataType().name());
        node.require(in.dataType() == DataType.FLOAT32, "input->type != kTfLiteFloat32 (%s)", in.dataType().name());
        int outW = Padding.outputSizeChecked(o.padding(), in.dim(2), o.filterWidth(), o.strideW(), 1);
        int outH = outW < 0 ? -1 : Padding.outputSizeChecked(o.padding(), in.dim(1), o.filterHeight(), o.strideH(), 1);
        int[] computed = {in.dim(0), Math.max(outH, 0), Math.max(outW, 0), in.dim(3)};
        node.require(Arrays.equals(computed, out.shape()), "TFLM sets the output shape to %s, the model declares %s",
                Arrays.toString(computed), Arrays.toString(out.shape()));
        ConvGeometry g = ConvGeometry.of(node, in, o.filterHeight(), o.filterWidth(), out, o.strideH(), o.strideW(), 1, 1,
                o.padding());
        float[] r = KernelUtil.activationRangeFloat(o.fusedActivationFunction());
        return new Prepared(in, out, g, new PoolWindow(g), r[0], r[1]);
    }

    private record Prepared(Tensor in, Tensor out, ConvGeometry g, PoolWindow w, float min, float max)
            implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), d = g.inDepth();
            int pos = out.offset();
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        w.moveTo(oy, ox);
                        for (int c = 0; c < d; c++) {
                            float sum = 0f;
                            int count = 0;
                            for (int fy = w.fy0; fy < w.fy1; fy++) {
                                for (int fx = w.fx0; fx < w.fx1; fx++) {
                                    float v = LittleEndian.getFloat(ia, io + 4 * w.element(b, fy, fx, c));
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
}
