package dev.minnow.emulator.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An SVG of the score over time (or rows) with the threshold and the labelled anomaly intervals shaded, built from
 * a stream in bounded memory: windows fall into at most 2 x {@link #BUCKETS} buckets holding the first x and the
 * score's minimum and maximum; when full, neighbours merge and the bucket width doubles. The drawing shows each
 * bucket's min-max envelope, so short spikes stay visible however long the stream.
 */
public final class ScorePlot {
    /** Buckets the plot aims at (between this and twice this are kept). */
    public static final int BUCKETS = 1000;
    /** Anomaly intervals drawn at most; further ones are counted in the caption. */
    public static final int MAX_INTERVALS = 10_000;

    private double[] bx = new double[2 * BUCKETS], bmin = new double[2 * BUCKETS], bmax = new double[2 * BUCKETS];
    private int buckets;
    private long width = 1, inCurrent;
    private final List<double[]> intervals = new ArrayList<>();
    private long droppedIntervals;
    private double intervalStart = Double.NaN;
    private double lastX = Double.NaN;
    private final String xUnit;

    /** A plot whose x axis is in {@code xUnit} ("s" or "row"). */
    public ScorePlot(String xUnit) { this.xUnit = xUnit; }

    /** A scored window ending at x. */
    public void window(double x, double score) {
        if (buckets > 0 && inCurrent < width) {
            int b = buckets - 1;
            bmin[b] = Math.min(bmin[b], score);
            bmax[b] = Math.max(bmax[b], score);
            inCurrent++;
            return;
        }
        if (buckets == bx.length) merge();
        bx[buckets] = x;
        bmin[buckets] = score;
        bmax[buckets] = score;
        buckets++;
        inCurrent = 1;
    }

    private void merge() {
        int n = 0;
        for (int i = 0; i + 1 < buckets; i += 2, n++) {
            bx[n] = bx[i];
            bmin[n] = Math.min(bmin[i], bmin[i + 1]);
            bmax[n] = Math.max(bmax[i], bmax[i + 1]);
        }
        buckets = n;
        width *= 2;
        inCurrent = width;
    }

    /** Every row's label at x, in order (opens and closes the shaded intervals). */
    public void row(double x, boolean anomalous) {
        if (anomalous && Double.isNaN(intervalStart)) intervalStart = x;
        if (!anomalous && !Double.isNaN(intervalStart)) closeInterval(x);
        lastX = x;
    }

    private void closeInterval(double end) {
        if (intervals.size() < MAX_INTERVALS) intervals.add(new double[] {intervalStart, end});
        else droppedIntervals++;
        intervalStart = Double.NaN;
    }

    /** The SVG (an open interval ends at the last row). */
    public String toSvg(Double threshold, String title) {
        if (!Double.isNaN(intervalStart)) closeInterval(lastX);
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY, y0 = 0, y1 = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < buckets; i++) {
            x0 = Math.min(x0, bx[i]);
            x1 = Math.max(x1, bx[i]);
            y0 = Math.min(y0, bmin[i]);
            y1 = Math.max(y1, bmax[i]);
        }
        for (double[] iv : intervals) {
            x0 = Math.min(x0, iv[0]);
            x1 = Math.max(x1, iv[1]);
        }
        if (threshold != null) y1 = Math.max(y1, threshold);
        if (!(x1 > x0)) {
            x0 = Double.isFinite(x0) ? x0 - 1 : 0;
            x1 = x0 + 2;
        }
        if (!(y1 > y0)) y1 = y0 + 1;
        y1 += (y1 - y0) * 0.05;
        final double w = 1000, h = 320, left = 70, right = 20, top = 30, bottom = 40;
        final double fx0 = x0, fx1 = x1, fy0 = y0, fy1 = y1;
        java.util.function.DoubleUnaryOperator sx = v -> left + (v - fx0) / (fx1 - fx0) * (w - left - right);
        java.util.function.DoubleUnaryOperator sy = v -> h - bottom - (v - fy0) / (fy1 - fy0) * (h - top - bottom);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">%n", w, h, w, h));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<title>").append(escape(title)).append("</title>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"18\">%s</text>%n", left, escape(title)));
        for (double[] iv : intervals) {
            double a = sx.applyAsDouble(iv[0]), b = sx.applyAsDouble(iv[1]);
            s.append(String.format(Locale.ROOT, "<rect class=\"anomaly\" x=\"%.2f\" y=\"%.0f\" width=\"%.2f\" height=\"%.0f\" fill=\"#f6c6c6\"/>%n",
                    a, top, Math.max(1, b - a), h - top - bottom));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>%n", left, h - bottom, w - right, h - bottom));
        s.append(String.format(Locale.ROOT, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>%n", left, top, left, h - bottom));
        for (int t = 0; t <= 4; t++) {
            double yv = y0 + (y1 - y0) * t / 4, xv = x0 + (x1 - x0) * t / 4;
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>%n", left - 6, sy.applyAsDouble(yv) + 4, yv));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.6g</text>%n", sx.applyAsDouble(xv), h - bottom + 16, xv));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n", (left + w - right) / 2, h - 6,
                "s".equals(xUnit) ? "time (s)" : "row"));
        if (buckets > 0) {
            s.append("<path class=\"score\" fill=\"none\" stroke=\"#1f5fbf\" stroke-width=\"1\" d=\"");
            for (int i = 0; i < buckets; i++) {
                double px = sx.applyAsDouble(bx[i]);
                s.append(String.format(Locale.ROOT, "%s%.2f %.2f L%.2f %.2f ", i == 0 ? "M" : "L", px, sy.applyAsDouble(bmax[i]), px, sy.applyAsDouble(bmin[i])));
            }
            s.append("\"/>\n");
        }
        if (threshold != null) {
            double ty = sy.applyAsDouble(threshold);
            s.append(String.format(Locale.ROOT, "<line class=\"threshold\" x1=\"%.0f\" y1=\"%.2f\" x2=\"%.0f\" y2=\"%.2f\" stroke=\"#d62728\" stroke-dasharray=\"6 4\"/>%n",
                    left, ty, w - right, ty));
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.2f\" text-anchor=\"end\" fill=\"#d62728\">threshold %.4g</text>%n", w - right, ty - 4, threshold));
        }
        if (droppedIntervals > 0) {
            s.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\">%d further anomaly intervals not drawn</text>%n", left + 10, top + 14, droppedIntervals));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** Buckets currently kept (for tests). */
    int buckets() { return buckets; }

    /** Intervals kept (for tests). */
    int intervals() { return intervals.size(); }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
