package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * ZEROS_LIKE as TFLM's kernel: zeros of the input's type (int64, int32, int8, float32; TFLM's Eval rejects the
 * others) over an output of the input's shape (MatchingFlatSize).
 */
public final class ZerosLike implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1, "NumInputs(node) != 1 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == DataType.INT64 || t == DataType.INT32 || t == DataType.INT8 || t == DataType.FLOAT32,
                "ZerosLike only currently supports int64, int32, int8 and float32, got %s.", t.name());
        KernelUtil.requireSameShape(node, in, out);
        // TFLM writes zeros of the input's element size; an output of another size would be over- or under-run.
        node.require(out.dataType().byteSize() == t.byteSize(), "output type %s has another element size than the input's %s",
                out.dataType().name(), t.name());
        int bytes = in.numElements() * t.byteSize();
        return () -> java.util.Arrays.fill(out.array(), out.offset(), out.offset() + bytes, (byte) 0);
    }
}
