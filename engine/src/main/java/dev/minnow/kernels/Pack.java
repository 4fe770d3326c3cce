package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/** PACK as TFLM's kernel: stacks {@code valuesCount} equally shaped inputs along a new dimension at {@code axis}. */
public final class Pack implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        Options.Pack o = Options.Pack.of(node.options());
        int n = o.valuesCount();
        node.require(n == node.inputCount() && n > 0, "values_count %d != %d inputs", n, node.inputCount());
        node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
        Tensor first = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = first.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32 || t == DataType.INT64,
                "Type '%s' is not supported by pack.", t.name());
        int rank = out.rank();
        int axis = o.axis();
        if (axis < 0) axis += rank;
        node.require(axis >= 0 && axis < rank, "axis %d out of range for output rank %d", o.axis(), rank);
        node.require(out.dataType() == t && out.dim(axis) == n, "output type/shape does not match %d packed inputs", n);
        Tensor[] ins = new Tensor[n];
        for (int i = 0; i < n; i++) {
            ins[i] = KernelUtil.requiredInput(node, i);
            node.require(ins[i].dataType() == t, "input %d type %s != %s", i, ins[i].dataType().name(), t.name());
            // TFLM copies outer * copy_size elements from every input and DCHECKs only input 0's count against the
            // output: inputs may differ in shape as long as they hold as many elements.
            node.require(ins[i].numElements() == first.numElements(), "input %d has %d elements, input 0 has %d", i,
                    ins[i].numElements(), first.numElements());
        }
        node.require(first.numElements() * n == out.numElements(), "output has %d elements, inputs %d", out.numElements(), first.numElements() * n);
        int outer = 1;
        for (int d = 0; d < axis; d++) outer *= out.dim(d);
        int copy = (first.numElements() / Math.max(1, outer)) * t.byteSize();
        int outerCount = outer;
        return () -> {
            byte[] oa = out.array();
            int pos = out.offset();
            for (int k = 0; k < outerCount; k++) {
                for (Tensor in : ins) {
                    System.arraycopy(in.array(), in.offset() + k * copy, oa, pos, copy);
                    pos += copy;
                }
            }
        };
    }
}
