package dev.minnow.emulator.detect;

import dev.minnow.emulator.EmulatorException;

import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One device's (one stream's) detection state, separate from the shared model so a stream processor can keep one
 * per key: the last rows of normalised samples in a ring, the rows until the next window, and counters. Plain
 * serialisable data; the {@link Detector} does the work. {@link #encode()} and {@link #decode(byte[])} are its compact
 * binary form, what a stream processor's state store (and its changelog) keeps per device.
 */
public final class DeviceState implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    /** First byte of the binary form; a new layout gets a new value. */
    private static final byte FORMAT = 1;
    /** Bytes before the ring: format, channels, capacity, head, filled, untilWindow, rows, windows, anomalies. */
    private static final int HEADER = 1 + 5 * Integer.BYTES + 3 * Long.BYTES;

    final int channels;
    final int capacity;
    final float[] ring;
    int head;
    int filled;
    int untilWindow;
    long rows;
    long windows;
    long anomalies;

    /** A fresh state for windows of {@code capacity} rows of {@code channels} values, scored every {@code hop} rows. */
    DeviceState(int channels, int capacity) {
        this.channels = channels;
        this.capacity = capacity;
        this.ring = new float[channels * capacity];
        this.untilWindow = capacity;
    }

    /** Rows seen so far. */
    public long rows() { return rows; }

    /** Windows scored so far. */
    public long windows() { return windows; }

    /** Windows whose score was above the threshold. */
    public long anomalies() { return anomalies; }

    /** Rows currently buffered (at most the window's rows). */
    public int buffered() { return filled; }

    /** Channels per row this state buffers. */
    public int channels() { return channels; }

    /** Rows the ring holds (the detector's window rows). */
    public int capacity() { return capacity; }

    /** Bytes of {@link #encode()}'s output. */
    public int encodedSize() { return HEADER + Float.BYTES * ring.length; }

    /** The state as bytes (little-endian, so the ring copies in bulk: format, shape, position, counters, then the
     * ring's floats' bits). */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(encodedSize()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(FORMAT).putInt(channels).putInt(capacity).putInt(head).putInt(filled).putInt(untilWindow)
                .putLong(rows).putLong(windows).putLong(anomalies);
        b.asFloatBuffer().put(ring);
        return b.array();
    }

    /** Reads {@link #encode()}'s bytes; a truncated, foreign or inconsistent array fails naming what is wrong. */
    public static DeviceState decode(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new EmulatorException("device state of " + bytes.length + " bytes is shorter than its " + HEADER + "-byte header");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte format = b.get();
        if (format != FORMAT) throw new EmulatorException("device state format " + format + " is not " + FORMAT);
        int channels = b.getInt(), capacity = b.getInt();
        if (channels < 1 || capacity < 1 || (long) channels * capacity * Float.BYTES != bytes.length - HEADER) {
            throw new EmulatorException("device state of " + bytes.length + " bytes cannot hold " + channels + " channels x "
                    + capacity + " rows");
        }
        DeviceState s = new DeviceState(channels, capacity);
        s.head = b.getInt();
        s.filled = b.getInt();
        s.untilWindow = b.getInt();
        s.rows = b.getLong();
        s.windows = b.getLong();
        s.anomalies = b.getLong();
        if (s.head < 0 || s.head >= capacity || s.filled < 0 || s.filled > capacity || s.untilWindow < 1 || s.rows < 0
                || s.windows < 0 || s.anomalies < 0 || s.anomalies > s.windows) {
            throw new EmulatorException("device state is inconsistent: head " + s.head + ", filled " + s.filled + " of " + capacity
                    + ", untilWindow " + s.untilWindow + ", rows " + s.rows + ", windows " + s.windows + ", anomalies " + s.anomalies);
        }
        b.asFloatBuffer().get(s.ring);
        return s;
    }

    @Override public boolean equals(Object o) {
        return o instanceof DeviceState s && channels == s.channels && capacity == s.capacity && head == s.head
                && filled == s.filled && untilWindow == s.untilWindow && rows == s.rows && windows == s.windows
                && anomalies == s.anomalies && Arrays.equals(ring, s.ring);
    }

    @Override public int hashCode() { return Long.hashCode(rows) * 31 + Arrays.hashCode(ring); }
}
