package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * RESIZE_NEAREST_NEIGHBOR as TFLM's reference kernel: NHWC input resized to the constant int32 [height, width] size
 * tensor (equal to the output's spatial dimensions), each output pixel copying the input pixel at
 * {@code floor((o + offset) * scale)} in float (C round() of it with align_corners), clamped to the input; offset
 * 0.5 with half_pixel_centers. float32, int8 and int16, copied as raw elements; TFLM's Eval fails on other types.
 */
public final class ResizeNearestNeighbor implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), size = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(in.rank() == 4, "NumDimensions(input) != 4 (%d)", in.rank());
        node.require(size.rank() == 1, "NumDimensions(size) != 1 (%d)", size.rank());
        node.require(size.dataType() == DataType.INT32, "size->type != kTfLiteInt32 (%s)", size.dataType().name());
        node.require(size.dim(0) == 2, "size->dims->data[0] != 2 (%d)", size.dim(0));
        node.require(size.isConstant(), "Non-constant >size< tensor is not supported");
        DataType t = out.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16,
                "Output tensor type %s not supported.", t.name());
        node.require(in.dataType() == t, "input type %s != output type %s", in.dataType().name(), t.name());
        Options.ResizeNearestNeighbor opts = Options.ResizeNearestNeighbor.of(node.options());
        boolean align = opts.alignCorners(), half = opts.halfPixelCenters();
        int[] o4 = Resize.outputShape(node, in, size, out);
        int batches = in.dim(0), ih = in.dim(1), iw = in.dim(2), depth = in.dim(3), oh = o4[1], ow = o4[2];
        int[] rows = new int[oh], cols = new int[ow];
        for (int y = 0; y < oh; y++) rows[y] = nearest(y, ih, oh, align, half);
        for (int x = 0; x < ow; x++) cols[x] = nearest(x, iw, ow, align, half);
        int run = depth * t.byteSize(), rowBytes = iw * run, batchBytes = ih * rowBytes;
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), p = out.offset();
            for (int b = 0; b < batches; b++) {
                for (int y = 0; y < oh; y++) {
                    int src = io + b * batchBytes + rows[y] * rowBytes;
                    for (int x = 0; x < ow; x++, p += run) System.arraycopy(ia, src + cols[x] * run, oa, p, run);
                }
            }
        };
    }

    /** TFLM's GetNearestNeighbor. */
    static int nearest(int o, int inSize, int outSize, boolean align, boolean half) {
        float scale = align && outSize > 1 ? (inSize - 1) / (float) (outSize - 1) : inSize / (float) outSize;
        float offset = half ? 0.5f : 0.0f;
        float at = (o + offset) * scale;
        int v = Math.min(align ? (int) FixedPoint.round(at) : (int) (float) Math.floor(at), inSize - 1);
        if (half) v = Math.max(0, v);
        return v;
    }
}
