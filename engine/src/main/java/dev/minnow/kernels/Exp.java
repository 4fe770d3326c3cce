package dev.minnow.kernels;

/** EXP: float32 expf, glibc-exact. */
public final class Exp extends Unary {
    @Override float apply(float x) { return FloatLibm.expf(x); }
}
