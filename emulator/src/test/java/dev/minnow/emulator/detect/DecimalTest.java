package dev.minnow.emulator.detect;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fast decimal path gives the JDK's correctly rounded double, or NaN to hand the text to the JDK. */
class DecimalTest {
    private static double parse(String s) { return Decimal.parse(s.toCharArray(), 0, s.length()); }

    @Test
    void agreesWithTheJdkWheneverItAnswers() {
        SplittableRandom r = new SplittableRandom(7);
        int fast = 0;
        for (int i = 0; i < 200_000; i++) {
            String s = switch (i % 4) {
                case 0 -> String.format(Locale.ROOT, "%." + r.nextInt(0, 12) + "f", (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(-5, 9)));
                case 1 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(-30, 30)));
                case 2 -> Long.toString(r.nextLong() >> r.nextInt(0, 63));
                default -> r.nextInt(1, 1_000_000) + "e" + r.nextInt(-25, 25);
            };
            double v = parse(s);
            if (Double.isNaN(v)) continue;
            fast++;
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(s)), Double.doubleToRawLongBits(v), s);
        }
        assertTrue(fast > 100_000, "the fast path answered " + fast);
    }

    @Test
    void leavesTheRestToTheJdk() {
        for (String s : new String[] {"", "-", "1e", "1.5x", "12345678901234567890", "1e23", "9007199254740993", "NaN", "0x10", " 1"}) {
            assertTrue(Double.isNaN(parse(s)), s);
        }
        assertEquals(-0.0, parse("-0"));
        assertEquals(0.1, parse("0.1"));
        assertEquals(1e22, parse("1e22"));
    }
}
