package dev.minnow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.conformance.CorpusCase;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: help, version, exit codes, error messages, files written only when asked. */
class CliTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static Path model(String id) { return Corpus.require().resolve(id).resolve("model.tflite"); }

    @Test
    void everyCommandHasHelpAndTheToolHasAVersion() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"-h"}, new String[] {"conform", "--help"},
                new String[] {"conform", "-h"}, new String[] {"arena", "--help"}, new String[] {"arena", "-h"},
                new String[] {"help", "arena"})) {
            Run r = run(args);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            assertTrue(r.out().contains("Usage:"), String.join(" ", args) + ": " + r.out());
        }
        Run v = run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("minnow 0."), v.out());
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        Run none = run();
        assertEquals(2, none.code());
        Run target = run("arena", model("models/tflm-hello_world_int8").toString(), "--target", "avr8");
        assertEquals(2, target.code());
        assertTrue(target.err().contains("unknown target"), target.err());
        Run unknown = run("frobnicate");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("frobnicate"), unknown.err());
    }

    @Test
    void arenaJsonCarriesTflmsNumbersAndWritesNoFile(@TempDir Path tmp) throws Exception {
        Path m = model("models/tflm-hello_world_int8");
        CorpusCase c = CorpusCase.read(m.getParent());
        Run r = run("arena", m.toString(), "--json", "--target=mcu32");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("mcu32", json.get("target").asText());
        assertEquals((long) c.arena().mcu32(), json.get("usedBytes").asLong());
        assertEquals((long) c.arena().minMcu32(), json.get("minimumArenaBytes").asLong());
        assertEquals(json.get("usedBytes").asLong(), json.get("headBytes").asLong() + json.get("tailBytes").asLong());
        try (Stream<Path> s = Files.list(Path.of("."))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".svg")), "arena wrote an SVG without --svg");
        }
        Path svg = tmp.resolve("plan.svg");
        Run drawn = run("arena", m.toString(), "--svg", svg.toString());
        assertEquals(0, drawn.code(), drawn.err());
        String picture = Files.readString(svg);
        assertTrue(picture.startsWith("<svg") && picture.contains("<rect"), picture);
        assertTrue(drawn.out().contains("used bytes        " + c.arena().mcu32()), drawn.out());
    }

    @Test
    void arenaRefusesModelsTheEngineCannotAllocateWithTflmsKindOfReason() {
        for (CorpusCase c : Corpus.cases()) {
            if (!c.expectsError() || !"allocate".equals(c.stage())) continue;
            Run r = run("arena", c.model().toString());
            assertEquals(1, r.code(), c.dir() + " exited " + r.code() + ": " + r.out() + r.err());
            assertTrue(r.err().contains("cannot be allocated"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void badPathsAreNamed(@TempDir Path tmp) throws Exception {
        Run missing = run("arena", tmp.resolve("nope.tflite").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.tflite: not found"), missing.err());
        Run dir = run("arena", tmp.toString());
        assertEquals(2, dir.code());
        assertTrue(dir.err().contains(tmp + ": is a directory"), dir.err());
        Path junk = Files.write(tmp.resolve("junk.tflite"), new byte[] {1, 2, 3});
        Run bad = run("arena", junk.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("junk.tflite: not a valid .tflite model"), bad.err());
        assertFalse(bad.err().contains("Exception"), bad.err());
    }

    @Test
    void conformNeedsACorpusAndCases(@TempDir Path tmp) throws Exception {
        Run notCorpus = run("conform", tmp.toString());
        assertEquals(2, notCorpus.code(), notCorpus.out());
        assertTrue(notCorpus.err().contains("holds no cases"), notCorpus.err());
        Run absent = run("conform", tmp.resolve("absent").toString());
        assertEquals(2, absent.code());
        Run nothing = run("conform", Corpus.require().toString(), "--filter", "no-such-case-anywhere");
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().contains("matches --filter"), nothing.err());
        Run one = run("conform", Corpus.require().toString(), "--filter=tflm-hello_world_int8");
        assertEquals(0, one.code(), one.out() + one.err());
        assertTrue(one.out().strip().endsWith("1 passed, 0 failed"), one.out());
    }

    @Test
    void aMalformedCaseIsAFailureThatNamesTheFile(@TempDir Path tmp) throws Exception {
        Path c = Files.createDirectories(tmp.resolve("ops/X/x_000"));
        Files.writeString(c.resolve("case.json"), "{\"id\": \"x\", \"expect\": ");
        Run r = run("conform", tmp.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("case.json: malformed JSON"), r.out());
        assertFalse(r.out().contains("BUG"), r.out());
    }
}
