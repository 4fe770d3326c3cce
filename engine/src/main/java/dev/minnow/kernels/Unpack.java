package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/** UNPACK as TFLM's kernel: splits the input along {@code axis} into {@code num} outputs that drop that dimension. */
public final class Unpack implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1, "has %d inputs, expected 1", node.inputCount());
        Tensor in = KernelUtil.requiredInput(node, 0);
        int rank = in.rank();
        Options.Unpack o = Options.Unpack.of(node.options());
        int axis = o.axis();
        if (axis < 0) axis += rank;
        node.require(axis >= 0 && axis < rank, "axis %d out of range for rank %d", o.axis(), rank);
        int num = o.num();
        node.require(num == in.dim(axis) && num == node.outputCount(), "num %d, axis size %d and %d outputs must agree",
                num, in.dim(axis), node.outputCount());
        DataType t = in.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32,
                "Type '%s' is not supported by unpack.", t.name());
        Tensor[] outs = new Tensor[num];
        for (int i = 0; i < num; i++) {
            outs[i] = node.output(i);
            node.require(outs[i].dataType() == t, "output %d type %s != %s", i, outs[i].dataType().name(), t.name());
            node.require(outs[i].numElements() * num == in.numElements(), "output %d has %d elements", i, outs[i].numElements());
        }
        return Split.splitter(in, outs, axis);
    }
}
