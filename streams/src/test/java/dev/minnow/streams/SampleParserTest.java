package dev.minnow.streams;

import dev.minnow.emulator.detect.PipelineConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The telemetry JSON: single samples, batches, channels by position or name, times as written, and its errors. */
class SampleParserTest {
    private final SampleParser parser = new SampleParser(List.of("a", "b"));
    private final SampleBatch batch = new SampleBatch();

    private void parse(String json) { parser.parse(json.getBytes(StandardCharsets.UTF_8), batch); }

    private String reject(String json) {
        return assertThrows(RejectedRecordException.class, () -> parse(json)).getMessage();
    }

    @Test
    void singleSampleByPositionOrName() {
        parse("{\"values\": [1.5, -2], \"time\": \"2026-01-01T00:00:00\"}");
        assertEquals(1, batch.size());
        assertEquals(1.5f, batch.value(0, 0));
        assertEquals(-2f, batch.value(0, 1));
        assertEquals("2026-01-01T00:00:00", batch.time(0));
        parse("{\"time\": 12.50, \"values\": {\"b\": 4, \"a\": 3}}");
        assertEquals(1, batch.size());
        assertEquals(3f, batch.value(0, 0));
        assertEquals(4f, batch.value(0, 1));
        assertEquals("12.50", batch.time(0), "a numeric time keeps its text");
    }

    @Test
    void batchesReuseTheBuffer() {
        StringBuilder s = new StringBuilder("{\"samples\": [");
        for (int i = 0; i < 100; i++) s.append(i > 0 ? "," : "").append("{\"values\": [").append(i).append(", ").append(-i).append("]}");
        parse(s.append("]}").toString());
        assertEquals(100, batch.size());
        assertEquals(99f, batch.value(99, 0));
        assertEquals(-99f, batch.value(99, 1));
        assertNull(batch.time(99));
        parse("{\"samples\": [{\"time\": \"t1\", \"values\": [0.1, 0.2]}, {\"values\": [0.3, 0.4]}]}");
        assertEquals(2, batch.size());
        assertEquals("t1", batch.time(0));
        assertNull(batch.time(1));
        assertArrayEquals(new float[] {0.3f, 0.4f}, new float[] {batch.value(1, 0), batch.value(1, 1)});
        parse("{\"samples\": []}");
        assertEquals(0, batch.size());
    }

    @Test
    void numbersRoundAsTheCsvReaderDoes() {
        // the decimal to double (correctly rounded), then to float: the CSV path of the detection loop
        for (String t : new String[] {"0.1", "3.4028235e38", "1e-45", "0.30000000000000004", "-123456.789012345678", "7"}) {
            parse("{\"values\": [" + t + ", 0]}");
            assertEquals((float) Double.parseDouble(t), batch.value(0, 0), t);
        }
    }

    @Test
    void errorsNameTheSampleAndTheProblem() {
        assertEquals("record mixes 'samples' with a single sample's fields", reject("{\"values\": [1, 2], \"samples\": []}"));
        assertEquals("record mixes 'samples' with a single sample's fields", reject("{\"samples\": [], \"time\": 1}"));
        assertEquals("sample 2 is not a JSON object", reject("{\"samples\": [{\"values\": [1, 2]}, 3]}"));
        assertEquals("sample 1 has an unknown field 'value' (time, values)", reject("{\"samples\": [{\"value\": [1, 2]}]}"));
        assertEquals("sample 1: 'values' is neither an array nor an object", reject("{\"values\": null}"));
        assertEquals("sample 1 gives channel 'a' twice", reject("{\"values\": {\"a\": 1, \"a\": 2}}"));
        assertEquals("sample 1 channel 'b' is a boolean, not a number", reject("{\"values\": [1, true]}"));
        assertEquals("sample 1: 'time' is an object, not a string or number", reject("{\"time\": {}, \"values\": [1, 2]}"));
        assertEquals("'samples' is not an array", reject("{\"samples\": {}}"));
        assertEquals("record has no value", assertThrows(RejectedRecordException.class, () -> parser.parse(null, batch)).getMessage());
        String trailing = reject("{\"values\": [1, 2]} {");
        assertTrue(trailing.startsWith("record is not valid JSON") || trailing.startsWith("record has trailing content"), trailing);
        String cut = reject("{\"values\": [1, ");
        assertTrue(cut.startsWith("record is not valid JSON: Unexpected end-of-input"), cut);
    }

