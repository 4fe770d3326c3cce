package dev.minnow.arena;

import dev.minnow.MinnowException;

/** The arena cannot be planned (inconsistent offline plan, unsupported intermediate tensors, ...). */
public final class ArenaPlanException extends MinnowException {
    public ArenaPlanException(String message) { super(message); }

    /** With the underlying cause kept. */
    public ArenaPlanException(String message, Throwable cause) { super(message, cause); }
}
