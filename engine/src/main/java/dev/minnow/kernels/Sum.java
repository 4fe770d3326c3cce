package dev.minnow.kernels;

/** Sum (see {@link Reduce}). */
public final class Sum extends Reduce {
    public Sum() { super(false); }
}
