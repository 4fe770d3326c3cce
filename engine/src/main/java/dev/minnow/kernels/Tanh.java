package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;

/**
 * Tanh (see {@link SigmoidLike}). Every TFLM Tanh path (float, int8, int16) walks MatchingFlatSize, which DCHECKs
 * that the output has the input's shape, not just its element count.
 */
public final class Tanh extends SigmoidLike {
    public Tanh() { super(true); }

    @Override
    public PreparedOp prepare(NodeContext node) {
        if (node.inputCount() == 1 && node.outputCount() == 1 && node.input(0) != null) {
            Tensor in = node.input(0), out = node.output(0);
            KernelUtil.requireSameShape(node, in, out);
        }
        return super.prepare(node);
    }
}
