package dev.minnow.emulator;

import dev.minnow.MinnowException;

/** Base of the emulator's deliberate failures: bad input files, boards or configs; the message names the numbers. */
public class EmulatorException extends MinnowException {
    /** An exception with a message that names the problem. */
    public EmulatorException(String message) { super(message); }

    /** An exception with a message and its cause. */
    public EmulatorException(String message, Throwable cause) { super(message, cause); }
}
