package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.Set;

/** Element-wise float32 ops (TFLM's EvalNumeric): the output is a function of each input element. */
abstract class Unary implements OpKernel {
    interface FloatFn { float apply(float x); }

    /** Validates the node and returns the prepared op for quantized types, or null for float32 (handled here). */
    PreparedOp prepareQuantized(NodeContext node, Tensor in, Tensor out) {
        throw node.fail("Input data type %s (%d) is not supported.", in.dataType().name(), in.dataType().code());
    }

    abstract float apply(float x);

    Set<DataType> types() { return Set.of(DataType.FLOAT32); }

    /** True where TFLM's kernel walks MatchingFlatSize, which DCHECKs that the output has the input's shape. */
    boolean requiresSameShape() { return false; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input->type != output->type (%s != %s)", t.name(), out.dataType().name());
        node.require(types().contains(t), "Input data type %s (%d) is not supported.", t.name(), t.code());
        node.require(in.numElements() == out.numElements(), "input and output sizes differ");
        if (requiresSameShape()) KernelUtil.requireSameShape(node, in, out);
        if (t != DataType.FLOAT32) return prepareQuantized(node, in, out);
        int n = in.numElements();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * i, apply(LittleEndian.getFloat(ia, io + 4 * i)));
        };
    }
}
