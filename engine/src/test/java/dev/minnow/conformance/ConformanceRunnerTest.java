package dev.minnow.conformance;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformanceRunnerTest {
    @Test
    void jsonReadsTheCorpusShapes() {
        Object v = Json.parse("{\"id\": \"a\\\"b\", \"n\": [1, -2.5e1, true, null], \"seed\": 15096900038996165583, \"o\": {}}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals("a\"b", m.get("id"));
        assertEquals(List.of(1L, -25.0, true), ((List<?>) m.get("n")).subList(0, 3));
        assertEquals(new java.math.BigInteger("15096900038996165583"), m.get("seed"));
        assertEquals(Map.of(), m.get("o"));
    }

    @Test
    void jsonRejectsMalformedTextWithTheOffset() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": [1, 2}"));
        assertTrue(e.getMessage().contains("offset 11"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\": 1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"unterminated"));
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    @Test
    void ulpToleranceCountsRepresentableStepsAcrossZero() {
        float one = 1.0f;
        assertTrue(ConformanceRunner.withinUlp(floats(one), floats(Math.nextUp(Math.nextUp(one))), 2));
        assertFalse(ConformanceRunner.withinUlp(floats(one), floats(Math.nextUp(Math.nextUp(Math.nextUp(one)))), 2));
        assertTrue(ConformanceRunner.withinUlp(floats(0.0f), floats(-0.0f), 2));
        assertTrue(ConformanceRunner.withinUlp(floats(Float.MIN_VALUE), floats(-Float.MIN_VALUE), 2));
        assertFalse(ConformanceRunner.withinUlp(floats(Float.NaN), floats(1f), 2));
    }

    @Test
    void decodeShowsValuesByType() {
        assertEquals("1.5", ConformanceRunner.decode(dev.minnow.model.DataType.FLOAT32, floats(0f, 1.5f), 1));
        assertEquals("-1", ConformanceRunner.decode(dev.minnow.model.DataType.INT8, new byte[] {0, -1}, 1));
        assertEquals("255", ConformanceRunner.decode(dev.minnow.model.DataType.UINT8, new byte[] {-1}, 0));
    }
}
