package dev.minnow.kernels;

/** FLOOR: float32 floor (std::floor). */
public final class Floor extends Unary {
    @Override float apply(float x) { return (float) Math.floor(x); }
}
