package dev.minnow.emulator.detect;

import dev.minnow.emulator.InputFormatException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs a detector over a sensor CSV stream, row by row in constant memory, and hands every scored window to a
 * {@link WindowListener}. The detect and calibrate operations of {@link DetectionPipeline} are listeners.
 */
public final class DetectionLoop {
    private DetectionLoop() {}

    /** Receives the stream's rows and windows, in order. */
    public interface WindowListener {
        /** A data row (1-based), its line, label (false without a label column) and time in seconds (NaN without one). */
        default void row(long row, long line, boolean label, double timeSeconds) {}

        /**
         * A scored window ending at {@code row}; {@code timeText} is the time column's text (null without one; valid
         * during the call only: {@code toString()} it to keep it); {@code alarm} whether the score is above the
         * config's threshold (false without one).
         */
        void window(long row, long line, CharSequence timeText, double timeSeconds, long window, double score, boolean alarm);
    }

    /**
     * What the stream was: rows, the time span and the sample rate it implies.
     *
     * @param rows      data rows read
     * @param windows   windows scored
     * @param firstTime first row's time column text, null without one
     * @param lastTime  last row's time column text, null without one
     * @param spanSeconds last minus first time in seconds, NaN without a time column
     */
    public record StreamStats(long rows, long windows, String firstTime, String lastTime, double spanSeconds) {
        /** Rows per second over the span (rows - 1 intervals), null when it cannot be known. */
        public Double sampleRateHz() {
            return rows > 1 && spanSeconds > 0 ? (rows - 1) / spanSeconds : null;
        }
    }

    /** Streams {@code csv} (named {@code name} in errors) through the detector, calling the listener. */
    public static StreamStats run(Detector detector, InputStream csv, String name, WindowListener listener) throws IOException {
        PipelineConfig cfg = detector.config();
        PipelineConfig.Csv spec = cfg.csv();
        try (SensorCsvReader in = new SensorCsvReader(csv, name, spec.delimiter() == null ? null : spec.delimiter().charAt(0))) {
            Preprocessor pre = new Preprocessor(cfg, in);
            int timeCol = spec.timeColumn() == null ? -1 : in.column(spec.timeColumn());
            int labelCol = spec.labelColumn() == null ? -1 : in.column(spec.labelColumn());
            DeviceState state = detector.newState();
            float[] row = new float[pre.channels()];
            String firstTime = null;
            StringBuilder timeText = timeCol >= 0 ? new StringBuilder(32) : null;
            double firstSeconds = Double.NaN, lastSeconds = Double.NaN;
            long rows = 0;
            while (in.next()) {
                rows++;
                pre.apply(in, row);
                boolean label = false;
                if (labelCol >= 0) {
                    double l = in.number(labelCol);
                    if (l != 0 && l != 1) throw in.bad(labelCol, "is " + l + "; labels must be 0 or 1");
                    label = l == 1;
                }
                double seconds = Double.NaN;
                if (timeCol >= 0) {
                    // the time's text is kept in one reused buffer; a plain number is read in place, a date-time parsed
                    timeText.setLength(0);
                    in.appendText(timeCol, timeText);
                    seconds = in.decimalOrNaN(timeCol);
                    if (Double.isNaN(seconds)) seconds = TimeParser.seconds(timeText.toString());
                    if (Double.isNaN(seconds)) {
                        throw in.bad(timeCol, "'" + timeText + "' is neither seconds nor an ISO-8601 date-time");
                    }
                    if (firstTime == null) {
                        firstTime = timeText.toString();
                        firstSeconds = seconds;
                    }
                    lastSeconds = seconds;
                }
                listener.row(rows, in.line(), label, seconds);
                if (detector.add(state, row)) {
                    double score = detector.score(state);
                    boolean alarm = detector.judge(state, score);
                    listener.window(rows, in.line(), timeText, seconds, state.windows(), score, alarm);
                }
            }
            if (rows == 0) throw new InputFormatException(name, in.line(), 0, "no data rows after the header");
            return new StreamStats(rows, state.windows(), firstTime, timeText == null ? null : timeText.toString(),
                    lastSeconds - firstSeconds);
        }
    }
}
