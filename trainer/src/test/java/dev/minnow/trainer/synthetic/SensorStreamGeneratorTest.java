package dev.minnow.trainer.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The synthetic stream: deterministic, and every anomaly is where its label says and nowhere else. */
class SensorStreamGeneratorTest {
    private static final SensorStreamGenerator GEN = SensorStreamGenerator.defaults();

    @Test
    void sameSeedSameStreamOtherSeedOtherStream() {
        SensorStream a = GEN.generate(5);
        SensorStream b = GEN.generate(5);
        assertArrayEquals(a.values(), b.values());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals(a.events(), b.events());
        SensorStream c = GEN.generate(6);
        assertFalse(java.util.Arrays.deepEquals(a.values(), c.values()));
        assertFalse(a.events().equals(c.events()));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void labelsAreExactlyTheEventsAndUnlabelledRowsAreTheCleanSignal(long seed) {
        SensorStream s = GEN.generate(seed);
        SensorStream clean = GEN.clean().generate(seed);
        assertEquals(0, clean.anomalousRows());
        assertEquals(8, s.events().size());
        Map<AnomalyKind, Integer> kinds = new EnumMap<>(AnomalyKind.class);
        int previousEnd = (int) (GEN.rows() * GEN.cleanFraction());
        for (AnomalyEvent e : s.events()) {
            kinds.merge(e.kind(), 1, Integer::sum);
            assertTrue(e.start() >= previousEnd, "events overlap or enter the clean part: " + s.events());
            previousEnd = e.end();
        }
        for (AnomalyKind k : AnomalyKind.values()) assertEquals(2, kinds.get(k), k.toString());
        for (int i = 0; i < s.rows(); i++) {
            int row = i;
            boolean inEvent = s.events().stream().anyMatch(e -> e.contains(row));
            assertEquals(inEvent ? 1 : 0, s.labels()[i], "label of row " + i);
            if (!inEvent) assertArrayEquals(clean.values()[i], s.values()[i], "row " + i + " differs from the clean signal");
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234})
    void eachAnomalyChangesItsChannelTheWayItsKindSays(long seed) {
        SensorStream s = GEN.generate(seed);
        SensorStream clean = GEN.clean().generate(seed);
        for (AnomalyEvent e : s.events()) {
            int c = e.channel();
            float[] a = s.channel(c);
            float[] n = clean.channel(c);
            switch (e.kind()) {
                case SPIKE -> {
                    for (int i = e.start(); i < e.end(); i++) assertTrue(Math.abs(a[i] - n[i]) >= 2.5f, e + " row " + i);
                }
                case DRIFT -> {
                    double last = Math.abs(a[e.end() - 1] - n[e.end() - 1]);
                    double mid = Math.abs(a[(e.start() + e.end()) / 2] - n[(e.start() + e.end()) / 2]);
                    assertTrue(last >= 1.0 && mid > 0.4 * last && mid < 0.6 * last, e + ": offset " + mid + " half way, " + last + " at the end");
                }
                case STUCK -> {
                    double spread = 0;
                    for (int i = e.start(); i < e.end(); i++) {
                        assertEquals(a[e.start() - 1], a[i], e + " row " + i);
                        spread = Math.max(spread, Math.abs(n[i] - n[e.start()]));
                    }
                    assertTrue(spread > 0.05, e + ": the clean signal moves by " + spread);
                }
                case FREQUENCY_SHIFT -> {
                    assertEquals(SensorStreamGenerator.VIBRATION, c);
                    double shifted = SensorStreamGenerator.MAIN_HZ * SensorStreamGenerator.SHIFT_FACTOR;
                    double main = SensorStreamGenerator.MAIN_HZ;
                    assertTrue(power(a, e, shifted) > 5 * power(a, e, main), e + ": anomalous stream");
                    assertTrue(power(n, e, main) > 5 * power(n, e, shifted), e + ": clean stream");
                }
            }
        }
    }

    /** Power of {@code hz} over the event's rows (one DFT bin, sampled at 10 Hz). */
    private static double power(float[] x, AnomalyEvent e, double hz) {
        double re = 0, im = 0;
        for (int i = e.start(); i < e.end(); i++) {
            double w = 2 * Math.PI * hz * i * GEN.periodSeconds();
            re += x[i] * Math.cos(w);
            im += x[i] * Math.sin(w);
        }
        return re * re + im * im;
    }

    @Test
    void csvRoundTrip() throws IOException {
        SensorStream s = GEN.generate(9);
        StringWriter w = new StringWriter();
        s.writeCsv(w);
        String csv = w.toString();
        assertTrue(csv.startsWith("time,vibration,temperature,current,label\n0.000,"), csv.substring(0, 60));
        SensorStream r = SensorStream.readCsv(new BufferedReader(new StringReader(csv)));
        assertEquals(s.channels(), r.channels());
        assertEquals(0.1, r.periodSeconds(), 1e-9);
        assertArrayEquals(s.labels(), r.labels());
        for (int i = 0; i < s.rows(); i++) assertArrayEquals(s.values()[i], r.values()[i], 1e-5f);
    }

    @Test
    void brokenCsvNamesTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SensorStream.readCsv(
                new BufferedReader(new StringReader("time,a,label\n0,1,0\n0.1,2\n"))));
        assertEquals("CSV line 3 has 2 fields, the header has 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SensorStream.readCsv(
                new BufferedReader(new StringReader("time,a,label\n0,x,0\n"))));
        assertTrue(e.getMessage().startsWith("CSV line 2 has a field that is not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SensorStream.readCsv(
                new BufferedReader(new StringReader("time,a,label\n0,1,2\n"))));
        assertEquals("CSV line 2: label 2 is not 0 or 1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SensorStream.readCsv(new BufferedReader(new StringReader("t,a,b\n"))));
    }

    @Test
    void tooFewRowsForTheAnomaliesIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SensorStreamGenerator(1000, 0.1, 0.4, 2));
        assertTrue(e.getMessage().contains("600 after the clean part"), e.getMessage());
    }
}
