package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * BROADCAST_TO as TFLM's kernel: the input repeated along its size-1 (and missing leading) dimensions to the output's
 * shape, which a constant rank-1 int32/int64 shape tensor must spell out; ranks up to 5, elements copied as raw bytes
 * whatever their type.
 */
public final class BroadcastTo implements OpKernel {
    /** "BroadcastTo only supports 1-5D tensor." */
    private static final int MAX_DIMS = 5;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), shape = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(in.rank() <= MAX_DIMS, "BroadcastTo only supports 1-5D tensor (input rank %d).", in.rank());
        node.require(shape.dataType() == DataType.INT32 || shape.dataType() == DataType.INT64,
                "shape type %s, expected INT32 or INT64", shape.dataType().name());
        node.require(in.dataType() == out.dataType(), "input type %s != output type %s", in.dataType().name(), out.dataType().name());
        DataType t = in.dataType();
        node.require(t.byteSize() > 0 && t != DataType.INT4, "type %s has no element size to copy", t.name());
        node.require(shape.isConstant(), "Non-constant >shape< tensor is not supported");
        node.require(shape.rank() == 1, "NumDimensions(shape) != 1 (%d)", shape.rank());
        int outRank = out.rank(), inRank = in.rank();
        node.require(outRank == shape.dim(0), "Output must match with the expected shape dimension (rank %d, shape of %d).",
                outRank, shape.dim(0));
        node.require(inRank <= outRank, "Output shape must be broadcastable from input shape (input rank %d > %d).", inRank, outRank);
        node.require(outRank <= MAX_DIMS, "BroadcastTo only supports 1-5D tensor (output rank %d).", outRank);
        int extending = outRank - inRank;
        for (int i = 0; i < inRank; i++) {
            int s = (int) shape.getIntegral(extending + i); // TFLM reads int64 shapes into an int32_t
            node.require(in.dim(i) == 1 || in.dim(i) == s,
                    "Output shape must be broadcastable from input shape (input dimension %d is %d, shape says %d).", i, in.dim(i), s);
        }
        for (int i = 0; i < outRank; i++) {
            int s = (int) shape.getIntegral(i);
            node.require(out.dim(i) == s, "output dimension %d is %d, shape says %d", i, out.dim(i), s);
        }
        int[] map = Broadcast.indexMap(node, in, out);
        int n = out.numElements(), elem = t.byteSize();
        if (map == null) return () -> System.arraycopy(in.array(), in.offset(), out.array(), out.offset(), n * elem);
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) System.arraycopy(ia, io + map[i] * elem, oa, oo + i * elem, elem);
        };
    }
}
