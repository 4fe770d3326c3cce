package dev.minnow.kernels;

import dev.minnow.MinnowException;

/** A kernel rejected its node (unsupported type, bad quantization, inconsistent shapes, ...). */
public final class KernelException extends MinnowException {
    public KernelException(String message) { super(message); }
}
