package dev.minnow.kernels;

/** SUB (see {@link Arithmetic}, which also holds the checks TFLM makes for SUB alone). */
public final class Sub extends Arithmetic {
    public Sub() { super(Kind.SUB); }
}
