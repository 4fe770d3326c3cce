package dev.minnow.kernels;

/** SQRT: float32 sqrtf (correctly rounded, so identical to rounding the double square root). */
public final class Sqrt extends Unary {
    @Override float apply(float x) { return (float) Math.sqrt(x); }
}
