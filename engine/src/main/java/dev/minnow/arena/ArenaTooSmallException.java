package dev.minnow.arena;

import dev.minnow.MinnowException;

/** The model's tensors do not fit in the arena the options declared. */
public final class ArenaTooSmallException extends MinnowException {
    private final long requiredBytes;
    private final long availableBytes;

    public ArenaTooSmallException(long requiredBytes, long availableBytes) {
        super("arena size is too small for all buffers: needed " + requiredBytes + " bytes but only "
                + availableBytes + " were available (" + (requiredBytes - availableBytes) + " short)");
        this.requiredBytes = requiredBytes;
        this.availableBytes = availableBytes;
    }

    public long requiredBytes() { return requiredBytes; }
    public long availableBytes() { return availableBytes; }
}
