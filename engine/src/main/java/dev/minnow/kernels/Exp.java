package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;

/** EXP: float32 expf, glibc-exact. */
public final class Exp extends Unary {
    @Override float apply(float x) { return FloatLibm.expf(x); }

    @Override
    public PreparedOp prepare(NodeContext node) {
        PreparedOp op = super.prepare(node);
        // exp.cc: TF_LITE_ENSURE_EQ on output->dims->size and on every dimension, not only the element count
        Tensor in = node.input(0), out = node.output(0);
        KernelUtil.requireSameShape(node, in, out);
        return op;
    }
}
