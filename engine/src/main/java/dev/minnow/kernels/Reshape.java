package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;

/** RESHAPE: the output shape comes from the model; the element counts and types must agree (TFLM's ReshapeOutput). */
public final class Reshape implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 || node.inputCount() == 2, "has %d inputs, expected 1 or 2", node.inputCount());
        node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
        return CopyOp.of(node, KernelUtil.requiredInput(node, 0), node.output(0));
    }
}
