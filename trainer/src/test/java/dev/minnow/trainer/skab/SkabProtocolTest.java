package dev.minnow.trainer.skab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The SKAB protocol's pieces: CSV reading, standardisation, windows, the limit, the row rule and the scores. */
class SkabProtocolTest {
    private static final String HEADER = "datetime;a;b;anomaly;changepoint";

    private static SkabFile parse(String text) throws IOException {
        return SkabCsv.read(new BufferedReader(new StringReader(text)), "t.csv");
    }

    @Test
    void readsSemicolonRowsWithDatetimeAndLabels() throws IOException {
        SkabFile f = parse(HEADER + "\r\n2020-03-09 10:14:33;0.5;32.0;0.0;0.0\r\n2020-03-09 10:14:34;1.5;31;1.0;1.0\r\n");
        assertEquals(List.of("a", "b"), f.features());
        assertEquals(2, f.rows());
        assertEquals(LocalDateTime.of(2020, 3, 9, 10, 14, 34), f.times()[1]);
        assertArrayEquals(new float[] {1.5f, 31f}, f.values()[1]);
        assertArrayEquals(new int[] {0, 1}, f.anomaly());
        assertArrayEquals(new int[] {0, 1}, f.changepoint());
    }

    @Test
    void malformedLinesAreNamed() {
        assertEquals("t.csv line 3: 4 fields, the header has 5", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "\n2020-03-09 10:14:33;0.5;32.0;0.0;0.0\n2020-03-09 10:14:34;1;2;0\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(HEADER + "\n2020-03-09T10:14:33;0.5;32.0;0.0;0.0\n"))
                .getMessage().startsWith("t.csv line 2: datetime '2020-03-09T10:14:33'"));
        assertEquals("t.csv line 2: b 'x' is not a finite number", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "\n2020-03-09 10:14:33;0.5;x;0.0;0.0\n")).getMessage());
        assertEquals("t.csv line 2: anomaly 2.0 is not 0 or 1", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "\n2020-03-09 10:14:33;0.5;1;2.0;0.0\n")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("time;a;b\n")).getMessage().contains("header"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(HEADER + "\n")).getMessage().contains("no rows"));
    }

    @Test
    void standardisesWithThePopulationDeviationAndKeepsConstantsFinite() {
        float[][] rows = {{1, 5}, {3, 5}, {100, 7}};
        Standardizer s = Standardizer.fit(rows, 0, 2);
        assertArrayEquals(new double[] {2, 5}, s.mean());
        assertArrayEquals(new double[] {1, 1}, s.scale()); // std of {1, 3} is 1; of {5, 5} is 0 -> 1
        assertArrayEquals(new float[] {98, 2}, s.apply(rows)[2]);
    }

    @Test
    void windowsStartAtEveryRow() {
        float[][] rows = {{0, 10}, {1, 11}, {2, 12}, {3, 13}};
        float[][] w = Windows.of(rows, 0, 4, 3);
        assertEquals(2, w.length);
        assertArrayEquals(new float[] {1, 11, 2, 12, 3, 13}, w[1]);
        assertEquals(1, Windows.of(rows, 1, 4, 3).length);
        assertThrows(IllegalArgumentException.class, () -> Windows.of(rows, 0, 2, 3));
    }

    @Test
    void quantileInterpolatesLikePandas() {
        assertEquals(2.5, Threshold.quantile(new double[] {4, 1, 3, 2}, 0.5), 1e-12);
        double[] v = new double[1000];
        for (int i = 0; i < v.length; i++) v[i] = 999 - i;
        assertEquals(998.001, Threshold.quantile(v, 0.999), 1e-9);
        assertEquals(998.001 * 4 / 3, Threshold.ucl(v, 0.999, 4.0 / 3.0), 1e-9);
    }

    @Test
    void referenceRuleFlagsRowsWhoseEarlierCoveringWindowsAllExceed() {
        int length = 4;
        int rows = 20;
        boolean[] above = new boolean[rows - length + 1];
        java.util.Random r = new java.util.Random(3);
        for (int trial = 0; trial < 200; trial++) {
            for (int k = 0; k < above.length; k++) above[k] = r.nextInt(5) > 0;
            boolean[] flags = PointRule.REFERENCE.flags(above, rows, length);
            for (int i = 0; i < rows; i++) {
                boolean expected = false;
                if (i >= length - 1 && i <= above.length - length) {
                    expected = true;
                    for (int k = i - length + 1; k < i; k++) expected &= above[k];
                }
                assertEquals(expected, flags[i], "row " + i);
            }
        }
        boolean[] end = PointRule.WINDOW_END.flags(new boolean[] {true, false, true}, 5, 3);
        assertArrayEquals(new boolean[] {false, false, true, false, true}, end);
    }

    @Test
    void binaryScoresAsSkab() {
        BinaryScore s = BinaryScore.of(new int[] {1, 1, 1, 0, 0, 0, 0, 1}, new boolean[] {true, true, false, true, false, false, false, true}, 1);
        assertEquals(new BinaryScore(2, 3, 1, 1), s);
        assertEquals(2 / (2 + 1.0), s.f1(), 1e-12);
        assertEquals(25.0, s.farPercent(), 1e-12);
        assertEquals(100.0 / 3, s.marPercent(), 1e-12);
    }

    @Test
    void protocolFlagsAShiftWithAThresholdFromTrainingScores() {
        // 2 features; rows 600..799 shifted by 5 standard deviations; a detector scoring the mean |z| of a window
        int rows = 1000;
        float[][] v = new float[rows][2];
        int[] anomaly = new int[rows];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < rows; i++) {
            boolean a = i >= 600 && i < 800;
            anomaly[i] = a ? 1 : 0;
            v[i][0] = (float) (r.nextGaussian() + (a ? 5 : 0));
            v[i][1] = (float) r.nextGaussian();
        }
        LocalDateTime[] t = Collections.nCopies(rows, LocalDateTime.of(2020, 1, 1, 0, 0)).toArray(new LocalDateTime[0]);
        SkabFile f = new SkabFile("shift", List.of("x", "y"), t, v, anomaly, new int[rows]);
        WindowDetector meanAbs = new WindowDetector() {
            @Override public void fit(float[][] windows, long seed) { }
            @Override public double[] scores(float[][] windows) {
                double[] s = new double[windows.length];
                for (int k = 0; k < s.length; k++) {
                    for (float x : windows[k]) s[k] += Math.abs(x);
                    s[k] /= windows[k].length;
                }
                return s;
            }
        };
        SkabProtocol.FileResult res = SkabProtocol.published().run(f, meanAbs, 0);
        assertEquals(rows - 59, res.scores().length);
        // a row is flagged when the 59 windows starting before it all exceed; the one starting 59 rows earlier holds
        // the row itself as its last, so nothing before the shift can be flagged
        assertTrue(res.test().f1() > 0.8, res.test().toString());
        assertEquals(0, res.test().fp(), res.test().toString());
        for (int i = 0; i < 600; i++) assertTrue(!res.flags()[i], "row " + i);
        assertTrue(res.flags()[700]);
    }

    @Test
    void storedScoresRejudgeToTheSameFlags(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        int rows = 200;
        float[][] v = new float[rows][1];
        int[] anomaly = new int[rows];
        double[] scores = new double[rows - 59];
        for (int i = 0; i < rows; i++) anomaly[i] = i >= 120 && i < 180 ? 1 : 0;
        for (int k = 0; k < scores.length; k++) scores[k] = k >= 80 && k < 125 ? 5 : 1 + 0.001 * k;
        LocalDateTime[] t = Collections.nCopies(rows, LocalDateTime.of(2020, 1, 1, 0, 0)).toArray(new LocalDateTime[0]);
        SkabFile f = new SkabFile("f", List.of("x"), t, v, anomaly, new int[rows]);
        SkabProtocol p = new SkabProtocol(100, 60, 0.999, 4.0 / 3, PointRule.REFERENCE);
        SkabProtocol.FileResult r = p.judge(f, new double[] {1, 1.1, 1.2}, scores, 0.5, "d");
        SkabProtocol.Result all = new SkabProtocol.Result(List.of(r), r.test(), r.whole(), 0.5);
        Path dump = tmp.resolve("x.scores");
        ScoreDump.write(dump, all);
        SkabProtocol.Result back = ScoreDump.read(dump, List.of(f), p);
        assertArrayEquals(r.flags(), back.files().get(0).flags());
        assertEquals(r.test(), back.test());
        assertEquals(1.2 * 4 / 3, back.files().get(0).limit(), 1e-3);
        assertEquals(p.withRule(PointRule.WINDOW_END).judge(f, r.trainScores(), scores, 0, "").test(),
                p.withRule(PointRule.WINDOW_END).rejudge(List.of(f), all).test());
    }

    @Test
    void readsThePublishedFilesWhenPresent() throws IOException {
        Path dir = Path.of(System.getProperty("minnow.conformance", "../shared/conformance")).resolveSibling("data").resolve("skab");
        Assumptions.assumeTrue(Files.isDirectory(dir), "SKAB data not at " + dir);
        List<SkabFile> files = SkabCsv.readAll(dir);
        assertEquals(34, files.size());
        assertEquals("valve1/0.csv", files.get(0).name());
        assertEquals("other/14.csv", files.get(33).name());
        assertEquals(8, files.get(0).features().size());
        assertEquals(1147, files.get(0).rows());
        assertEquals(401, files.get(0).anomalies(0));
        int test = 0;
        for (SkabFile f : files) test += f.rows() - 400;
        assertTrue(test > 20_000, "test rows " + test);
    }
}
