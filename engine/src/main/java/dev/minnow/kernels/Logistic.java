package dev.minnow.kernels;

/** Logistic (see {@link SigmoidLike}). */
public final class Logistic extends SigmoidLike {
    public Logistic() { super(false); }
}
