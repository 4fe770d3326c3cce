package dev.minnow.kernels;

/** Tanh (see {@link SigmoidLike}). */
public final class Tanh extends SigmoidLike {
    public Tanh() { super(true); }
}
