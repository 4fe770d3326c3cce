package dev.minnow.arena;

import dev.minnow.conformance.CorpusCase;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import dev.minnow.ops.Ops;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLM's arena numbers from the golden corpus (case.json "arena") against the simulated allocator. Used bytes (both
 * targets) and the minimum arena (mcu32, and host64 where the corpus records it) must match on every accepted case
 * (the Signal-library custom ops of the audio preprocessors included).
 */
class ArenaCorpusTest {
    /** Each node's footprint by its op's descriptor. */
    static final FootprintRule FOOTPRINTS = (op, g, t) -> Ops.find(op.opCode()).footprint().of(op, g, t);

    @Test
    void usedBytesAndMinimumMatchTflm() {
        int checked = 0, minChecked = 0, minExact = 0, hostMinChecked = 0, skippedKnown = 0;
        List<String> usedMismatches = new ArrayList<>();
        List<String> minMismatches = new ArrayList<>();
        for (CorpusCase c : Corpus.cases()) {
            if (c.expectsError() || c.arena() == null || c.arena().host64() == null) continue;
            if (Corpus.isKnownFailure(c)) {
                skippedKnown++;
                continue;
            }
            String id = Corpus.relative(c);
            Model model = load(c);
            CorpusCase.Arena a = c.arena();
            // The interpreter's figures are the ones users see; the standalone accounting must agree with them.
            ArenaReport hostReport = report(model, Target.HOST64), mcuReport = report(model, Target.MCU32);
            long host = hostReport.usedBytes();
            if (host != a.host64()) usedMismatches.add(id + " host64 " + host + " != " + a.host64());
            if (host != new TflmArena(model, Target.HOST64, FOOTPRINTS).usedBytes()) usedMismatches.add(id + " host64 standalone differs");
            if (a.mcu32() != null) {
                long mcu = mcuReport.usedBytes();
                if (mcu != a.mcu32()) usedMismatches.add(id + " mcu32 " + mcu + " != " + a.mcu32());
            }
            if (a.minMcu32() != null) {
                minChecked++;
                long min = mcuReport.minimumArenaBytes();
                if (min == a.minMcu32()) minExact++;
                else minMismatches.add(id + " min mcu32 " + min + " != " + a.minMcu32());
            }
            if (a.minHost64() != null) {
                hostMinChecked++;
                long min = hostReport.minimumArenaBytes();
                if (min != a.minHost64()) minMismatches.add(id + " min host64 " + min + " != " + a.minHost64());
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

    private static ArenaReport report(Model model, Target target) {
        Interpreter interpreter = new Interpreter(model, new InterpreterOptions().setTarget(target));
        interpreter.allocateTensors();
        return interpreter.arenaReport();
    }

    private static Model load(CorpusCase c) {
        try {
            return Model.load(c.model());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void interpreterAcceptsTheMinimumAndRejectsOneByteLessOnARealModel() throws IOException {
        CorpusCase c = CorpusCase.read(Corpus.require().resolve("models/tflm-hello_world_int8"));
        Model model = load(c);
        long min = new TflmArena(model, Target.MCU32, FOOTPRINTS).minimumArenaBytes();
        assertEquals(c.arena().minMcu32(), min, "TFLM's minimum mcu32 arena");
        Interpreter ok = new Interpreter(model, new InterpreterOptions().setArenaSize((int) min));
        ok.allocateTensors();
        ok.run(new byte[] {0}, new byte[1]);
        // Used bytes depend on the arena end's alignment; the corpus measured them in a large, 16-aligned arena.
        Interpreter roomy = new Interpreter(model, new InterpreterOptions().setArenaSize(64 * 1024));
        roomy.allocateTensors();
        assertEquals(c.arena().mcu32(), roomy.arenaUsedBytes());
        Interpreter tooSmall = new Interpreter(model, new InterpreterOptions().setArenaSize((int) min - 1));
        ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class, tooSmall::allocateTensors);
        assertEquals(min, e.requiredBytes());
    }
}
