package dev.minnow.model;

import dev.minnow.MinnowException;

/**
 * The bytes are not a well-formed TFLite flatbuffer: wrong identifier, an offset or vector outside the buffer,
 * a tensor buffer too small for its shape, an index that names no tensor or opcode, or an absurd size.
 * This is the only exception {@link Model#load} throws for malformed input.
 */
public final class ModelFormatException extends MinnowException {
    /** A malformed model, described by the message. */
    public ModelFormatException(String message) { super(message); }
    /** A malformed model, described by the message, with the cause. */
    public ModelFormatException(String message, Throwable cause) { super(message, cause); }
}
