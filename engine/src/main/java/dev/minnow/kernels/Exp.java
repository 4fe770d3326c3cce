package dev.minnow.kernels;

import dev.minnow.math.FloatLibm;

/** EXP: float32 expf, glibc-exact. */
public final class Exp extends Unary {
    @Override float apply(float x) { return FloatLibm.expf(x); }

    /** exp.cc: TF_LITE_ENSURE_EQ on output->dims->size and on every dimension, not only the element count. */
    @Override boolean requiresSameShape() { return true; }
}
