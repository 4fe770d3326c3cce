package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What TFLM's LSTM rejects is rejected at allocateTensors, with a message naming the parameter. */
class UnidirectionalSequenceLstmTest {
    private static void rejects(LstmModels.Variant v, LstmModels.Mutator m, String... words) {
        LstmModels.Built built = LstmModels.build(v, 1, false, 2, 3, 4, 5, 0f, m);
        Interpreter it = new Interpreter(built.model());
        RuntimeException e = assertThrows(RuntimeException.class, it::allocateTensors);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should name '" + w + "'");
        }
    }

    private static Quantization q(float s) { return new Quantization(new float[] {s}, new long[] {0}, 0); }

    @Test
    void wellFormedModelsAllocate() {
        for (LstmModels.Variant v : LstmModels.Variant.values()) {
            assertDoesNotThrow(() -> new Interpreter(LstmModels.build(v, 1, true, 2, 3, 4, 5, 1f).model()).allocateTensors());
        }
    }

    @Test
    void cifgWithoutInputGate() {
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[1] = -1, "input_to_input_weights", "CIFG");
        rejects(LstmModels.Variant.FLOAT32, (b, in, o) -> in[12] = -1, "input_gate_bias");
    }

    @Test
    void peepholeProjectionAndLayerNorm() {
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[9] = b.addConstant("p", DataType.INT16, new int[] {5}, q(1f),
                new byte[10]), "cell_to_input_weights");
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[16] = b.addConstant("proj", DataType.INT8, new int[] {5, 5},
                q(1f), new byte[25]), "projection_weights");
        rejects(LstmModels.Variant.FLOAT32, (b, in, o) -> in[21] = b.addConstant("ln", DataType.FLOAT32, new int[] {5},
                null, new byte[20]), "forget_layer_norm_coefficients");
    }

    @Test
    void typeCombinations() {
        rejects(LstmModels.Variant.INT16, (b, in, o) -> {
            for (int i = 12; i <= 15; i++) in[i] = b.addConstant("b32_" + i, DataType.INT32, new int[] {5}, q(1f), new byte[20]);
        }, "int64", "int32");
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[19] = b.addVariable("c8", DataType.INT8, new int[] {2, 5}, q(1f)),
                "cell state type int8");
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[18] = b.addVariable("h16", DataType.INT16, new int[] {2, 5}, q(1f)),
                "output_state type int16");
    }

    @Test
    void shapesAndOptions() {
        rejects(LstmModels.Variant.FLOAT32, (b, in, o) -> in[2] = b.addConstant("w", DataType.FLOAT32, new int[] {5, 3},
                null, new byte[60]), "input_to_forget_weights", "[5, 4]");
        rejects(LstmModels.Variant.FLOAT32, (b, in, o) -> o.put("fusedActivationFunction", 1), "cell gate activation 1");
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[3] = b.addConstant("pc", DataType.INT8, new int[] {5, 4},
                new Quantization(new float[] {1, 1, 1, 1, 1}, new long[] {0, 0, 0, 0, 0}, 0), new byte[20]), "per-channel");
        rejects(LstmModels.Variant.INT8, (b, in, o) -> in[18] = b.addTensor("hc", DataType.INT8, new int[] {2, 5}, q(1f)),
                "output_state", "variable");
    }
}
