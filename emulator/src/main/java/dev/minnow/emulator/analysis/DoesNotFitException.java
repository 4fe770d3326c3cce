package dev.minnow.emulator.analysis;

import dev.minnow.emulator.EmulatorException;

/** A model that does not fit a board: which memory, how many bytes it needs and how many the board has. */
public final class DoesNotFitException extends EmulatorException {
    private final String board;
    private final String memory;
    private final long needed;
    private final long available;

    /** The model needs {@code needed} bytes of {@code memory} ("flash" or "SRAM") where the board has {@code available}. */
    public DoesNotFitException(String board, String memory, long needed, long available) {
        super(String.format(java.util.Locale.ROOT, "%s: the model needs %,d bytes of %s, the board has %,d (%,d bytes short)",
                board, needed, memory, available, needed - available));
        this.board = board;
        this.memory = memory;
        this.needed = needed;
        this.available = available;
    }

    /** The board's id. */
    public String board() { return board; }

    /** "flash" or "SRAM". */
    public String memory() { return memory; }

    /** Bytes needed. */
    public long needed() { return needed; }

    /** Bytes the board has. */
    public long available() { return available; }
}
