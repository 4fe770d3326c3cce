package dev.minnow.arena;

import dev.minnow.conformance.ConformanceTest;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLM's arena numbers from the golden corpus (case.json "arena") against the simulated allocator. Used bytes (both
 * targets) and the minimum arena (mcu32, and host64 where the corpus records it) must match on every accepted case
 * (the Signal-library custom ops of the audio preprocessors included).
 */
class ArenaCorpusTest {
    private static final Pattern ARENA = Pattern.compile(
            "\"host64\": (\\d+),\\s*\"mcu32\": (\\d+|null),\\s*\"min_host64\": (\\d+|null),\\s*\"min_mcu32\": (\\d+|null)");

    static Path corpus() {
        Path p = Path.of(System.getProperty("minnow.conformance", "../../shared/conformance"));
        if (!Files.isDirectory(p)) {
            if ("true".equals(System.getenv("CI"))) throw new AssertionError("conformance corpus missing at " + p.toAbsolutePath());
            Assumptions.abort("conformance corpus not found at " + p.toAbsolutePath());
        }
        return p;
    }

    @Test
    void usedBytesAndMinimumMatchTflm() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> s = Files.walk(corpus())) {
            s.filter(p -> p.getFileName().toString().equals("case.json")).forEach(p -> cases.add(p.getParent()));
        }
        List<String> known = ConformanceTest.knownFailures();
        int checked = 0, minChecked = 0, minExact = 0, hostMinChecked = 0, skippedKnown = 0;
        List<String> usedMismatches = new ArrayList<>();
        List<String> minMismatches = new ArrayList<>();
        for (Path c : cases) {
            String json = Files.readString(c.resolve("case.json"));
            if (json.contains("\"expect\": \"error\"")) continue;
            String rel = corpus().relativize(c).toString().replace('\\', '/');
            if (known.stream().anyMatch(rel::startsWith)) {
                skippedKnown++;
                continue;
            }
            Matcher m = ARENA.matcher(json);
            if (!m.find()) continue;
            Model model = Model.load(c.resolve("model.tflite"));
            long host = new TflmArena(model, Target.HOST64).usedBytes();
            if (host != Long.parseLong(m.group(1))) usedMismatches.add(c + " host64 " + host + " != " + m.group(1));
            if (!m.group(2).equals("null")) {
                long mcu = new TflmArena(model, Target.MCU32).usedBytes();
                if (mcu != Long.parseLong(m.group(2))) usedMismatches.add(c + " mcu32 " + mcu + " != " + m.group(2));
            }
            if (!m.group(4).equals("null")) {
                minChecked++;
                long min = new TflmArena(model, Target.MCU32).minimumArenaBytes();
                if (min == Long.parseLong(m.group(4))) minExact++;
                else minMismatches.add(c + " min mcu32 " + min + " != " + m.group(4));
            }
            if (!m.group(3).equals("null")) {
                hostMinChecked++;
                long min = new TflmArena(model, Target.HOST64).minimumArenaBytes();
                if (min != Long.parseLong(m.group(3))) minMismatches.add(c + " min host64 " + min + " != " + m.group(3));
            }
            checked++;
        }
        System.out.printf("arena: %d cases, used bytes exact on all but %d, minimum mcu32 arena exact on %d of %d,"
                + " %d host64 minima checked, %d minima differ; %d cases of known failures not judged%n",
                checked, usedMismatches.size(), minExact, minChecked, hostMinChecked, minMismatches.size(), skippedKnown);
        assertTrue(checked > 700, "expected the corpus's accepted cases, found " + checked);
        assertEquals(List.of(), usedMismatches);
        assertTrue(minChecked > 700, "expected the corpus's recorded minima, found " + minChecked);
        assertEquals(List.of(), minMismatches);
    }

    @Test
    void interpreterAcceptsTheMinimumAndRejectsOneByteLessOnARealModel() throws IOException {
        Model model = Model.load(corpus().resolve("models/tflm-hello_world_int8/model.tflite"));
        long min = new TflmArena(model, Target.MCU32).minimumArenaBytes();
        String json = Files.readString(corpus().resolve("models/tflm-hello_world_int8/case.json"));
        Matcher m = ARENA.matcher(json);
        assertTrue(m.find());
        assertEquals(Long.parseLong(m.group(4)), min, "TFLM's minimum mcu32 arena");
        Interpreter ok = new Interpreter(model, new InterpreterOptions().setArenaSize((int) min));
        ok.allocateTensors();
        ok.run(new byte[] {0}, new byte[1]);
        // Used bytes depend on the arena end's alignment; the corpus measured them in a large, 16-aligned arena.
        Interpreter roomy = new Interpreter(model, new InterpreterOptions().setArenaSize(64 * 1024));
        roomy.allocateTensors();
        assertEquals(Long.parseLong(m.group(2)), roomy.arenaUsedBytes());
        Interpreter tooSmall = new Interpreter(model, new InterpreterOptions().setArenaSize((int) min - 1));
        ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class, tooSmall::allocateTensors);
        assertEquals(min, e.requiredBytes());
    }
}
