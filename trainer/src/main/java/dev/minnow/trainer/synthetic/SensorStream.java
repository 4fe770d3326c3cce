package dev.minnow.trainer.synthetic;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A labelled multi-channel sensor stream: values per row and channel, a 0/1 anomaly label per row, and the events
 * that produced the labels (empty when read back from CSV).
 *
 * @param channels   channel names
 * @param periodSeconds time between rows
 * @param values     {@code [rows][channels]}
 * @param labels     1 where a row is anomalous, else 0
 * @param events     the injected anomalies, in row order
 */
public record SensorStream(List<String> channels, double periodSeconds, float[][] values, int[] labels, List<AnomalyEvent> events) {
    public SensorStream {
        channels = List.copyOf(channels);
        events = List.copyOf(events);
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(labels, "labels");
        if (!(periodSeconds > 0)) throw new IllegalArgumentException("period " + periodSeconds + " s must be > 0");
        if (values.length != labels.length) throw new IllegalArgumentException(values.length + " rows of values but " + labels.length + " labels");
        for (int i = 0; i < values.length; i++) {
            if (values[i].length != channels.size()) {
                throw new IllegalArgumentException("row " + i + " has " + values[i].length + " values for " + channels.size() + " channels");
            }
            if (labels[i] != 0 && labels[i] != 1) throw new IllegalArgumentException("row " + i + " has label " + labels[i] + ", not 0 or 1");
        }
    }

    /** Number of rows. */
    public int rows() { return values.length; }

    /** Rows labelled anomalous. */
    public int anomalousRows() { return Arrays.stream(labels).sum(); }

    /** Column {@code channel} as an array. */
    public float[] channel(int channel) {
        float[] c = new float[values.length];
        for (int i = 0; i < c.length; i++) c[i] = values[i][channel];
        return c;
    }

    /** Writes the stream as CSV: header {@code time,<channels>,label}, then one row per sample (time in seconds). */
    public void writeCsv(Writer out) throws IOException {
        StringBuilder sb = new StringBuilder("time");
        for (String c : channels) sb.append(',').append(c);
        sb.append(",label\n");
        out.write(sb.toString());
        for (int i = 0; i < values.length; i++) {
            sb.setLength(0);
            sb.append(String.format(Locale.ROOT, "%.3f", i * periodSeconds));
            for (float v : values[i]) sb.append(',').append(String.format(Locale.ROOT, "%.6f", v));
            sb.append(',').append(labels[i]).append('\n');
            out.write(sb.toString());
        }
    }

    /**
     * Reads a stream written by {@link #writeCsv}: a header {@code time,<channels...>,label}, evenly spaced times.
     * Malformed lines fail with their line number.
     */
    public static SensorStream readCsv(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header == null) throw new IllegalArgumentException("CSV is empty: expected a header time,<channels>,label");
        String[] h = header.split(",", -1);
        if (h.length < 3 || !h[0].trim().equals("time") || !h[h.length - 1].trim().equals("label")) {
            throw new IllegalArgumentException("CSV header '" + header + "' is not time,<channels>,label");
        }
        List<String> channels = new ArrayList<>();
        for (int i = 1; i < h.length - 1; i++) channels.add(h[i].trim());
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        String line;
        int lineNo = 1;
        while ((line = in.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split(",", -1);
            if (f.length != h.length) {
                throw new IllegalArgumentException("CSV line " + lineNo + " has " + f.length + " fields, the header has " + h.length);
            }
            float[] v = new float[channels.size()];
            try {
                times.add(Double.parseDouble(f[0].trim()));
                for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(f[i + 1].trim());
                int label = Integer.parseInt(f[f.length - 1].trim());
                if (label != 0 && label != 1) throw new IllegalArgumentException("CSV line " + lineNo + ": label " + label + " is not 0 or 1");
                labels.add(label);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CSV line " + lineNo + " has a field that is not a number: " + e.getMessage(), e);
            }
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) throw new IllegalArgumentException("CSV line " + lineNo + ": " + channels.get(i) + " is " + v[i]);
            }
            rows.add(v);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("CSV has a header but no rows");
        double period = rows.size() > 1 ? times.get(1) - times.get(0) : 1.0;
        if (!(period > 0)) throw new IllegalArgumentException("CSV times do not increase: " + times.get(0) + " then " + times.get(1));
        return new SensorStream(channels, period, rows.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue).toArray(), List.of());
    }
}
