package dev.minnow;

/** Base of every exception minnow throws on purpose; the message always names the problem and its numbers. */
public class MinnowException extends RuntimeException {
    /** An exception with a message naming the problem and its numbers. */
    public MinnowException(String message) { super(message); }
    /** An exception with a message and the cause. */
    public MinnowException(String message, Throwable cause) { super(message, cause); }
}
