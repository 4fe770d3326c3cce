package dev.minnow.arena;

import dev.minnow.MinnowException;

/** The model's tensors do not fit in the arena the options declared. */
public final class ArenaTooSmallException extends MinnowException {
    private final long requiredBytes;
    private final long availableBytes;

    /** An arena of {@code availableBytes}, smaller than the {@code requiredBytes} the model needs. */
    public ArenaTooSmallException(long requiredBytes, long availableBytes) {
        super("arena size is too small for all buffers: needed " + requiredBytes + " bytes but only "
                + availableBytes + " were available (" + (requiredBytes - availableBytes) + " short)");
        this.requiredBytes = requiredBytes;
        this.availableBytes = availableBytes;
    }

    /** Bytes the arena must have (TFLM's minimum on the target). */
    public long requiredBytes() { return requiredBytes; }
    /** Bytes the arena has. */
    public long availableBytes() { return availableBytes; }
}
