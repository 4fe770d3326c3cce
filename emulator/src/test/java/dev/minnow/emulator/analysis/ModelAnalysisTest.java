package dev.minnow.emulator.analysis;

import dev.minnow.emulator.Corpus;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.Json;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelAnalysisTest {

    @Test
    void mlperfTinyAnomalyDetectionModel() throws IOException {
        Model m = EngineAccess.load(Corpus.model("models/mlperftiny-ad_model_ToyCar_quant_fullint_micro"));
        ModelAnalysis a = ModelAnalysis.of(m);
        assertEquals(12, a.layers().size());
        assertEquals("QUANTIZE", a.layers().get(0).op());
        ModelAnalysis.Layer first = a.layers().get(1);
        assertEquals("FULLY_CONNECTED", first.op());
        assertEquals(81_920, first.macs());
        // 128 x 640 int8 weights + 128 int32 biases
        assertEquals(81_920 + 128, first.parameters());
        assertEquals(81_920 + 4 * 128, first.weightBytes());
        assertEquals(128, first.activationBytes());
        assertEquals("int8[1,640]", first.inputs().get(0).describe());
        assertEquals(264_192, a.totals().macs());
        // parameters: the FC weights (264,192) plus biases 128*8 + 8 + 640 (= 128*4 + 8 + 128*4 + 640)
        assertEquals(264_192 + 128 * 8 + 8 + 640, a.totals().parameters());
        assertEquals(640 + 640, a.totals().elementOps(), "QUANTIZE and DEQUANTIZE, 640 elements each");
        assertEquals(m.sizeBytes(), a.modelBytes());
        assertEquals(4928, a.arena().minimumArenaBytes(), "the corpus's min_mcu32");
        String text = a.toText();
        assertTrue(text.contains("264,192 MACs"), text);
        assertTrue(text.contains("minimum 4,928 B"), text);
        assertTrue(Json.mapper().readTree(a.toJson()).get("totals").get("macs").asLong() == 264_192);
    }

    /** The keyword-spotting model's first convolution, by hand (padding taps skipped, as the reference kernel skips them). */
    @Test
    void kwsFirstConvolutionByHand() throws IOException {
        ModelAnalysis a = ModelAnalysis.of(EngineAccess.load(Corpus.model("models/mlperftiny-kws_ref_model")));
        ModelAnalysis.Layer conv = a.layers().get(0);
        assertEquals("CONV_2D", conv.op());
        // 49x10 input, 10x4 filter, stride 2, SAME -> 25x5; padding before 4 (rows) and 1 (columns).
        // in-image taps over output rows: 6 + 8 + 20 x 10 + 9 + 7 + 5 = 235; over columns: 3 + 4 + 4 + 4 + 3 = 18
        assertEquals(235L * 18 * 64, conv.macs());
        assertEquals(64 * 10 * 4 + 64, conv.parameters());
    }
}
