package dev.minnow.conformance;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformanceRunnerTest {
    @Test
    void caseJsonIsReadWithItsArenaAndSets(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("case.json"), """
                {"id": "x", "group": "ops", "ops": ["ADD"], "expect": "ok", "extra": {"ignored": true},
                 "arena": {"host64": 640, "mcu32": 448, "min_host64": null, "min_mcu32": 452},
                 "inputs": [{"name": "a", "type": "int8", "shape": [1, 2], "scale": [0.5], "zero_point": [-3]}],
                 "outputs": [],
                 "sets": [{"id": "set_0", "generator": "g", "inputs": ["set_0/input_0.bin"], "outputs": ["set_0/output_0.bin"]}]}
                """);
        CorpusCase c = CorpusCase.read(dir);
        assertEquals("x", c.id());
        assertEquals(List.of("ADD"), c.ops());
        assertFalse(c.expectsError());
        assertEquals(448L, c.arena().mcu32());
        assertNull(c.arena().minHost64());
        assertEquals(452L, c.arena().minMcu32());
        assertEquals(-3L, c.inputs().get(0).zeroPoint()[0]);
        assertEquals("set_0/output_0.bin", c.sets().get(0).outputs().get(0));
        assertEquals(List.of(), c.sequences());
        assertEquals(dir.resolve("model.tflite"), c.model());
    }

    @Test
    void malformedCaseJsonNamesTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("case.json"), "{\"id\": \"x\",\n \"ops\": [1, 2}");
        CorpusException e = assertThrows(CorpusException.class, () -> CorpusCase.read(dir));
        assertTrue(e.getMessage().contains("case.json") && e.getMessage().contains("line 2"), e.getMessage());
        CorpusException missing = assertThrows(CorpusException.class, () -> CorpusCase.read(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
    }

    @Test
    void aDirectoryWithoutCasesIsNotACorpus(@TempDir Path dir) {
        assertEquals(List.of(), CorpusCase.list(dir));
        assertThrows(CorpusException.class, () -> CorpusCase.list(dir.resolve("absent")));
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
