package dev.minnow.emulator.detect;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hand-checked example. Ten rows, one window per row, threshold 0.5:
 * <pre>
 * row     1    2    3    4    5    6    7    8    9    10
 * label   0    0    0    1    1    1    0    0    1    1
 * score  0.1  0.2  0.9  0.3  0.8  0.7  0.1  0.2  0.4  0.95
 * alarm            FP   FN   TP   TP             FN   TP
 * </pre>
 * TP 3, FP 1, FN 2, TN 4: precision 3/4, recall 3/5, F1 2/3, false alarm rate 1/5, missed alarm rate 2/5.
 * AUC: each positive beats the negatives below it: 0.3, 0.8, 0.7 and 0.4 beat four (not 0.9), 0.95 all five:
 * 21 of 25 pairs = 0.84. Intervals rows 4-6 (first alarm row 5) and 9-10 (row 10): both found, 1 row late each.
 */
class EvaluationTest {
    static final int[] LABELS = {0, 0, 0, 1, 1, 1, 0, 0, 1, 1};
    static final double[] SCORES = {0.1, 0.2, 0.9, 0.3, 0.8, 0.7, 0.1, 0.2, 0.4, 0.95};

    static void checkHandExample(Evaluation e, double delay, String unit) {
        assertEquals(10, e.windows());
        assertEquals(5, e.positives());
        assertEquals(3, e.truePositives());
        assertEquals(1, e.falsePositives());
        assertEquals(4, e.trueNegatives());
        assertEquals(2, e.falseNegatives());
        assertEquals(0.75, e.precision(), 1e-12);
        assertEquals(0.6, e.recall(), 1e-12);
        assertEquals(2.0 / 3, e.f1(), 1e-12);
        assertEquals(0.2, e.falseAlarmRate(), 1e-12);
        assertEquals(0.4, e.missedAlarmRate(), 1e-12);
        assertEquals(0.84, e.rocAuc(), 1e-12);
        assertTrue(e.rocAucExact());
        assertEquals(2, e.intervals());
        assertEquals(2, e.detectedIntervals());
        assertEquals(delay, e.meanDetectionDelay(), 1e-12);
        assertEquals(unit, e.delayUnit());
    }

    @Test
    void handCheckedExample() {
        EvaluationAccumulator rows = new EvaluationAccumulator(false), timed = new EvaluationAccumulator(true);
        for (int i = 0; i < 10; i++) {
            long row = i + 1;
            double t = 100 + 0.5 * row;
            rows.row(row, LABELS[i] == 1, Double.NaN);
            rows.window(row, Double.NaN, SCORES[i], SCORES[i] > 0.5);
            timed.row(row, LABELS[i] == 1, t);
            timed.window(row, t, SCORES[i], SCORES[i] > 0.5);
        }
        checkHandExample(rows.result(), 1, "rows");
        checkHandExample(timed.result(), 0.5, "s");
    }

    @Test
    void tiesCountHalfAndDegenerateCasesAreNull() {
        assertEquals(0.5, EvaluationAccumulator.rocAuc(new float[] {1, 1}, new boolean[] {true, false}, 2), 1e-12);
        assertNull(EvaluationAccumulator.rocAuc(new float[] {1, 2}, new boolean[] {true, true}, 2));
        EvaluationAccumulator none = new EvaluationAccumulator(false);
        none.row(1, false, Double.NaN);
        none.window(1, Double.NaN, 0.1, false);
        Evaluation e = none.result();
        assertNull(e.precision());
        assertNull(e.recall());
        assertNull(e.f1());
        assertNull(e.rocAuc());
        assertNull(e.meanDetectionDelay());
        assertEquals(0.0, e.falseAlarmRate());
        assertTrue(e.toText().contains("n/a"));
    }

    @Test
    void missedIntervalsAndOpenIntervalAtTheEnd() {
        EvaluationAccumulator a = new EvaluationAccumulator(false);
        int[] labels = {1, 1, 0, 0, 1, 1, 1};
        boolean[] alarms = {false, false, false, true, false, false, true};
        for (int i = 0; i < labels.length; i++) {
            a.row(i + 1, labels[i] == 1, Double.NaN);
            a.window(i + 1, Double.NaN, alarms[i] ? 1 : 0, alarms[i]);
        }
        Evaluation e = a.result();
        assertEquals(2, e.intervals());
        assertEquals(1, e.detectedIntervals(), "the first interval had no alarm inside; the alarm at row 4 is outside both");
        assertEquals(2.0, e.meanDetectionDelay(), 1e-12, "rows 5..7 alarmed at row 7");
    }

    @Test
    void plotStaysBoundedAndShowsThresholdAndIntervals() {
        ScorePlot p = new ScorePlot("row");
        for (int i = 1; i <= 1_000_000; i++) {
            p.row(i, i % 100_000 < 1000);
            p.window(i, Math.sin(i * 1e-3) + (i == 500_000 ? 50 : 0));
        }
        assertTrue(p.buckets() <= 2 * ScorePlot.BUCKETS, "buckets " + p.buckets());
        String svg = p.toSvg(0.75, "score of <test>");
        assertEquals(11, svg.split("class=\"anomaly\"", -1).length - 1, "rows 1-999, 100000-100999, ..., 900000-900999 and row 1000000");
        assertTrue(svg.contains("class=\"threshold\""));
        assertTrue(svg.contains("threshold 0.75"));
        assertTrue(svg.contains("&lt;test&gt;"));
        assertTrue(svg.contains("50"), "the spike survives downsampling as a bucket maximum");
        assertFalse(svg.contains("NaN"));
    }
}
