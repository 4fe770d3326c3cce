package dev.minnow.streams;

import java.util.Arrays;

/**
 * The samples of one record, raw (before normalisation): {@link #size()} rows of {@code channels} values, and each
 * row's time as written (null when the record gave none). Reused from record to record: no allocation once grown. A
 * time the scanner read stays bytes of the record (printable ASCII) until asked for: most rows complete no window,
 * and only a window's row needs its time as text.
 */
public final class SampleBatch {
    private int channels;
    private int size;
    private float[] values = new float[64];
    private String[] times = new String[8];
    /** Where row r's time text lies in {@code source} when not yet a String; timeFrom[r] < 0 for none. */
    private int[] timeFrom = new int[8], timeTo = new int[8];
    private byte[] source;

    /** Empties the batch for rows of {@code channels} values. */
    void reset(int channels) {
        this.channels = channels;
        this.size = 0;
        this.source = null;
    }

    /** Starts a new row (its values then go in with {@link #set}); returns its index. */
    int addRow() {
        if ((size + 1) * channels > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, (size + 1) * channels));
        if (size == times.length) {
            times = Arrays.copyOf(times, times.length * 2);
            timeFrom = Arrays.copyOf(timeFrom, times.length);
            timeTo = Arrays.copyOf(timeTo, times.length);
        }
        times[size] = null;
        timeFrom[size] = -1;
        return size++;
    }

    void set(int row, int channel, float v) { values[row * channels + channel] = v; }

    void time(int row, String t) {
        times[row] = t;
        timeFrom[row] = -1;
    }

    /** Row {@code row}'s time is the ASCII text {@code record[from..to)}, made a String only when asked for. */
    void time(int row, byte[] record, int from, int to) {
        source = record;
        times[row] = null;
        timeFrom[row] = from;
        timeTo[row] = to;
    }

    /** Rows in the batch. */
    public int size() { return size; }

    /** Channels per row. */
    public int channels() { return channels; }

    /** Raw value of channel {@code c} in row {@code r}. */
    public float value(int r, int c) { return values[r * channels + c]; }

    /** Row {@code r}'s time as the record wrote it, null without one. */
    public String time(int r) {
        if (times[r] == null && timeFrom[r] >= 0) {
            times[r] = new String(source, timeFrom[r], timeTo[r] - timeFrom[r], java.nio.charset.StandardCharsets.US_ASCII);
            timeFrom[r] = -1;
        }
        return times[r];
    }
}
