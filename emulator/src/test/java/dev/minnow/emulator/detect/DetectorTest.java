package dev.minnow.emulator.detect;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Preprocessing, windowing and scoring against hand-computed values. */
class DetectorTest {
    private static final int ARENA = 64 * 1024;

    private static PipelineConfig cfg(int channels, PipelineConfig.Normalization norm, int length, int hop, PipelineConfig.Score score) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < channels; c++) names.add("c" + c);
        return new PipelineConfig(null, null, names, norm, new PipelineConfig.Window(length, hop), score, 1.0, null, null, null, null);
    }

    private static PipelineConfig.Score score(PipelineConfig.ScoreKind kind, PipelineConfig.ErrorMeasure e, PipelineConfig.Span over) {
        return new PipelineConfig.Score(kind, e, over, null, null);
    }

    @Test
    void normalisationInFloat() {
        PipelineConfig z = cfg(2, new PipelineConfig.Normalization(PipelineConfig.Method.ZSCORE, null, null,
                new double[] {10, -1}, new double[] {2, 0.5}), 1, 1, score(PipelineConfig.ScoreKind.OUTPUT, null, null));
        Preprocessor p = new Preprocessor(z, new int[] {0, 1});
        assertEquals(2.5f, p.normalise(0, 15f));          // (15 - 10) / 2
        assertEquals(-2f, p.normalise(1, -2f));           // (-2 + 1) / 0.5
        PipelineConfig mm = cfg(1, new PipelineConfig.Normalization(PipelineConfig.Method.MINMAX, new double[] {2}, new double[] {6},
                null, null), 1, 1, score(PipelineConfig.ScoreKind.OUTPUT, null, null));
        Preprocessor q = new Preprocessor(mm, new int[] {0});
        assertEquals(0.75f, q.normalise(0, 5f));          // (5 - 2) / (6 - 2)
        assertEquals(-0.25f, q.normalise(0, 1f));         // outside the training range stays linear
        assertEquals((0.1f - 0.3f) / (float) (0.7 - 0.3), new Preprocessor(cfg(1, new PipelineConfig.Normalization(
                PipelineConfig.Method.MINMAX, new double[] {0.3}, new double[] {0.7}, null, null), 1, 1,
                score(PipelineConfig.ScoreKind.OUTPUT, null, null)), new int[] {0}).normalise(0, 0.1f), "float constants, float arithmetic");
    }

    @Test
    void windowsCompleteAfterLengthThenEveryHop() {
        PipelineConfig c = cfg(1, null, 3, 2, score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null));
        try (Detector d = new Detector(TestModels.scaledIdentity(3, 1f), c, ARENA)) {
            DeviceState s = d.newState();
            List<Integer> at = new ArrayList<>();
            for (int row = 1; row <= 10; row++) if (d.add(s, new float[] {row})) at.add(row);
            assertEquals(List.of(3, 5, 7, 9), at);
        }
    }

    @Test
    void reconstructionErrorOverWindowAndLastStep() {
        // 2 channels x 3 rows, model outputs half its input: error = x / 2 per value
        PipelineConfig mse = cfg(2, null, 3, 1, score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null));
        PipelineConfig maeLast = cfg(2, null, 3, 1, score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MAE,
                PipelineConfig.Span.LAST));
        Model half = TestModels.scaledIdentity(6, 0.5f);
        float[][] rows = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
        try (Detector a = new Detector(half, mse, ARENA); Detector b = new Detector(half, maeLast, ARENA)) {
            DeviceState sa = a.newState(), sb = b.newState();
            List<Double> ma = new ArrayList<>(), mb = new ArrayList<>();
            for (float[] r : rows) {
                if (a.add(sa, r)) ma.add(a.score(sa));
                if (b.add(sb, r)) mb.add(b.score(sb));
            }
            // window 1 = 1..6: mean of (x/2)^2 = (1+4+9+16+25+36)/4/6 = 91/24
            // window 2 = 3..8: (9+16+25+36+49+64)/4/6 = 199/24
            assertEquals(91f / 24f, ma.get(0), 1e-6);
            assertEquals(199f / 24f, ma.get(1), 1e-6);
            // last step of window 1 = (5, 6): mean |x/2| = 2.75; of window 2 = (7, 8): 3.75
            assertEquals(List.of(2.75, 3.75), mb);
        }
    }

    @Test
    void forecastComparesThePredictionWithTheNextRow() {
        // predicts the last row of a 2-row window of 2 channels; the target is the row after the window
        PipelineConfig c = cfg(2, null, 2, 1, score(PipelineConfig.ScoreKind.FORECAST, PipelineConfig.ErrorMeasure.MSE, null));
        try (Detector d = new Detector(TestModels.lastRow(2, 2), c, ARENA)) {
            DeviceState s = d.newState();
            assertEquals(3, d.windowRows());
            float[][] rows = {{0, 0}, {1, 1}, {4, 3}, {4, 3}};
            List<Double> scores = new ArrayList<>();
            for (float[] r : rows) if (d.add(s, r)) scores.add(d.score(s));
            // window (0,0),(1,1) predicts (1,1), next is (4,3): ((3^2) + (2^2)) / 2 = 6.5; then (4,3) vs (4,3): 0
            assertEquals(List.of(6.5, 0.0), scores);
        }
    }

    @Test
    void outputScoreAndQuantisation() {
        // int8 input at scale 0.5, zero point 3, echoed back dequantized; score = element 2 of output 0
        PipelineConfig c = new PipelineConfig(null, null, List.of("a", "b", "c", "d"), null, new PipelineConfig.Window(1, 1),
                new PipelineConfig.Score(PipelineConfig.ScoreKind.OUTPUT, null, null, 0, 2), 0.0, null, null, null, null);
        try (Detector d = new Detector(TestModels.int8Echo(4, 0.5f, 3), c, ARENA)) {
            DeviceState s = d.newState();
            assertTrue(d.add(s, new float[] {0f, -0.25f, 0.75f, 100f}));
            assertEquals(1.0, d.score(s));                              // 0.75/0.5 = 1.5 -> 2 (half away) -> (2+3-3)*0.5
            float[] out = d.runner().output(0);
            assertEquals(0f, out[0]);
            assertEquals(-0.5f, out[1]);                                 // -0.5 -> -1 (half away from zero)
            assertEquals((127 - 3) * 0.5f, out[3]);                      // 200 + 3 clamps at 127
        }
        assertEquals(-1, ModelRunner.quantize(-0.5f, 1f, 0, -128, 127));
        assertEquals(3, ModelRunner.quantize(2.5f, 1f, 0, -128, 127));
        assertEquals(-128, ModelRunner.quantize(-1e9f, 0.1f, 5, -128, 127));
        assertEquals(32767, ModelRunner.quantize(1e9f, 0.1f, 5, -32768, 32767));
    }

    @Test
    void modelAndConfigMustAgree() {
        PipelineConfig c = cfg(8, null, 60, 1, score(PipelineConfig.ScoreKind.RECONSTRUCTION, null, null));
        EmulatorException e = assertThrows(EmulatorException.class, () -> new Detector(TestModels.scaledIdentity(640, 1f), c, 1 << 20));
        assertEquals("model input [1, 640] has 640 values; a window of 60 rows x 8 channels has 480", e.getMessage());
        PipelineConfig f = cfg(2, null, 3, 1, score(PipelineConfig.ScoreKind.FORECAST, null, null));
        e = assertThrows(EmulatorException.class, () -> new Detector(TestModels.scaledIdentity(6, 1f), f, ARENA));
        assertTrue(e.getMessage().contains("one row of 2 channels; it has 6 values"), e.getMessage());
        e = assertThrows(EmulatorException.class, () -> new Detector(TestModels.scaledIdentity(6, 1f),
                cfg(2, null, 3, 1, score(PipelineConfig.ScoreKind.RECONSTRUCTION, null, null)), 64));
        assertTrue(e.getMessage().startsWith("the model cannot be allocated in a 64-byte arena"), e.getMessage());
    }

    /** A device's state serialised mid-stream and restored goes on exactly as if never interrupted. */
    @Test
    void deviceStateSurvivesSerialisation() throws Exception {
        PipelineConfig c = cfg(2, null, 3, 2, score(PipelineConfig.ScoreKind.RECONSTRUCTION, PipelineConfig.ErrorMeasure.MSE, null));
        try (Detector d = new Detector(TestModels.scaledIdentity(6, 0.9f), c, ARENA)) {
            DeviceState a = d.newState(), b = d.newState();
            List<Double> sa = new ArrayList<>(), sb = new ArrayList<>();
            for (int r = 0; r < 20; r++) {
                float[] row = {r, r * r % 7};
                if (d.add(a, row)) sa.add(d.score(a));
                if (d.add(b, row)) sb.add(d.score(b));
                if (r == 8) b = roundTrip(b);
            }
            assertEquals(sa, sb);
            assertEquals(a, b);
            assertFalse(sa.isEmpty());
        }
    }

    private static DeviceState roundTrip(DeviceState s) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(s);
        }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (DeviceState) i.readObject();
        }
    }
}
