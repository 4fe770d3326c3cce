package dev.minnow.kernels;

/** Maximum (see {@link MinMax}). */
public final class Maximum extends MinMax {
    public Maximum() { super(true); }
}
