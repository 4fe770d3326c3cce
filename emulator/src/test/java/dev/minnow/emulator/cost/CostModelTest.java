package dev.minnow.emulator.cost;

import dev.minnow.emulator.Corpus;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CostModelTest {
    private static final double TOL = 1e-5;

    private static void close(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= TOL * Math.max(Math.abs(expected), 1e-12), what + ": expected " + expected + ", got " + actual);
    }

    /** The shipped constants are what fitting the shipped spec on results.csv gives (cross-validation aside). */
    @Test
    void shippedModelIsTheFitOfThePublishedRows() throws IOException {
        CostModel shipped = CostModel.load();
        CostModel fresh = CostModelFitter.fit(CostModelSpec.load(), PublishedResult.read(Corpus.mlperfResults()), Corpus.conformance(), false);
        for (WorkKind k : WorkKind.values()) close(shipped.cyclesPerUnit().get(k), fresh.cyclesPerUnit().get(k), k.name());
        assertEquals(shipped.cores().size(), fresh.cores().size());
        for (int i = 0; i < shipped.cores().size(); i++) {
            assertEquals(shipped.cores().get(i).name(), fresh.cores().get(i).name());
            assertEquals(shipped.cores().get(i).rows(), fresh.cores().get(i).rows());
            close(shipped.cores().get(i).factor(), fresh.cores().get(i).factor(), shipped.cores().get(i).name());
        }
        for (int i = 0; i < shipped.stacks().size(); i++) {
            CostModel.StackFit a = shipped.stacks().get(i), b = fresh.stacks().get(i);
            assertEquals(a.id(), b.id());
            close(a.factor(), b.factor(), a.id());
            for (WorkKind k : WorkKind.values()) close(a.kindFactors().get(k), b.kindFactors().get(k), a.id() + " " + k);
        }
        assertEquals(shipped.rows().size(), fresh.rows().size());
        for (int i = 0; i < shipped.rows().size(); i++) {
            close(shipped.rows().get(i).fittedMs(), fresh.rows().get(i).fittedMs(), "row line " + shipped.rows().get(i).line());
        }
    }

    /** The cross-validation too; tens of seconds, so only with -Pcost-model-check. */
    @Test
    @EnabledIfSystemProperty(named = "minnow.costModelCheck", matches = "true")
    void shippedCrossValidationIsReproduced() throws IOException {
        CostModel shipped = CostModel.load();
        CostModel fresh = CostModelFitter.fit(CostModelSpec.load(), PublishedResult.read(Corpus.mlperfResults()), Corpus.conformance(), true);
        for (int i = 0; i < shipped.rows().size(); i++) {
            close(shipped.rows().get(i).looMs(), fresh.rows().get(i).looMs(), "LOO row line " + shipped.rows().get(i).line());
        }
        assertEquals(shipped.latencyErrors(), fresh.latencyErrors());
        assertEquals(shipped.energy(), fresh.energy());
    }

    @Test
    void repeatedSubmissionsAreDroppedAndEveryRowMapsToACoreAndStack() throws IOException {
        List<PublishedResult> rows = PublishedResult.read(Corpus.mlperfResults());
        long lines = Files.lines(Corpus.mlperfResults()).count() - 1;
        // 282 published rows; the Syntiant NDP9120 logs of v1.1 and v1.2 repeat v1.0's byte for byte (12 rows)
        assertEquals(282, lines);
        assertEquals(270, rows.size());
        CostModelSpec spec = CostModelSpec.load();
        for (PublishedResult r : rows) {
            assertNotNull(spec.coreClassOf(r.core()));
            assertNotNull(spec.stackOf(r.softwareStack()));
        }
    }

    /** Every board results.csv measured with a TFLM-based stack is a built-in board listing that stack. */
    @Test
    void everyTflmBoardOfTheResultsIsABoard() throws IOException {
        CostModelSpec spec = CostModelSpec.load();
        BoardCatalog boards = BoardCatalog.builtin();
        CostModel model = CostModel.load();
        for (PublishedResult r : PublishedResult.read(Corpus.mlperfResults())) {
            String stack = spec.stackOf(r.softwareStack());
            if (!stack.startsWith("tflm")) continue;
            List<Board> matches = boards.byResultsName(r.board());
            assertFalse(matches.isEmpty(), "no board for " + r.board());
            assertTrue(matches.stream().anyMatch(b -> b.stacks().contains(stack) && b.coreClass().equals(spec.coreClassOf(r.core()))),
                    r.board() + " " + r.core() + " lacks stack " + stack);
        }
        for (Board b : boards.all()) {
            for (String s : b.stacks()) assertNotNull(model.stack(s), b.id() + " lists unknown stack " + s);
            assertNotNull(model.core(b.coreClass()) != null ? model.core(b.coreClass()) : model.core(b.core().displayName()), b.id());
        }
    }

    /** The estimator prices the four benchmark models on the reference board exactly as the fit priced their rows. */
    @Test
    void estimatorReproducesTheFitForTheReferenceSubmission() throws IOException {
        CostModel model = CostModel.load();
        LatencyEstimator est = new LatencyEstimator(model);
        CostModelSpec spec = CostModelSpec.load();
        Board l4r5 = BoardCatalog.builtin().get("nucleo-l4r5zi");
        int checked = 0;
        for (CostModel.RowPrediction r : model.rows()) {
            if (!r.submitter().equals("reference")) continue;
            CostModelSpec.Benchmark b = spec.benchmark(r.benchmark(), r.type());
            Model m = EngineAccess.load(Corpus.conformance().resolve(b.model()).resolve("model.tflite"));
            LatencyEstimate e = est.estimate(WorkProfile.of(m, b.asInteger()), l4r5, "tflm-2.3-cmsis-nn");
            close(r.fittedMs(), e.latencyMs(), r.benchmark());
            assertTrue(e.latency().basis().contains("leave-one-out, 101 Cortex-M4F rows"), e.latency().basis());
            assertTrue(e.latency().low() < e.latencyMs() && e.latency().high() > e.latencyMs());
            assertNotNull(e.energyUj());
            assertTrue(e.powerBasis().contains("NUCLEO-L4R5ZI"));
            double opSum = e.ops().stream().mapToDouble(LatencyEstimate.OpCost::cycles).sum();
            close(e.cycles(), opSum, "per-op cycles add up");
            checked++;
        }
        assertEquals(4, checked);
    }

    @Test
    void bandsFollowWhatTheDataHas() throws IOException {
        LatencyEstimator est = LatencyEstimator.shipped();
        BoardCatalog boards = BoardCatalog.builtin();
        Model ad = EngineAccess.load(Corpus.model("models/mlperftiny-ad_model_ToyCar_quant_fullint_micro"));
        // a Cortex-M4F never measured with current TFLM + CMSIS-NN: leave-one-system-out; power from its core class
        LatencyEstimate nano = est.estimate(ad, boards.get("arduino-nano-33-ble-sense"), null);
        assertEquals("tflm-cmsis-nn", nano.stack());
        assertTrue(nano.latency().basis().contains("leave-one-system-out"), nano.latency().basis());
        assertTrue(nano.powerBasis().contains("mW/MHz"), nano.powerBasis());
        // the same work at 64 MHz instead of 120 MHz on the same core and stack takes 120/64 as long
        LatencyEstimate l4 = est.estimate(ad, boards.get("nucleo-l4r5zi"), "tflm-cmsis-nn");
        close(l4.latencyMs() * 120 / 64, nano.latencyMs(), "clock scaling");
        // no published Xtensa row: the core-class-out band, and the TFLM reference kernels by default
        LatencyEstimate esp = est.estimate(ad, boards.get("esp32-s3-devkitc-1"), null);
        assertEquals("tflm-ref", esp.stack());
        assertTrue(esp.latency().basis().startsWith("no published Xtensa LX7 row"), esp.latency().basis());
        // float MACs on an FPU-less core carry the soft-float assumption
        Model f = EngineAccess.load(Corpus.model("models/mlperftiny-ad_model_ToyCar"));
        LatencyEstimate pico = est.estimate(f, boards.get("raspberry-pi-pico"), null);
        assertTrue(pico.notes().stream().anyMatch(n -> n.contains("without an FPU")), pico.notes().toString());
        LatencyEstimate noFloat = est.estimate(ad, boards.get("raspberry-pi-pico"), null);
        assertTrue(noFloat.notes().isEmpty());
        assertTrue(pico.toText().contains("latency") && pico.toJson().contains("\"ops\""));
    }

    @Test
    void errorStatQuantilesInterpolate() {
        ErrorStat e = ErrorStat.of(List.of(0.4, 0.1, 0.3, 0.2, 0.5));
        assertEquals(5, e.n());
        assertEquals(0.3, e.median(), 1e-12);
        // position 0.9 * 4 = 3.6 between 0.4 and 0.5
        assertEquals(0.46, e.p90(), 1e-12);
        LatencyEstimate.Band b = LatencyEstimate.Band.around(10, new ErrorStat(4, 0.1, 0.25), "x");
        assertEquals(8, b.low(), 1e-12);
        assertEquals(10 / 0.75, b.high(), 1e-12);
        assertNull(LatencyEstimate.Band.around(10, new ErrorStat(4, 0.5, 1.5), "x").high());
    }

    /** The module README shows the shipped model's tables verbatim. */
    @Test
    void readmeShowsTheShippedNumbers() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        CostModel m = CostModel.load();
        assertTrue(readme.contains(CostModelReport.latencyTable(m)), "README latency table differs from the shipped model's:\n"
                + CostModelReport.latencyTable(m));
        assertTrue(readme.contains(CostModelReport.energyTable(m)), "README energy table differs:\n" + CostModelReport.energyTable(m));
        String ref = CostModelReport.systemTable(m, "v0.5", "reference", "Nucleo-L4R5ZI");
        assertEquals(5, ref.lines().count() - 1, ref);
        assertTrue(readme.contains(ref), "README reference table differs:\n" + ref);
    }
}
