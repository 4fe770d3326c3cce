package dev.minnow.emulator.detect;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Locale;

/**
 * Whether one inference, as estimated on the board, fits in the time between two windows (hop / sample rate), and
 * by how much. The verdict uses the estimate; {@code fitsWorstCase} uses the upper end of its error band.
 *
 * @param sampleRateHz   stream sample rate
 * @param rateSource     "config" or "time column"
 * @param hopPeriodMs    time between windows
 * @param inferenceMs    estimated inference latency on the board
 * @param inferenceHighMs upper end of the estimate's error band, null when unbounded
 * @param fits           inferenceMs &lt;= hopPeriodMs
 * @param fitsWorstCase  the band's upper end fits too (false when unbounded)
 * @param marginMs       hopPeriodMs - inferenceMs (negative: the board falls behind)
 * @param utilisation    inferenceMs / hopPeriodMs
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RealTimeCheck(double sampleRateHz, String rateSource, double hopPeriodMs, double inferenceMs,
                            Double inferenceHighMs, boolean fits, boolean fitsWorstCase, double marginMs, double utilisation) {

    /** The check for a hop at a rate, given the estimate and its band's upper end (null: unbounded). */
    public static RealTimeCheck of(double sampleRateHz, String rateSource, int hop, double inferenceMs, Double highMs) {
        double period = hop / sampleRateHz * 1e3;
        return new RealTimeCheck(sampleRateHz, rateSource, period, inferenceMs, highMs, inferenceMs <= period,
                highMs != null && highMs <= period, period - inferenceMs, inferenceMs / period);
    }

    /** One line: verdict and numbers. */
    public String toText() {
        return String.format(Locale.ROOT, "real time: %s — one inference %.3f ms (up to %s) every %.3f ms (hop at %.4g Hz from the %s): "
                        + "%s %.3f ms, %.1f%% of the period", fits ? "fits" : "DOES NOT FIT", inferenceMs,
                inferenceHighMs == null ? "unbounded" : String.format(Locale.ROOT, "%.3f ms", inferenceHighMs), hopPeriodMs,
                sampleRateHz, rateSource, marginMs >= 0 ? "margin" : "short by", Math.abs(marginMs), 100 * utilisation);
    }
}
