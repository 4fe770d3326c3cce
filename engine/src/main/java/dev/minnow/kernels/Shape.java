package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * SHAPE as TFLM's kernel: the input's dimensions as an int32 vector. TFLM's Eval supports only an int32 output
 * (an int64 one fails at invoke, whatever the out_type option says) and writes one entry per input dimension into
 * the output, so the output must hold exactly that many.
 */
public final class Shape implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1, "NumInputs(node) != 1 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        node.require(out.dataType() == DataType.INT32, "Output type %s not supported (TFLM's Eval writes int32 only).",
                out.dataType().name());
        node.require(out.numElements() == in.rank(), "output has %d elements for the %d dimensions of the input",
                out.numElements(), in.rank());
        int[] dims = in.shape();
        return () -> {
            byte[] oa = out.array();
            int oo = out.offset();
            for (int i = 0; i < dims.length; i++) LittleEndian.putInt(oa, oo + 4 * i, dims[i]);
        };
    }
}
