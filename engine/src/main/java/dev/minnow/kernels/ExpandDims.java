package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * EXPAND_DIMS: inserts a size-1 dimension at a constant int32 axis; the model's output shape must agree. float32, int8
 * and int16 only: TFLM's Eval fails on other types (minnow rejects them at allocation).
 */
public final class ExpandDims implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor input = KernelUtil.requiredInput(node, 0), axis = KernelUtil.requiredInput(node, 1), output = node.output(0);
        node.require(axis.isConstant(), "Non-constant >axis< tensor is not supported");
        DataType t = input.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16,
                "Expand_Dims only currently supports int8, int16 and float32, got %d.", t.code());
        node.require(axis.rank() <= 1, "Axis has only one element for Expand_Dims (rank %d).", axis.rank());
        node.require(axis.dataType() == DataType.INT32, "Axis type %s (%d) not supported by Expand_Dims.",
                axis.dataType().name(), axis.dataType().code());
        int a = axis.getInt(0);
        int rank = input.rank();
        if (a < 0) a = rank + 1 + a;
        node.require(a >= 0 && a <= rank, "axis %d out of range for rank %d", axis.getInt(0), rank);
        node.require(output.rank() == rank + 1, "output rank %d != input rank %d + 1", output.rank(), rank);
        for (int i = 0; i < output.rank(); i++) {
            int expected = i < a ? input.dim(i) : i == a ? 1 : input.dim(i - 1);
            node.require(output.dim(i) == expected, "output_shape.Dims(%d) == %d was not true (it is %d)", i, expected, output.dim(i));
        }
        return CopyOp.of(node, input, output);
    }
}
