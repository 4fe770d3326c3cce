package dev.minnow.streams;

import java.util.Arrays;

/**
 * The samples of one record, raw (before normalisation): {@link #size()} rows of {@code channels} values, and each
 * row's time as written (null when the record gave none). Reused from record to record: no allocation once grown.
 */
public final class SampleBatch {
    private int channels;
    private int size;
    private float[] values = new float[64];
    private String[] times = new String[8];

    /** Empties the batch for rows of {@code channels} values. */
    void reset(int channels) {
        this.channels = channels;
        this.size = 0;
    }

    /** Starts a new row (its values then go in with {@link #set}); returns its index. */
    int addRow() {
        if ((size + 1) * channels > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, (size + 1) * channels));
        if (size == times.length) times = Arrays.copyOf(times, times.length * 2);
        times[size] = null;
        return size++;
    }

    void set(int row, int channel, float v) { values[row * channels + channel] = v; }

    void time(int row, String t) { times[row] = t; }

    /** Rows in the batch. */
    public int size() { return size; }

    /** Channels per row. */
    public int channels() { return channels; }

    /** Raw value of channel {@code c} in row {@code r}. */
    public float value(int r, int c) { return values[r * channels + c]; }

    /** Row {@code r}'s time as the record wrote it, null without one. */
    public String time(int r) { return times[r]; }
}
