package dev.minnow.arena;

import dev.minnow.conformance.Json;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArenaCommandTest {
    @Test
    void jsonReportCarriesTflmsNumbersAndAnSvgIsWritten(@TempDir Path tmp) throws Exception {
        Path model = ArenaCorpusTest.corpus().resolve("models/tflm-hello_world_int8/model.tflite");
        Path svg = tmp.resolve("plan.svg");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = ArenaCommand.run(new String[] {model.toString(), "--json", "--target", "mcu32", "--svg", svg.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
        Map<?, ?> json = (Map<?, ?>) Json.parse(out.toString(StandardCharsets.UTF_8).trim());
        assertEquals("mcu32", json.get("target"));
        // case.json of tflm-hello_world_int8: arena.mcu32 = 716, arena.min_mcu32 = 1100
        assertEquals(716L, json.get("usedBytes"));
        assertEquals(1100L, json.get("minimumArenaBytes"));
        assertEquals((Long) json.get("usedBytes"), (Long) json.get("headBytes") + (Long) json.get("tailBytes"));
        String picture = Files.readString(svg);
        assertTrue(picture.startsWith("<svg") && picture.contains("<rect"), picture);
        ArenaReport report = ArenaReport.of(Model.load(model), Target.HOST64);
        assertEquals(1184L, report.usedBytes());
    }

    @Test
    void usageErrorsExitWithTwo() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(2, ArenaCommand.run(new String[0], ps, ps));
        assertEquals(2, ArenaCommand.run(new String[] {"m.tflite", "--target", "avr8"}, ps, ps));
        assertTrue(sink.toString(StandardCharsets.UTF_8).contains("unknown target"));
    }
}
