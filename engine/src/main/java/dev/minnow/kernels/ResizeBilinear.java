package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * RESIZE_BILINEAR as TFLM's reference kernels: NHWC input resized to the constant int32 [height, width] size tensor
 * (which must equal the output's spatial dimensions). float32 interpolates in float exactly in TFLM's operation
 * order; int8 works in 10-bit fixed point (scales rounded to 1/1024, the four weighted corners summed in 64 bits and
 * divided by 2^20 with rounding away from zero). align_corners maps corner to corner, half_pixel_centers samples at
 * pixel centres; both at once are rejected. TFLM's Eval fails on other types.
 */
public final class ResizeBilinear implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), size = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(in.rank() == 4, "NumDimensions(input) != 4 (%d)", in.rank());
        node.require(size.rank() == 1, "NumDimensions(size) != 1 (%d)", size.rank());
        node.require(size.dataType() == DataType.INT32, "size->type != kTfLiteInt32 (%s)", size.dataType().name());
        node.require(size.isConstant(), "Non-constant >size< tensor is not supported");
        Options.ResizeBilinear opts = Options.ResizeBilinear.of(node.options());
        boolean align = opts.alignCorners(), half = opts.halfPixelCenters();
        node.require(!(align && half), "If half_pixel_centers is True, align_corners must be False.");
        DataType t = out.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "Output type is %s, requires float or int8.", t.name());
        node.require(in.dataType() == t, "input type %s != output type %s", in.dataType().name(), t.name());
        int[] o4 = Resize.outputShape(node, in, size, out);
        int batches = in.dim(0), ih = in.dim(1), iw = in.dim(2), depth = in.dim(3), oh = o4[1], ow = o4[2];
        if (t == DataType.FLOAT32) {
            float hs = scale(ih, oh, align), ws = scale(iw, ow, align);
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset(), p = 0;
                for (int b = 0; b < batches; b++) {
                    for (int y = 0; y < oh; y++) {
                        float inY = half ? (y + 0.5f) * hs - 0.5f : y * hs;
                        int y0 = Math.max((int) (float) Math.floor(inY), 0), y1 = Math.min((int) (float) Math.ceil(inY), ih - 1);
                        for (int x = 0; x < ow; x++) {
                            float inX = half ? (x + 0.5f) * ws - 0.5f : x * ws;
                            int x0 = Math.max((int) (float) Math.floor(inX), 0), x1 = Math.min((int) (float) Math.ceil(inX), iw - 1);
                            float dy = inY - y0, dx = inX - x0;
                            int r00 = io + 4 * (((b * ih + y0) * iw + x0) * depth), r10 = io + 4 * (((b * ih + y1) * iw + x0) * depth);
                            int r01 = io + 4 * (((b * ih + y0) * iw + x1) * depth), r11 = io + 4 * (((b * ih + y1) * iw + x1) * depth);
                            for (int c = 0; c < depth; c++, p++) {
                                float v = LittleEndian.getFloat(ia, r00 + 4 * c) * (1 - dy) * (1 - dx)
                                        + LittleEndian.getFloat(ia, r10 + 4 * c) * dy * (1 - dx)
                                        + LittleEndian.getFloat(ia, r01 + 4 * c) * (1 - dy) * dx
                                        + LittleEndian.getFloat(ia, r11 + 4 * c) * dy * dx
                                        + 0f;
                                LittleEndian.putFloat(oa, oo + 4 * p, v);
                            }
                        }
                    }
                }
            };
        }
        node.require(oh > 0 && ow > 0, "output size %dx%d (TFLM's integer path divides by it)", oh, ow);
        int hs10 = scale10(ih, oh, align), ws10 = scale10(iw, ow, align);
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), p = 0;
            for (int b = 0; b < batches; b++) {
                for (int y = 0; y < oh; y++) {
                    int inY = half ? y * hs10 + hs10 / 2 - (1 << 9) : y * hs10;
                    int y0 = Math.max(inY / (1 << 10), 0), y1 = Math.min((inY + (1 << 10) - 1) / (1 << 10), ih - 1);
                    for (int x = 0; x < ow; x++) {
                        int inX = half ? x * ws10 + ws10 / 2 - (1 << 9) : x * ws10;
                        int x0 = Math.max(inX / (1 << 10), 0), x1 = Math.min((inX + (1 << 10) - 1) / (1 << 10), iw - 1);
                        long wy1 = inY - (1 << 10) * y0, wy0 = (1 << 10) - wy1;
                        long wx1 = inX - (1 << 10) * x0, wx0 = (1 << 10) - wx1;
                        int r00 = io + ((b * ih + y0) * iw + x0) * depth, r10 = io + ((b * ih + y1) * iw + x0) * depth;
                        int r01 = io + ((b * ih + y0) * iw + x1) * depth, r11 = io + ((b * ih + y1) * iw + x1) * depth;
                        for (int c = 0; c < depth; c++, p++) {
                            long sum = ia[r00 + c] * wy0 * wx0 + ia[r10 + c] * wy1 * wx0 + ia[r01 + c] * wy0 * wx1 + ia[r11 + c] * wy1 * wx1;
                            long round = sum > 0 ? (1 << 19) : -(1 << 19);
                            oa[oo + p] = (byte) ((sum + round) / (1 << 20));
                        }
                    }
                }
            }
        };
    }

    /** The float scale: input/output, or (input-1)/(output-1) with align_corners and more than one output pixel. */
    private static float scale(int in, int out, boolean align) {
        if (align && out > 1) return (float) (in - 1) / (out - 1);
        return (float) in / out;
    }

    /** The same in 1/1024 units, rounded. */
    private static int scale10(int in, int out, boolean align) {
        if (align && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
        return ((1 << 10) * in + out / 2) / out;
    }
}
