package dev.minnow.emulator.detect;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * One device's (one stream's) detection state, separate from the shared model so a stream processor can keep one
 * per key: the last rows of normalised samples in a ring, the rows until the next window, and counters. Plain
 * serialisable data; the {@link Detector} does the work.
 */
public final class DeviceState implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

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

    @Override public boolean equals(Object o) {
        return o instanceof DeviceState s && channels == s.channels && capacity == s.capacity && head == s.head
                && filled == s.filled && untilWindow == s.untilWindow && rows == s.rows && windows == s.windows
                && anomalies == s.anomalies && Arrays.equals(ring, s.ring);
    }

    @Override public int hashCode() { return Long.hashCode(rows) * 31 + Arrays.hashCode(ring); }
}
