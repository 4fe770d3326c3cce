package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * FILL as TFLM's kernel: input 0 is a constant rank-1 dims tensor (int8, int16, int32 or int64) equal to the output's
 * shape, input 1 a scalar of the output's type, copied into every output element. TFLM's Eval fills float32, int32
 * and int8 only (other types pass Prepare and fail at invoke; minnow rejects them at allocation).
 */
public final class Fill implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        Tensor dims = KernelUtil.requiredInput(node, 0), value = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(value.rank() == 0, "NumDimensions(value) != 0 (the value has shape %s)", java.util.Arrays.toString(value.shape()));
        node.require(value.dataType() == out.dataType(), "value->type != output->type (%s != %s)",
                value.dataType().name(), out.dataType().name());
        node.require(dims.isConstant(), "Non-constant >dims< tensor is not supported");
        node.require(dims.rank() == 1, "NumDimensions(dims) != 1 (%d)", dims.rank());
        node.require(dims.dim(0) == out.rank(), "the output's rank %d != dims length %d", out.rank(), dims.dim(0));
        DataType dt = dims.dataType();
        node.require(dt == DataType.INT8 || dt == DataType.INT16 || dt == DataType.INT32 || dt == DataType.INT64,
                "cannot compare int array to tensor of type %s.", dt.name());
        for (int i = 0; i < out.rank(); i++) {
            long d = dims.getIntegral(i);
            node.require(d == out.dim(i), "output dimension %d is %d, dims says %d", i, out.dim(i), d);
        }
        DataType t = value.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT32 || t == DataType.INT8,
                "Fill only currently supports float32, int32 and int8 for input 1, got %s.", t.name());
        int n = out.numElements(), elem = t.byteSize();
        return () -> {
            byte[] va = value.array(), oa = out.array();
            int vo = value.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) System.arraycopy(va, vo, oa, oo + i * elem, elem);
        };
    }
}
