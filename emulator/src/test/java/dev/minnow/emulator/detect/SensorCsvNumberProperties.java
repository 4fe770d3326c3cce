package dev.minnow.emulator.detect;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorCsvNumberProperties {
    /** The in-place parser agrees with the JDK's correctly rounded one. */
    @Property(tries = 300)
    void parsesNumbersAsTheJdkDoes(@ForAll @DoubleRange(min = -1e12, max = 1e12) double v, @ForAll boolean exp) throws IOException {
        String text = exp ? String.format(java.util.Locale.ROOT, "%.9e", v) : Double.toString(v);
        try (SensorCsvReader r = new SensorCsvReader(new ByteArrayInputStream(("x\n" + text + "\n").getBytes(StandardCharsets.UTF_8)), "p.csv", null)) {
            assertTrue(r.next());
            assertEquals(Double.parseDouble(text), r.number(0), text);
        }
    }

}
