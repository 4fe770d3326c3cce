package dev.minnow.emulator.detect;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.InputFormatException;
import dev.minnow.emulator.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The detector's pipeline, a small JSON file beside the model (schema: {@code pipeline-config.schema.json}): how
 * to read the sensor CSV, which channels, how to normalise them, the window, how to score a window, the threshold
 * and the board. Everything the firmware needs besides the model, so the emulator and the exported sketch agree.
 *
 * @param model         the model file, relative to the config's directory (null: given separately)
 * @param csv           how the CSV is read
 * @param channels      column names of the input channels, in model input order (within a time step)
 * @param normalization per-channel scaling applied before the model
 * @param window        window length and hop, in rows
 * @param score         how an inference becomes a score
 * @param threshold     a window is anomalous when its score is above this; null until calibrated
 * @param board         board id the detector runs on (its arena and latency)
 * @param stack         cost model stack for the latency estimate, null for the board's default
 * @param sampleRateHz  the stream's sample rate; null: derived from the time column
 * @param calibration   how the threshold was set (written by calibrate), null when set by hand
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineConfig(String model, Csv csv, List<String> channels, Normalization normalization, Window window,
                             Score score, Double threshold, String board, String stack, Double sampleRateHz,
                             Calibration calibration) {

    /**
     * CSV layout.
     *
     * @param delimiter   field separator (one character); null: detected from the header (',', ';' or tab)
     * @param timeColumn  column holding time (seconds, or an ISO-8601 date-time); null: rows are counted instead
     * @param labelColumn column holding 0/1 anomaly labels for evaluation; null: no evaluation
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Csv(String delimiter, String timeColumn, String labelColumn) {
        public Csv {
            require(delimiter == null || delimiter.length() == 1, "csv.delimiter must be one character, got '" + delimiter + "'");
        }
    }

    /** Normalisation methods. */
    public enum Method {
        NONE, MINMAX, ZSCORE;

        @JsonValue
        public String id() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static Method parse(String s) { return parseEnum(values(), s, "normalization.method"); }
    }

    /**
     * Per-channel normalisation with stored parameters: minmax {@code (x - min) / (max - min)}, zscore
     * {@code (x - mean) / std}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Normalization(Method method, double[] min, double[] max, double[] mean, double[] std) {
        public Normalization {
            require(method != null, "normalization.method is missing");
            if (method == Method.MINMAX) {
                require(min != null && max != null, "minmax normalization needs min and max");
                require(min.length == max.length, "normalization.min has " + min.length + " values, max " + max.length);
                for (int i = 0; i < min.length; i++) {
                    require(max[i] > min[i], "normalization channel " + i + ": max " + max[i] + " must exceed min " + min[i]);
                }
            }
            if (method == Method.ZSCORE) {
                require(mean != null && std != null, "zscore normalization needs mean and std");
                require(mean.length == std.length, "normalization.mean has " + mean.length + " values, std " + std.length);
                for (int i = 0; i < std.length; i++) require(std[i] > 0, "normalization channel " + i + ": std " + std[i] + " must be > 0");
            }
        }

        /** Number of channels the parameters are for; -1 for none. */
        int channels() {
            return switch (method) {
                case NONE -> -1;
                case MINMAX -> min.length;
                case ZSCORE -> mean.length;
            };
        }
    }

    /** Window length and hop in rows (samples). */
    public record Window(int length, int hop) {
        public Window {
            require(length >= 1, "window.length must be >= 1, got " + length);
            require(hop >= 1, "window.hop must be >= 1, got " + hop);
        }
    }

    /** How the model's output becomes a score. */
    public enum ScoreKind {
        /** Autoencoder: error between the window (as fed to the model) and the model's output. */
        RECONSTRUCTION,
        /** Forecaster: error between the model's prediction from the window and the row that follows it. */
        FORECAST,
        /** The model computes the score itself: one element of one output. */
        OUTPUT;

        @JsonValue
        public String id() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static ScoreKind parse(String s) { return parseEnum(values(), s, "score.kind"); }
    }

    /** Error measure of reconstruction and forecast scores. */
    public enum ErrorMeasure {
        MSE, MAE;

        @JsonValue
        public String id() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static ErrorMeasure parse(String s) { return parseEnum(values(), s, "score.error"); }
    }

    /** Which part of a reconstruction the error is taken over. */
    public enum Span {
        WINDOW, LAST;

        @JsonValue
        public String id() { return name().toLowerCase(Locale.ROOT); }

        @JsonCreator
        public static Span parse(String s) { return parseEnum(values(), s, "score.over"); }
    }

    /**
     * Scoring.
     *
     * @param kind    reconstruction, forecast or output
     * @param error   mse or mae (reconstruction, forecast); default mse
     * @param over    window or last step (reconstruction); default window
     * @param output  model output index (output kind; reconstruction and forecast use output 0); default 0
     * @param element element of that output (output kind); default 0
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Score(ScoreKind kind, ErrorMeasure error, Span over, Integer output, Integer element) {
        public Score {
            require(kind != null, "score.kind is missing");
            error = error == null ? ErrorMeasure.MSE : error;
            over = over == null ? Span.WINDOW : over;
            output = output == null ? 0 : output;
            element = element == null ? 0 : element;
            require(output >= 0 && element >= 0, "score.output and score.element must be >= 0");
        }
    }

    /** How calibrate set the threshold: a quantile of the normal scores times a factor, or mean + k sigma. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Calibration(String method, Double quantile, Double factor, Double k, String data, Long windows,
                              Double scoreMean, Double scoreStd, Double scoreQuantile) {}

    public PipelineConfig {
        csv = csv == null ? new Csv(null, null, null) : csv;
        require(channels != null && !channels.isEmpty(), "channels must name at least one column");
        channels = List.copyOf(channels);
        normalization = normalization == null ? new Normalization(Method.NONE, null, null, null, null) : normalization;
        require(normalization.channels() < 0 || normalization.channels() == channels.size(),
                "normalization has parameters for " + normalization.channels() + " channels, channels lists " + channels.size());
        require(window != null, "window is missing");
        require(score != null, "score is missing");
        require(threshold == null || Double.isFinite(threshold), "threshold must be a finite number");
        require(sampleRateHz == null || sampleRateHz > 0, "sampleRateHz must be > 0, got " + sampleRateHz);
    }

    /** This config with another threshold and calibration record. */
    public PipelineConfig withThreshold(double newThreshold, Calibration how) {
        return new PipelineConfig(model, csv, channels, normalization, window, score, newThreshold, board, stack, sampleRateHz, how);
    }

    /** This config with another board. */
    public PipelineConfig withBoard(String newBoard) {
        return new PipelineConfig(model, csv, channels, normalization, window, score, threshold, newBoard, stack, sampleRateHz, calibration);
    }

    /** Reads a config; malformed JSON or a bad value fails naming the file, line and column. */
    public static PipelineConfig load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new EmulatorException("pipeline config " + file + " does not exist");
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        }
    }

    /** Reads a config from a stream named {@code name} in messages. */
    public static PipelineConfig parse(InputStream in, String name) throws IOException {
        try {
            return Json.mapper().readValue(in, PipelineConfig.class);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            Throwable c = e instanceof JsonMappingException ? e.getCause() : null;
            String detail = c instanceof IllegalArgumentException ? c.getMessage() : e.getOriginalMessage();
            if (e instanceof JsonMappingException m && !m.getPath().isEmpty() && !(c instanceof IllegalArgumentException)) {
                detail = m.getPathReference().replace("dev.minnow.emulator.detect.PipelineConfig", "config") + ": " + detail;
            }
            throw new InputFormatException(name, loc == null ? 0 : Math.max(0, loc.getLineNr()),
                    loc == null ? 0 : Math.max(0, loc.getColumnNr()), detail);
        }
    }

    /** Writes the config as indented JSON. */
    public void write(Path file) throws IOException {
        Files.writeString(file, Json.pretty(this) + "\n", StandardCharsets.UTF_8);
    }

    /** The model file this config names, resolved against the config's location; null when it names none. */
    public Path modelPath(Path configFile) {
        if (model == null) return null;
        Path dir = configFile.toAbsolutePath().getParent();
        return dir.resolve(model);
    }

    /** The constant whose lower-case name is {@code s} (case ignored); fails naming the choices. */
    private static <E extends Enum<E>> E parseEnum(E[] values, String s, String what) {
        StringBuilder choices = new StringBuilder();
        for (E e : values) {
            if (e.name().equalsIgnoreCase(s)) return e;
            choices.append(choices.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(what + " '" + s + "' is not one of " + choices);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
