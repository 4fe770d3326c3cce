package dev.minnow.runtime;

import dev.minnow.MinnowException;

/** A kernel rejected its node (unsupported type, bad quantization, inconsistent shapes, ...). */
public final class KernelException extends MinnowException {
    public KernelException(String message) { super(message); }

    /** With the underlying cause kept. */
    public KernelException(String message, Throwable cause) { super(message, cause); }
}
