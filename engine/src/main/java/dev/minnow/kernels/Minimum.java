package dev.minnow.kernels;

/** Minimum (see {@link MinMax}). */
public final class Minimum extends MinMax {
    public Minimum() { super(false); }
}
