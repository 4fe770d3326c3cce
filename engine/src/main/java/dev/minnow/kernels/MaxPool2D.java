package dev.minnow.kernels;

/** MaxPool2D (see {@link Pool2D}). */
public final class MaxPool2D extends Pool2D {
    public MaxPool2D() { super(false); }
}
