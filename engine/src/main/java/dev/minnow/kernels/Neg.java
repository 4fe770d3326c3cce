package dev.minnow.kernels;

/** NEG: float32 negation. reference_ops::Negate walks MatchingFlatSize, which DCHECKs equal input and output shapes. */
public final class Neg extends Unary {
    @Override float apply(float x) { return -x; }

    @Override boolean requiresSameShape() { return true; }
}
