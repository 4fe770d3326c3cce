package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;

/** NEG: float32 negation. reference_ops::Negate walks MatchingFlatSize, which DCHECKs equal input and output shapes. */
public final class Neg extends Unary {
    @Override float apply(float x) { return -x; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        if (node.inputCount() == 1 && node.outputCount() == 1 && node.input(0) != null) {
            Tensor in = node.input(0), out = node.output(0);
            KernelUtil.requireSameShape(node, in, out);
        }
        return super.prepare(node);
    }
}
