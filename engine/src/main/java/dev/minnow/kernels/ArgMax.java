package dev.minnow.kernels;

/** ArgMax (see {@link ArgMinMax}). */
public final class ArgMax extends ArgMinMax {
    public ArgMax() { super(true); }
}
