package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.q;
import static dev.minnow.kernels.OneOpModel.shape;
import static dev.minnow.writer.LeArrays.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CUMSUM: float sums, exclusive/reverse, TFLM's int8 accumulator quirk, and rejections. */
class CumsumTest {
    static Interpreter cumsum(DataType t, Quantization qi, Quantization qo, int axis, boolean exclusive, boolean reverse) {
        return new OneOpModel().input(t, shape(3), qi).constant(DataType.INT32, shape(), null, ints(axis)).output(t, shape(3), qo)
                .build("CUMSUM", "CumsumOptions", Map.of("exclusive", exclusive, "reverse", reverse));
    }

    @Test
    void floatExclusiveReverseSumsFromTheEndLeavingEachElementOut() {
        float[] out = new float[3];
        cumsum(DataType.FLOAT32, null, null, -1, true, true).run(new float[] {1, 2, 3}, out);
        assertArrayEquals(new float[] {5, 3, 0}, out);
    }

    @Test
    void floatSumsStartFromPositiveZero() {
        // 0.0f + -0.0f is +0.0f: TFLM's accumulator starts at 0, so a leading -0.0 comes out as +0.0
        float[] out = new float[3];
        cumsum(DataType.FLOAT32, null, null, 0, false, false).run(new float[] {-0.0f, -0.0f, 1}, out);
        assertArrayEquals(new float[] {0.0f, 0.0f, 1}, out);
    }

    @Test
    void int8StartsItsAccumulatorAtTheNegatedInputZeroPoint() {
        // scales 1; input zero point 10 -> reals 1, 2, 3; TFLM's accumulator starts at input_offset = -10 (scaled), so the
        // sums are -9, -7, -4 (exclusive: -10, -9, -7), written with the output zero point -5
        byte[] out = new byte[3];
        cumsum(DataType.INT8, q(1f, 10), q(1f, -5), 0, false, false).run(new byte[] {11, 12, 13}, out);
        assertArrayEquals(new byte[] {-14, -12, -9}, out);
        cumsum(DataType.INT8, q(1f, 10), q(1f, -5), 0, true, false).run(new byte[] {11, 12, 13}, out);
        assertArrayEquals(new byte[] {-15, -14, -12}, out);
    }

    @Test
    void int8RejectsAnOutputScaleThatMakesTheRescaleReachOne() {
        // 2 * 1 / (2^20 * 2^-21) = 4: QuantizeMultiplierSmallerThanOneExp aborts in TFLM
        MinnowException e = assertThrows(MinnowException.class,
                cumsum(DataType.INT8, q(1f, 0), q(0x1p-21f, 0), 0, false, false)::allocateTensors);
        assertTrue(e.getMessage().contains("not in (0, 1)"), e.getMessage());
    }

    @Test
    void aRuntimeAxisOutOfRangeFailsTheInvoke() {
        Interpreter i = new OneOpModel().input(DataType.FLOAT32, shape(3), null).input(DataType.INT32, shape(), null)
                .output(DataType.FLOAT32, shape(3), null).build("CUMSUM", null, null);
        MinnowException e = assertThrows(MinnowException.class, () -> i.runForMultipleInputsOutputs(
                new Object[] {new float[3], new int[] {1}}, Map.of(0, new float[3])));
        assertTrue(e.getMessage().contains("Invalid axis"), e.getMessage());
    }
}
