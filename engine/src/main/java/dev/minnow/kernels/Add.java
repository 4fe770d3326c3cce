package dev.minnow.kernels;

/** ADD (see {@link Arithmetic}). */
public final class Add extends Arithmetic {
    public Add() { super(Kind.ADD); }
}
