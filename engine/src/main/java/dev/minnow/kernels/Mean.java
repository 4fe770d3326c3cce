package dev.minnow.kernels;

/** Mean (see {@link Reduce}). */
public final class Mean extends Reduce {
    public Mean() { super(true); }
}
