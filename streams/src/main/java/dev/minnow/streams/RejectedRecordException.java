package dev.minnow.streams;

/**
 * A record the scorer cannot use (malformed JSON, wrong channels, a non-finite value, no detector for its device):
 * it goes to the dead-letter topic with this message, and the device's state stays as it was.
 */
public final class RejectedRecordException extends RuntimeException {
    /** A rejection naming what is wrong with the record. */
    public RejectedRecordException(String message) {
        super(message);
    }

    /** A rejection with the parser's cause. */
    public RejectedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
