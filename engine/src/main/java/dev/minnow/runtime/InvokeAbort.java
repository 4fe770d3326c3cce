package dev.minnow.runtime;

/**
 * Thrown by a kernel's eval to end the current invoke early, without an error: TFLM's {@code kTfLiteAbort}, which
 * stops the running subgraph (and every subgraph that called it) and makes {@code Invoke()} return early.
 * CIRCULAR_BUFFER uses it while it waits for its next stride. One shared instance without a stack trace, so throwing
 * it allocates nothing.
 */
public final class InvokeAbort extends RuntimeException {
    /** The instance kernels throw. */
    public static final InvokeAbort INSTANCE = new InvokeAbort();

    private InvokeAbort() {
        super("the invoke was ended early by a kernel (TFLM's kTfLiteAbort)", null, false, false);
    }
}
