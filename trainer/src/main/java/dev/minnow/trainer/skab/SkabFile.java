package dev.minnow.trainer.skab;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * One SKAB experiment file: its rows in time order with the eight sensor features and the two 0/1 labels.
 *
 * @param name        the file's path below the data directory, e.g. {@code valve1/0.csv}
 * @param features    the feature column names
 * @param times       each row's timestamp
 * @param values      {@code [rows][features]}
 * @param anomaly     the outlier label of each row
 * @param changepoint the changepoint label of each row
 */
public record SkabFile(String name, List<String> features, LocalDateTime[] times, float[][] values, int[] anomaly, int[] changepoint) {
    public SkabFile {
        Objects.requireNonNull(name, "name");
        features = List.copyOf(features);
        if (times.length != values.length || anomaly.length != values.length || changepoint.length != values.length) {
            throw new IllegalArgumentException(name + ": " + values.length + " rows but " + times.length + " times, " + anomaly.length
                    + " anomaly and " + changepoint.length + " changepoint labels");
        }
    }

    /** Number of rows. */
    public int rows() { return values.length; }

    /** Rows labelled anomalous among {@code [from, rows)}. */
    public int anomalies(int from) {
        int n = 0;
        for (int i = from; i < anomaly.length; i++) n += anomaly[i];
        return n;
    }
}