    @Test
    void specRoundTripsAndRejectsMalformedValues() {
        PipelineConfig cfg = Fleet.lstmConfig().withThreshold(0.25, null);
        DetectorSpec s = new DetectorSpec(cfg, new byte[] {1, 2, 3, (byte) 0xff});
        DetectorSpec back = DetectorSpec.parse(s.toJson());
        assertEquals(dev.minnow.emulator.Json.line(cfg), dev.minnow.emulator.Json.line(back.config()), "normalisation arrays compare by value");
        assertArrayEquals(s.model(), back.model());
        String m = assertThrows(IllegalArgumentException.class, () -> DetectorSpec.parse("{\"config\": {}, \"model\": \"AA\", \"x\": 1}"
                .getBytes(StandardCharsets.UTF_8))).getMessage();
        assertEquals("detector spec has an unknown field 'x' (config, model)", m);
        m = assertThrows(IllegalArgumentException.class, () -> DetectorSpec.parse(new String(s.toJson(), StandardCharsets.UTF_8)
                .replaceFirst("\"model\":\"[^\"]*\"", "\"model\":\"!!\"").getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(m.startsWith("detector spec's model is not base64"), m);
        m = assertThrows(IllegalArgumentException.class, () -> DetectorSpec.parse("nope".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertTrue(m.startsWith("detector spec is not valid JSON"), m);
        m = assertThrows(IllegalArgumentException.class, () -> DetectorSpec.parse("{\"model\": \"AA\"}".getBytes(StandardCharsets.UTF_8))).getMessage();
        assertEquals("detector spec has no config object", m);
    }

    /** A parse's outcome: the error's message, or every row's values (bits) and time. */
    private static String outcome(Runnable parse, SampleBatch b) {
        try {
            parse.run();
        } catch (RejectedRecordException e) {
            return "rejected: " + e.getMessage();
        }
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < b.size(); r++) {
            s.append(b.time(r)).append(':');
            for (int c = 0; c < b.channels(); c++) s.append(Integer.toHexString(Float.floatToRawIntBits(b.value(r, c)))).append(',');
            s.append('|');
        }
        return s.toString();
    }

    private static final String[] NUMBERS = {"0", "-0", "1", "-2.5", "0.125", "3.14159", "1e3", "1E-3", "-1.5e+2", "12345678901234567890",
        "0.1000000000000000055511151231257827", "1e999", "-1e999", "01", "1.", ".5", "+1", "-", "1e", "1.5e+", "2.", "0x10", "NaN",
        "4.9e-324", "1e-400", "\"1\"", "true", "null", "[1]"};
    private static final String[] TIMES = {"\"12:00:01.5\"", "12.5", "-3", "null", "\"\"", "\"a\\\"b\"", "\"\\u0041\"", "\"été\"",
        "true", "[1]", "01", "1.", "\"tab\there\""};

    private static String space(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> " ";
            case 1 -> "\n  ";
            case 2 -> "\t";
            default -> "";
        };
    }

    private static String sample(Random r) {
        StringBuilder s = new StringBuilder("{").append(space(r));
        boolean time = r.nextInt(3) > 0, timeFirst = r.nextBoolean(), byName = r.nextInt(15) == 0;
        int n = r.nextInt(30) == 0 ? 2 + r.nextInt(3) : 3;
        StringBuilder values = new StringBuilder("\"values\"").append(space(r)).append(':').append(space(r)).append(byName ? '{' : '[');
        for (int c = 0; c < n; c++) {
            if (c > 0) values.append(space(r)).append(',').append(space(r));
            if (byName) values.append('"').append((char) ('a' + c)).append("\":");
            values.append(r.nextInt(40) == 0 ? NUMBERS[r.nextInt(NUMBERS.length)]
                    : String.format(Locale.ROOT, "%." + r.nextInt(7) + "f", r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3)));
        }
        values.append(space(r)).append(byName ? '}' : ']');
        String t = "\"time\"" + space(r) + ":" + space(r) + (r.nextInt(12) == 0 ? TIMES[r.nextInt(TIMES.length)] : "\"" + r.nextInt(100000) + "\"");
        if (time && timeFirst) s.append(t).append(space(r)).append(',').append(space(r));
        s.append(values);
        if (time && !timeFirst) s.append(space(r)).append(',').append(space(r)).append(t);
        if (r.nextInt(30) == 0) s.append(",\"values\":[1,2,3]");
        if (r.nextInt(30) == 0) s.append(",\"extra\":1");
        return s.append(space(r)).append('}').toString();
    }

    private static String record(Random r) {
        if (r.nextInt(3) == 0) return space(r) + sample(r) + space(r);
        StringBuilder s = new StringBuilder(space(r)).append("{").append(space(r)).append("\"samples\"").append(space(r)).append(':')
                .append(space(r)).append('[');
        int n = r.nextInt(12);
        for (int k = 0; k < n; k++) s.append(k > 0 ? "," + space(r) : "").append(sample(r));
        s.append(space(r)).append(']').append(space(r)).append('}').append(space(r));
        if (r.nextInt(40) == 0) s.append("{}");
        return s.toString();
    }

    @Test
    void theScannerReadsWhatJacksonReadsAndLeavesTheRestToIt() {
        // every record the fast scanner accepts reads exactly as Jackson reads it; any other goes to Jackson
        SampleParser p = new SampleParser(List.of("a", "b", "c"));
        SampleBatch fast = new SampleBatch(), slow = new SampleBatch();
        Random r = new Random(7);
        int scanned = 0, declined = 0;
        for (int n = 0; n < 4_000; n++) {
            byte[] json = record(r).getBytes(StandardCharsets.UTF_8);
            if (r.nextInt(4) == 0) { // a random edit: a byte replaced, dropped or doubled
                int at = r.nextInt(json.length);
                String noise = "{}[],:\" -+.eE0123456789a\\";
                json = switch (r.nextInt(3)) {
                    case 0 -> {
                        json[at] = (byte) noise.charAt(r.nextInt(noise.length()));
                        yield json;
                    }
                    case 1 -> java.util.Arrays.copyOf(new String(json, StandardCharsets.ISO_8859_1).substring(0, at)
                            .concat(new String(json, StandardCharsets.ISO_8859_1).substring(at + 1)).getBytes(StandardCharsets.ISO_8859_1), json.length - 1);
                    default -> (new String(json, StandardCharsets.ISO_8859_1).substring(0, at + 1)
                            + new String(json, StandardCharsets.ISO_8859_1).substring(at)).getBytes(StandardCharsets.ISO_8859_1);
                };
            }
            byte[] in = json;
            String jackson = outcome(() -> p.parseWithJackson(in, slow), slow);
            if (p.scan(in, fast)) {
                scanned++;
                assertEquals(jackson, outcome(() -> { }, fast), new String(in, StandardCharsets.UTF_8));
            } else {
                declined++;
            }
            assertEquals(jackson, outcome(() -> p.parse(in, fast), fast), new String(in, StandardCharsets.UTF_8));
        }
        // both paths well exercised
        assertTrue(scanned > 1_000 && declined > 1_000, "scanned " + scanned + ", declined " + declined);
    }
}
