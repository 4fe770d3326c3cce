package dev.minnow.trainer.synthetic;

import java.util.Objects;

/**
 * One injected anomaly.
 *
 * @param kind    what it is
 * @param channel the channel it affects (index into the stream's channels)
 * @param start   first affected row
 * @param end     one past the last affected row
 */
public record AnomalyEvent(AnomalyKind kind, int channel, int start, int end) {
    public AnomalyEvent {
        Objects.requireNonNull(kind, "kind");
        if (start < 0 || end <= start) throw new IllegalArgumentException("anomaly rows [" + start + ", " + end + ") are empty or negative");
    }

    /** Rows affected. */
    public int length() { return end - start; }

    /** Whether {@code row} is inside the event. */
    public boolean contains(int row) { return row >= start && row < end; }
}
