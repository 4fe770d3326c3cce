package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.LstmCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The float FastLstm computes the input products of many steps ahead, at most 65,536 floats of them at once: sequences
 * long enough to need several chunks (the last one partial), batch- and time-major, state carried over two invokes,
 * give the reference's bytes. With 65 cells a step's products take 260 floats per row (264 on the Vector API's
 * channel blocks): 252 (248) steps per chunk for one row, 84 (82) for a time-major batch of 3.
 */
class FastLstmAheadTest {

    @ParameterizedTest
    @CsvSource({
            "1, 300, 5, 65, false, false, 11",
            "2, 300, 7, 65, false, true, 12",
            "3, 200, 4, 65, true, false, 13",
            "3, 200, 9, 65, true, true, 14",
            "1, 40, 28, 20, false, false, 15"})
    void longSequencesGiveTheReferenceBytes(int batch, int steps, int inputs, int cells, boolean timeMajor, boolean clip,
                                            long seed) {
        check(new LstmCrossCheckProperties.Params(DataType.FLOAT32, batch, steps, inputs, cells, timeMajor, 2, 1f, 0, 1f,
                0, 0, true, clip, false, LstmCrossCheckProperties.Variant.STANDARD, seed));
    }

    /**
     * The int8 FastLstm computes the input products of many steps ahead too, rescaled and saturated, at most 65,536
     * ints of them at once: with 65 cells 252 steps per chunk for one row, 84 for a time-major batch of 3.
     */
    @ParameterizedTest
    @CsvSource({
            "1, 300, 5, 65, false, false, 21",
            "2, 300, 7, 65, false, true, 22",
            "3, 200, 4, 65, true, false, 23",
            "3, 200, 9, 65, true, true, 24",
            "1, 28, 28, 20, false, false, 25"})
    void longInt8SequencesGiveTheReferenceBytes(int batch, int steps, int inputs, int cells, boolean timeMajor, boolean clip,
                                                long seed) {
        check(new LstmCrossCheckProperties.Params(DataType.INT8, batch, steps, inputs, cells, timeMajor, 2, 0.0078125f, 3,
                0.0078125f, -2, -11, true, clip, false, LstmCrossCheckProperties.Variant.STANDARD, seed));
    }

    private static void check(LstmCrossCheckProperties.Params p) {
        CReference.Case c = LstmCrossCheckProperties.build("fast_lstm_ahead", p);
        String reference = HexFormat.of().formatHex(LstmCases.runJava(c, new InterpreterOptions().setUseFastKernels(false)));
        String fast = HexFormat.of().formatHex(LstmCases.runJava(c, new InterpreterOptions().setUseFastKernels(true)));
        assertEquals(reference, fast, "fast float LSTM differs from the reference: " + p);
    }
}
