package dev.minnow.runtime;

/**
 * Scratch memory a kernel requested in prepare. It lives in the arena's planned head, alive only while its
 * node runs; {@link #array()} and {@link #offset()} are valid from the first {@code eval()} on.
 */
public interface ScratchBuffer {
    int sizeBytes();
    byte[] array();
    int offset();
}
