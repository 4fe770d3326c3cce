package dev.minnow;

/** Base of every exception minnow throws on purpose; the message always names the problem and its numbers. */
public class MinnowException extends RuntimeException {
    public MinnowException(String message) { super(message); }
    public MinnowException(String message, Throwable cause) { super(message, cause); }
}
