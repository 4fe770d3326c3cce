package dev.minnow.emulator.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.Json;
import dev.minnow.emulator.analysis.FitCheck;
import dev.minnow.emulator.analysis.FitReport;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.cost.ErrorStat;
import dev.minnow.emulator.cost.LatencyEstimate;
import dev.minnow.emulator.cost.LatencyEstimator;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The detector as the firmware would run it on a board: the model must fit the board ({@link FitCheck}), runs in
 * the arena the firmware declares, and its inference time on that board (the cost model's estimate) is checked
 * against the stream's hop period. {@link #detect} and {@link #calibrate} are the library side of
 * {@code minnow detect} and {@code minnow calibrate}.
 */
public final class DetectionPipeline implements AutoCloseable {
    private final PipelineConfig cfg;
    private final Board board;
    private final FitReport fit;
    private final LatencyEstimate estimate;
    private final Detector detector;

    private DetectionPipeline(PipelineConfig cfg, Board board, FitReport fit, LatencyEstimate estimate, Detector detector) {
        this.cfg = cfg;
        this.board = board;
        this.fit = fit;
        this.estimate = estimate;
        this.detector = detector;
    }

    /**
     * Sets up the pipeline on {@code board}: fails with {@link dev.minnow.emulator.analysis.DoesNotFitException} when
     * the model does not fit, with {@link EmulatorException} when the model's tensors do not match the config.
     */
    public static DetectionPipeline open(Model model, PipelineConfig cfg, Board board) {
        return open(model, cfg, board, ModelBudget.DEFAULT);
    }

    /** {@link #open(Model, PipelineConfig, Board)} with the model allocated under {@code budget}. */
    public static DetectionPipeline open(Model model, PipelineConfig cfg, Board board, ModelBudget budget) {
        FitReport fit = FitCheck.shipped().check(model, board, budget).requireFits();
        LatencyEstimate estimate = LatencyEstimator.shipped().estimate(model, board, cfg.stack());
        Detector d = new Detector(model, cfg, Math.toIntExact(fit.arenaBytes()), budget);
        return new DetectionPipeline(cfg, board, fit, estimate, d);
    }

    /** The config in use. */
    public PipelineConfig config() { return cfg; }

    /** The board's fit report (arena and flash). */
    public FitReport fit() { return fit; }

    /** The inference estimate on the board. */
    public LatencyEstimate estimate() { return estimate; }

    /** The detector (model and scoring). */
    public Detector detector() { return detector; }

    /**
     * Summary of a detect run.
     *
     * @param source       stream name
     * @param board        board id
     * @param stack        stack id of the latency estimate
     * @param arenaBytes   arena the model ran in
     * @param rows         data rows
     * @param windows      windows scored
     * @param anomalies    windows above the threshold
     * @param threshold    the threshold
     * @param scoreMin     smallest score (NaN without windows)
     * @param scoreMax     largest score
     * @param scoreMean    mean score
     * @param firstTime    first time value, null without a time column
     * @param lastTime     last time value
     * @param inferenceMs  estimated inference time on the board
     * @param realTime     the real-time check, null when the sample rate is unknown
     * @param realTimeNote why there is no real-time check
     * @param evaluation   metrics against the labels, null without a label column
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String source, String board, String stack, long arenaBytes, long rows, long windows, long anomalies,
                          double threshold, double scoreMin, double scoreMax, double scoreMean, String firstTime,
                          String lastTime, double inferenceMs, RealTimeCheck realTime, String realTimeNote,
                          Evaluation evaluation) {
        /** Readable lines. */
        public String toText() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%s: %,d rows, %,d windows, %,d anomalies (threshold %.6g) on %s (%s, arena %,d B)%n",
                    source, rows, windows, anomalies, threshold, board, stack, arenaBytes));
            if (windows > 0) {
                s.append(String.format(Locale.ROOT, "score: min %.6g, mean %.6g, max %.6g%n", scoreMin, scoreMean, scoreMax));
            }
            if (firstTime != null) s.append("time: ").append(firstTime).append(" .. ").append(lastTime).append('\n');
            s.append(realTime != null ? realTime.toText() : "real time: " + realTimeNote).append('\n');
            if (evaluation != null) s.append(evaluation.toText());
            return s.toString();
        }

        /** As indented JSON. */
        public String toJson() { return Json.pretty(this); }
    }

    /** A detect run's summary, and the SVG plot when asked for. */
    public record Result(Summary summary, String svg) {}

    /**
     * Streams {@code csv} through the detector, passing each anomalous window to {@code events} as it happens, and
     * summarises; with {@code plot} it also draws the score. Needs a threshold in the config.
     */
    public Result detect(InputStream csv, String name, Consumer<DetectionEvent> events, boolean plot) throws IOException {
        Double threshold = cfg.threshold();
        if (threshold == null) {
            throw new EmulatorException("the pipeline config has no threshold: run calibrate on normal data first, or set \"threshold\"");
        }
        boolean timed = cfg.csv().timeColumn() != null;
        EvaluationAccumulator eval = cfg.csv().labelColumn() != null ? new EvaluationAccumulator(timed) : null;
        ScorePlot svg = plot ? new ScorePlot(timed ? "s" : "row") : null;
        double[] stats = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0};
        long[] anomalies = {0};
        DetectionLoop.StreamStats st = DetectionLoop.run(detector, csv, name, new DetectionLoop.WindowListener() {
            @Override public void row(long row, long line, boolean label, double seconds) {
                if (eval != null) eval.row(row, label, seconds);
                if (svg != null) svg.row(timed ? seconds : row, label);
            }

            @Override public void window(long row, long line, CharSequence timeText, double seconds, long window, double score,
                                         boolean alarm) {
                stats[0] = Math.min(stats[0], score);
                stats[1] = Math.max(stats[1], score);
                stats[2] += score;
                if (eval != null) eval.window(row, seconds, score, alarm);
                if (svg != null) svg.window(timed ? seconds : row, score);
                if (alarm) {
                    anomalies[0]++;
                    events.accept(new DetectionEvent(row, line, timeText == null ? null : timeText.toString(), window, score, threshold));
                }
            }
        });
        Double rate = cfg.sampleRateHz() != null ? cfg.sampleRateHz() : st.sampleRateHz();
        RealTimeCheck rt = null;
        String note = null;
        if (rate != null) {
            rt = RealTimeCheck.of(rate, cfg.sampleRateHz() != null ? "config" : "time column", cfg.window().hop(),
                    estimate.latencyMs(), estimate.latency().high());
        } else {
            note = "unknown: no sampleRateHz in the config and no time column to derive it from";
        }
        long w = st.windows();
        Summary summary = new Summary(name, board.id(), estimate.stack(), fit.arenaBytes(), st.rows(), w, anomalies[0], threshold,
                w == 0 ? Double.NaN : stats[0], w == 0 ? Double.NaN : stats[1], w == 0 ? Double.NaN : stats[2] / w,
                st.firstTime(), st.lastTime(), estimate.latencyMs(), rt, note, eval == null ? null : eval.result());
        String title = "score of " + name + " (" + board.name() + ")";
        return new Result(summary, svg == null ? null : svg.toSvg(threshold, title));
    }

    /**
     * How calibrate derives the threshold from the scores of normal data.
     *
     * @param method   "quantile" (threshold = quantile(q) x factor) or "sigma" (threshold = mean + k x std)
     * @param quantile q in (0, 1]
     * @param factor   multiplier of the quantile
     * @param k        multiplier of the standard deviation
     */
    public record CalibrationSpec(String method, double quantile, double factor, double k) {
        public CalibrationSpec {
            if (!"quantile".equals(method) && !"sigma".equals(method)) {
                throw new EmulatorException("calibration method '" + method + "' is not quantile or sigma");
            }
            if (!(quantile > 0 && quantile <= 1)) throw new EmulatorException("quantile " + quantile + " is not in (0, 1]");
            if (!(factor > 0) || !Double.isFinite(factor)) throw new EmulatorException("factor " + factor + " must be > 0");
            if (!Double.isFinite(k)) throw new EmulatorException("k " + k + " must be finite");
        }

        /** threshold = q-quantile x factor. */
        public static CalibrationSpec quantile(double q, double factor) { return new CalibrationSpec("quantile", q, factor, 0); }

        /** threshold = mean + k x std. */
        public static CalibrationSpec sigma(double k) { return new CalibrationSpec("sigma", 0.5, 1, k); }
    }

    /** What calibrate found: the new config (threshold set), and the statistics of the normal scores. */
    public record CalibrationResult(PipelineConfig config, double threshold, long windows, double mean, double std,
                                    double quantileValue, boolean exact) {}

    /** Largest number of scores calibrate keeps (beyond it, a uniform sample of this size gives the quantile). */
    public static final int CALIBRATION_SAMPLE = ScoreSample.CAPACITY;

    /**
     * Scores normal data and sets the threshold: the spec's quantile of the scores times its factor, or their mean
     * plus k standard deviations (population). The quantile interpolates linearly between order statistics; it is
     * exact up to {@link #CALIBRATION_SAMPLE} windows and from a uniform sample of that size beyond.
     */
    public CalibrationResult calibrate(InputStream csv, String name, CalibrationSpec spec) throws IOException {
        ScoreSample kept = new ScoreSample();
        double[] welford = {0, 0, 0}; // n, mean, M2
        DetectionLoop.run(detector, csv, name, (row, line, timeText, seconds, window, score, alarm) -> {
            welford[0]++;
            double delta = score - welford[1];
            welford[1] += delta / welford[0];
            welford[2] += delta * (score - welford[1]);
            kept.add(score, false);
        });
        long n = (long) welford[0];
        if (n == 0) throw new EmulatorException(name + ": no complete window (needs " + detector.windowRows() + " rows)");
        double mean = welford[1], std = Math.sqrt(welford[2] / n);
        double q = ErrorStat.quantile(kept.sorted(), spec.quantile());
        double threshold = "quantile".equals(spec.method()) ? q * spec.factor() : mean + spec.k() * std;
        PipelineConfig.Calibration how = "quantile".equals(spec.method())
                ? new PipelineConfig.Calibration("quantile", spec.quantile(), spec.factor(), null, name, n, mean, std, q)
                : new PipelineConfig.Calibration("sigma", null, null, spec.k(), name, n, mean, std, null);
        return new CalibrationResult(cfg.withThreshold(threshold, how), threshold, n, mean, std, q, kept.exact());
    }

    @Override public void close() { detector.close(); }
}
