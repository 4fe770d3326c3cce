package dev.minnow.streams;

import dev.minnow.emulator.detect.PipelineConfig;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

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
}
