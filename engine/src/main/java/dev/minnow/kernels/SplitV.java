package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * SPLIT_V as TFLM's kernel: input 0 cut along a constant axis (input 2) into the outputs, each taking its own size
 * along the axis. TFLM reads neither size_splits (input 1) nor num_splits: the outputs' shapes decide, and their
 * sizes along the axis must add up to the input's. float32, int8, int16 and int32.
 */
public final class SplitV implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3, "NumInputs(node) != 3 (%d)", node.inputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), axisT = KernelUtil.requiredInput(node, 2);
        node.require(axisT.isConstant(), "Non-constant >axis< tensor is not supported");
        // Eval reads the axis as GetTensorData<int32_t>: the first 4 bytes (an int64 axis gives its low word)
        node.require((axisT.dataType() == DataType.INT32 || axisT.dataType() == DataType.INT64) && axisT.numElements() >= 1,
                "axis must hold an int32 (or int64) value, got %s with %d elements", axisT.dataType().name(), axisT.numElements());
        int rank = in.rank();
        int raw = axisT.dataType() == DataType.INT32 ? axisT.getInt(0) : (int) axisT.getLong(0);
        int axis = raw < 0 ? raw + rank : raw;
        node.require(axis >= 0 && axis < rank, "axis %d out of range for an input of rank %d", raw, rank);
        DataType t = in.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32,
                "Type %s currently not supported.", t.name());
        int outputs = node.outputCount();
        node.require(outputs >= 1, "SPLIT_V needs at least one output");
        long outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= in.dim(d);
        for (int d = axis + 1; d < rank; d++) inner *= in.dim(d);
        Tensor[] outs = new Tensor[outputs];
        long sum = 0;
        for (int i = 0; i < outputs; i++) {
            outs[i] = node.output(i);
            node.require(outs[i].dataType() == t, "output %d type %s != input type %s", i, outs[i].dataType().name(), t.name());
            node.require(outs[i].rank() == rank, "output %d rank %d != input rank %d", i, outs[i].rank(), rank);
            int size = outs[i].dim(axis);
            node.require(outs[i].numElements() == outer * size * inner,
                    "output %d has %d elements, the split gives it %d (%d along axis %d)", i, outs[i].numElements(),
                    outer * size * inner, size, axis);
            sum += size;
        }
        node.require(sum == in.dim(axis), "the outputs' sizes along axis %d add up to %d, the input has %d", axis, sum, in.dim(axis));
        return Split.splitter(in, outs, axis);
    }
}
