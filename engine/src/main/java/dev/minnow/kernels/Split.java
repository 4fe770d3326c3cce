package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/** SPLIT as TFLM's kernel: input 0 is a constant int32 axis, input 1 the data, cut into equal outputs along the axis. */
public final class Split implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "has %d inputs, expected 2", node.inputCount());
        Tensor axisT = KernelUtil.requiredInput(node, 0), in = KernelUtil.requiredInput(node, 1);
        node.require(axisT.isConstant(), "Non-constant >axis< tensor is not supported");
        node.require(axisT.dataType() == DataType.INT32 && axisT.numElements() >= 1, "axis must be an int32 scalar");
        int rank = in.rank();
        int axis = axisT.getInt(0);
        if (axis < 0) axis += rank;
        node.require(axis >= 0 && axis < rank, "axis %d out of range for rank %d", axisT.getInt(0), rank);
        DataType t = in.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32,
                "Type %s currently not supported.", t.name());
        int outputs = node.outputCount();
        node.require(outputs >= 1, "has no outputs; SPLIT needs at least one");
        Tensor[] outs = new Tensor[outputs];
        for (int i = 0; i < outputs; i++) {
            outs[i] = node.output(i);
            node.require(outs[i].dataType() == t, "output %d type %s != %s", i, outs[i].dataType().name(), t.name());
            node.require(outs[i].rank() == rank, "output %d rank %d != %d", i, outs[i].rank(), rank);
            for (int d = 0; d < rank; d++) {
                int expected = d == axis ? in.dim(d) / outputs : in.dim(d);
                node.require(outs[i].dim(d) == expected, "output %d dimension %d is %d, expected %d", i, d, outs[i].dim(d), expected);
            }
        }
        node.require((long) outs[0].dim(axis) * outputs == in.dim(axis), "%d outputs of %d do not split %d", outputs, outs[0].dim(axis), in.dim(axis));
        return splitter(in, outs, axis);
    }

    /** Copies consecutive blocks of the input along {@code axis} to the outputs in turn (shared with UNPACK). */
    static PreparedOp splitter(Tensor in, Tensor[] outs, int axis) {
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= in.dim(d);
        for (int d = axis + 1; d < in.rank(); d++) inner *= in.dim(d);
        int elem = in.dataType().byteSize();
        int[] copy = new int[outs.length];
        for (int i = 0; i < outs.length; i++) copy[i] = (outs[i].numElements() / Math.max(1, outer)) * elem;
        int outerCount = outer;
        return () -> {
            byte[] ia = in.array();
            int pos = in.offset();
            for (int k = 0; k < outerCount; k++) {
                for (int i = 0; i < outs.length; i++) {
                    System.arraycopy(ia, pos, outs[i].array(), outs[i].offset() + k * copy[i], copy[i]);
                    pos += copy[i];
                }
            }
        };
    }
}
