package dev.minnow.kernels;

/** ArgMin (see {@link ArgMinMax}). */
public final class ArgMin extends ArgMinMax {
    public ArgMin() { super(false); }
}
