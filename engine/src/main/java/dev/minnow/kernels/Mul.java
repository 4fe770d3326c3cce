package dev.minnow.kernels;

/** MUL (see {@link Arithmetic}). */
public final class Mul extends Arithmetic {
    public Mul() { super(Kind.MUL); }
}
