package dev.minnow.kernels;

/** AveragePool2D (see {@link Pool2D}). */
public final class AveragePool2D extends Pool2D {
    public AveragePool2D() { super(true); }
}
