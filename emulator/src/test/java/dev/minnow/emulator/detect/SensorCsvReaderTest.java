package dev.minnow.emulator.detect;

import dev.minnow.emulator.InputFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SensorCsvReaderTest {
    private static SensorCsvReader open(String text) throws IOException {
        return new SensorCsvReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "s.csv", null);
    }

    @Test
    void readsRowsWithDetectedDelimiters() throws IOException {
        for (String d : new String[] {",", ";", "\t"}) {
            try (SensorCsvReader r = open("\uFEFFtime" + d + "a" + d + "b\r\n0" + d + "1.5" + d + "-2e3\r\n\r\n1" + d + "\"3\"" + d + " 4 \n")) {
                assertEquals(d.charAt(0), r.delimiter());
                assertEquals(List.of("time", "a", "b"), r.header());
                assertTrue(r.next());
                assertEquals(2, r.line());
                assertEquals(1.5, r.number(r.column("a")));
                assertEquals(-2000.0, r.number(2));
                assertTrue(r.next());
                assertEquals(4, r.line(), "the blank line is skipped but counted");
                assertEquals(3.0, r.number(1));
                assertEquals(4.0, r.number(2));
                assertEquals("1", r.text(0));
                assertFalse(r.next());
            }
        }
    }

    @Test
    void quotedFieldsKeepDelimitersAndQuotes() throws IOException {
        try (SensorCsvReader r = open("\"a,b\",\"say \"\"hi\"\"\"\n1,2\n")) {
            assertEquals(List.of("a,b", "say \"hi\""), r.header());
            assertTrue(r.next());
            assertEquals(2.0, r.number(1));
        }
    }

    @Test
    void errorsNameLineAndColumn() throws IOException {
        InputFormatException e;
        try (SensorCsvReader r = open("a,b,c\n1,2,3\n4,5\n")) {
            assertTrue(r.next());
            e = assertThrows(InputFormatException.class, r::next);
            assertEquals(3, e.line());
            assertEquals(4, e.column());
            assertTrue(e.getMessage().startsWith("s.csv:3:4: 2 fields, the header has 3"), e.getMessage());
        }
        try (SensorCsvReader r = open("a,b\n1,2\n10,x7\n")) {
            r.next();
            r.next();
            e = assertThrows(InputFormatException.class, () -> r.number(1));
            assertEquals("s.csv:3:4: column 'b' 'x7' is not a number", e.getMessage());
        }
        try (SensorCsvReader r = open("a,b\n1,\n")) {
            r.next();
            e = assertThrows(InputFormatException.class, () -> r.number(1));
            assertEquals("s.csv:2:3: column 'b' is empty, expected a number", e.getMessage());
        }
        try (SensorCsvReader r = open("a,b\n1,NaN\n")) {
            r.next();
            e = assertThrows(InputFormatException.class, () -> r.number(1));
            assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
        }
        try (SensorCsvReader r = open("a,b\n1,2\n")) {
            e = assertThrows(InputFormatException.class, () -> r.column("c"));
            assertTrue(e.getMessage().contains("no column 'c' in the header; columns: a, b"), e.getMessage());
        }
        e = assertThrows(InputFormatException.class, () -> open(""));
        assertTrue(e.getMessage().contains("no header"), e.getMessage());
        e = assertThrows(InputFormatException.class, () -> open("a,a\n"));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
        e = assertThrows(InputFormatException.class, () -> open("a,\"b\n"));
        assertTrue(e.getMessage().contains("not closed"), e.getMessage());
        String longLine = "a\n" + "1".repeat(SensorCsvReader.MAX_LINE + 10) + "\n";
        try (SensorCsvReader r = open(longLine)) {
            e = assertThrows(InputFormatException.class, r::next);
            assertTrue(e.getMessage().contains("longer than"), e.getMessage());
        }
    }

    @Test
    void awkwardNumbersFallBackToTheJdk() throws IOException {
        try (SensorCsvReader r = open("x\n0.1234567890123456789012\n.5\n-0\n1E-30\n+7.\n")) {
            for (double v : new double[] {0.1234567890123456789012, 0.5, -0.0, 1e-30, 7.0}) {
                assertTrue(r.next());
                assertEquals(v, r.number(0));
            }
        }
    }
}
