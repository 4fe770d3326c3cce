package dev.minnow.kernels;

/** SUB (see {@link Arithmetic}). */
public final class Sub extends Arithmetic {
    public Sub() { super(Kind.SUB); }
}
