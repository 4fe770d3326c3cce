package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** DIV has no single-op corpus case (only the audio preprocessor uses it), so its arithmetic is checked by hand here. */
class DivTest {
    static Interpreter div(DataType t, Quantization qa, Quantization qb, Quantization qo, int[] shapeB, int activation) {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", t, new int[] {4}, qa);
        int y = b.addTensor("y", t, shapeB, qb);
        int o = b.addTensor("o", t, new int[] {4}, qo);
        b.addOperator("DIV", 1, new int[] {x, y}, new int[] {o}, "DivOptions", Map.of("fusedActivationFunction", activation));
        b.setInputs(x, y).setOutputs(o);
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        return interp;
    }

    @Test
    void floatDividesAndClampsWithTheFusedActivation() {
        Interpreter i = div(DataType.FLOAT32, null, null, null, new int[] {4}, 1 /* RELU */);
        float[] out = new float[4];
        i.runForMultipleInputsOutputs(new Object[] {new float[] {1, -6, 7, 0.5f}, new float[] {4, 3, -2, 0.25f}}, Map.of(0, out));
        assertArrayEquals(new float[] {0.25f, 0f, 0f, 2f}, out);
    }

    @Test
    void int32TruncatesTowardZeroAndBroadcastsAScalarDivisor() {
        Interpreter i = div(DataType.INT32, null, null, null, new int[] {1}, 0);
        int[] out = new int[4];
        i.runForMultipleInputsOutputs(new Object[] {new int[] {7, -7, 9, 0}, new int[] {2}}, Map.of(0, out));
        assertArrayEquals(new int[] {3, -3, 4, 0}, out);
    }

    @Test
    void int8QuotientsLandOnTheOutputScale() {
        Quantization half = new Quantization(new float[] {0.5f}, new long[] {0}, 0);
        Quantization quarter = new Quantization(new float[] {0.25f}, new long[] {0}, 0);
        Interpreter i = div(DataType.INT8, half, half, quarter, new int[] {4}, 0);
        byte[] out = new byte[4];
        // 4.0/1.0 = 4 -> 16; -3.0/1.5 = -2 -> -8; 1.0/-0.5 = -2 -> -8; 5.0/0.5 = 10 -> 40
        i.runForMultipleInputsOutputs(new Object[] {new byte[] {8, -6, 2, 10}, new byte[] {2, 3, -1, 1}}, Map.of(0, out));
        assertArrayEquals(new byte[] {16, -8, -8, 40}, out);
    }

    @Test
    void zeroDivisorFailsTheInvokeWithAMinnowException() {
        Interpreter i = div(DataType.INT32, null, null, null, new int[] {4}, 0);
        assertThrows(MinnowException.class,
                () -> i.runForMultipleInputsOutputs(new Object[] {new int[] {1, 2, 3, 4}, new int[] {1, 0, 1, 1}}, Map.of(0, new int[4])));
    }

    @Test
    void int32MinOverMinusOneFailsTheInvokeInsteadOfWrapping() {
        Interpreter i = div(DataType.INT32, null, null, null, new int[] {4}, 0);
        assertThrows(MinnowException.class, () -> i.runForMultipleInputsOutputs(
                new Object[] {new int[] {1, Integer.MIN_VALUE, 3, 4}, new int[] {1, -1, 1, 1}}, Map.of(0, new int[4])));
    }
}
