package dev.minnow.emulator.analysis;

import dev.minnow.emulator.Corpus;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FitCheckTest {
    private static final BoardCatalog BOARDS = BoardCatalog.builtin();

    @Test
    void anomalyModelFitsTheReferenceBoard() throws IOException {
        Model m = EngineAccess.load(Corpus.model("models/mlperftiny-ad_model_ToyCar_quant_fullint_micro"));
        CodeSizeTable sizes = CodeSizeTable.load();
        Board l4r5 = BOARDS.get("nucleo-l4r5zi");
        FitReport r = FitCheck.shipped().check(m, l4r5).requireFits();
        assertTrue(r.fits());
        long kernels = sizes.kernelBytes("QUANTIZE") + sizes.kernelBytes("FULLY_CONNECTED") + sizes.kernelBytes("DEQUANTIZE");
        assertEquals(3, r.kernels().size(), "one kernel per distinct op");
        assertEquals(kernels, r.kernelBytes());
        assertEquals(m.sizeBytes() + sizes.runtimeBytes() + kernels + l4r5.flashReserve(), r.flashNeededBytes());
        assertEquals(4928, r.minimumArenaBytes());
        assertEquals(4928, r.arenaBytes(), "already a multiple of 16");
        assertEquals(4928 + Board.DEFAULT_SRAM_RESERVE_BYTES, r.sramNeededBytes());
        assertEquals(640L * 1024 - r.sramNeededBytes(), r.sramFree());
        assertTrue(r.toText().contains("fits"));
    }

    @Test
    void tooLittleSramIsRefusedWithTheNumbers() throws IOException {
        // ResNet-8 in float32 needs TFLM's 201,784-byte arena: the NUCLEO-G0B1RE has 144 KiB of SRAM, 16 KiB of it reserved
        Model m = EngineAccess.load(Corpus.model("models/mlperftiny-ic_pretrainedResnet"));
        FitReport r = FitCheck.shipped().check(m, BOARDS.get("nucleo-g0b1re"));
        assertFalse(r.fits());
        assertEquals(FitReport.Verdict.FITS, r.flash(), "318 KB of weights fit its 512 KiB of flash");
        assertEquals(FitReport.Verdict.DOES_NOT_FIT, r.sram());
        assertEquals(201_792, r.arenaBytes(), "TFLM's 201,784 rounded up to 16");
        DoesNotFitException e = assertThrows(DoesNotFitException.class, r::requireFits);
        assertEquals("SRAM", e.memory());
        assertEquals(201_792 + 16_384, e.needed());
        assertEquals(147_456, e.available());
        assertEquals("nucleo-g0b1re: the model needs 218,176 bytes of SRAM, the board has 147,456 (70,720 bytes short)", e.getMessage());
    }

    @Test
    void tooLittleFlashIsRefusedFirst() throws IOException {
        // the float ToyCar model is 1 MiB of weights: more than a 512 KiB part can hold
        Model m = EngineAccess.load(Corpus.model("models/mlperftiny-ad_model_ToyCar"));
        FitReport r = FitCheck.shipped().check(m, BOARDS.get("nucleo-g0b1re"));
        assertEquals(FitReport.Verdict.DOES_NOT_FIT, r.flash());
        DoesNotFitException e = assertThrows(DoesNotFitException.class, r::requireFits);
        assertEquals("flash", e.memory());
        assertEquals(512L * 1024, e.available());
    }

    /** The README shows the shipped code-size table verbatim, and the table has every op TFLM's resolver registers. */
    @Test
    void codeSizeTableIsTheReadmes() throws IOException {
        CodeSizeTable t = CodeSizeTable.load();
        assertTrue(java.nio.file.Files.readString(java.nio.file.Path.of("README.md")).contains(t.markdown()), t.markdown());
        for (String op : dev.minnow.emulator.export.TflmOpNames.builtins().keySet()) assertTrue(t.measured(op), op);
        assertFalse(t.measured("CUSTOM:ethos-u"));
        assertEquals(t.largestKernel(), t.kernelBytes("CUSTOM:ethos-u"));
        assertTrue(t.runtimeBytes() > 5_000 && t.runtimeBytes() < 50_000, "TFLM's runtime is some ten kilobytes: " + t.runtimeBytes());
    }

    @Test
    void tableOverAllBoards() throws IOException {
        Model m = EngineAccess.load(Corpus.model("models/mlperftiny-kws_ref_model"));
        List<FitReport> all = FitCheck.shipped().checkAll(m, BOARDS.all());
        assertEquals(BOARDS.all().size(), all.size());
        String table = FitReport.table(all);
        assertTrue(table.lines().count() == all.size() + 1, table);
        assertTrue(all.stream().filter(r -> r.board().startsWith("andes")).allMatch(r -> r.sram() == FitReport.Verdict.UNKNOWN));
        assertTrue(table.contains("unknown"));
    }
}
