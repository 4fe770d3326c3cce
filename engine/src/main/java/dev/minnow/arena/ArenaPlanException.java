package dev.minnow.arena;

import dev.minnow.MinnowException;

/** The arena cannot be planned (inconsistent offline plan, unsupported intermediate tensors, ...). */
public final class ArenaPlanException extends MinnowException {
    public ArenaPlanException(String message) { super(message); }
}
