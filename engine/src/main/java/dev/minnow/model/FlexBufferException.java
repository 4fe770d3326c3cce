package dev.minnow.model;

import dev.minnow.MinnowException;

/** A custom op's options are not the well-formed FlexBuffers map {@link FlexBufferMap} reads, or lack a value. */
public final class FlexBufferException extends MinnowException {
    /** Malformed custom options, described by the message. */
    public FlexBufferException(String message) { super("custom options: " + message); }
}
