package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/** The eval of shape-only ops (reshape, squeeze, expand dims): the output receives the input's bytes unchanged. */
record CopyOp(Tensor input, Tensor output, int bytes) implements PreparedOp {
    static CopyOp of(NodeContext node, Tensor input, Tensor output) {
        node.require(input.dataType() == output.dataType(), "input type %s != output type %s",
                input.dataType().name(), output.dataType().name());
        node.require(input.numElements() == output.numElements(), "num_input_elements != num_output_elements (%d != %d)",
                input.numElements(), output.numElements());
        return new CopyOp(input, output, input.numBytes());
    }

    @Override public void eval() {
        if (input.array() == output.array() && input.offset() == output.offset()) return;
        System.arraycopy(input.array(), input.offset(), output.array(), output.offset(), bytes);
    }
}
