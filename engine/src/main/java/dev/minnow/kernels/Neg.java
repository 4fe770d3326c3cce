package dev.minnow.kernels;

/** NEG: float32 negation. */
public final class Neg extends Unary {
    @Override float apply(float x) { return -x; }
}
