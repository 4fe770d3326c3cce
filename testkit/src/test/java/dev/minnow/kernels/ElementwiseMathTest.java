package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.bits;
import static dev.minnow.kernels.KernelTests.i8;
import static dev.minnow.kernels.KernelTests.run;
import static dev.minnow.kernels.OneOpModel.allocated;
import static dev.minnow.kernels.OneOpModel.quantized;
import static dev.minnow.kernels.OneOpModel.tensor;
import static dev.minnow.writer.LeArrays.floats;
import static dev.minnow.writer.LeArrays.ints;
import static dev.minnow.writer.LeArrays.shorts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The element-wise math kernels on what the corpus does not reach: rounding ties and signed zeros, special values of the
 * libm functions, TFLM's ADD_N offset quirk, the ELU table, PRELU's two multipliers, division by zero and the refusals.
 */
class ElementwiseMathTest {
    static byte[] unary(String op, byte[] in) {
        int n = in.length / 4;
        return run(allocated(op, null, null, tensor(DataType.FLOAT32, n), tensor(DataType.FLOAT32, n)), in);
    }

    @Test
    void roundIsBankersRoundingComputedAsFloorPlusOne() {
        // ties go to the even neighbour; results of floor + 1 are +0 even for negative inputs, -0 itself stays
        byte[] out = unary("ROUND", floats(2.5f, 3.5f, -2.5f, -0.5f, -0.3f, -0f, 1.4999999f, 8388609f));
        assertArrayEquals(bits(2f, 4f, -2f, 0f, 0f, -0f, 1f, 8388609f), bits(out));
    }

    @Test
    void ceilKeepsSignedZerosAndNaNPayloads() {
        byte[] out = unary("CEIL", ints(Float.floatToRawIntBits(-0.5f), Float.floatToRawIntBits(1.25f), 0x7f812345, 0xff800000));
        assertArrayEquals(new int[] {0x80000000, Float.floatToRawIntBits(2f), 0x7f812345, 0xff800000}, bits(out));
    }

    @Test
    void libmFunctionsOnSpecialValues() {
        assertArrayEquals(new int[] {0xff800000, 0xffc00000, 0x00000000, 0x7f800000, 0x7fc12345},
                bits(unary("LOG", ints(0, 0xbf800000, 0x3f800000, 0x7f800000, 0x7f812345))));
        int minNormal = Float.floatToRawIntBits(Float.MIN_NORMAL);
        assertArrayEquals(new int[] {0x80000000, 0xffc00000, minNormal}, bits(unary("SIN", ints(0x80000000, 0x7f800000, minNormal))));
        assertArrayEquals(new int[] {0x3f800000, 0xffc00000}, bits(unary("COS", ints(0x80000000, 0xff800000))));
        assertArrayEquals(bits(9f, 0f, Float.POSITIVE_INFINITY), bits(unary("SQUARE", floats(-3f, -0f, 1e20f))));
    }

    @Test
    void floorDivFloorsTheDoubleQuotientAndFailsOnZero() {
        Interpreter i = allocated("FLOOR_DIV", null, null, tensor(DataType.FLOAT32, 4), tensor(DataType.FLOAT32, 4), tensor(DataType.FLOAT32, 4));
        assertArrayEquals(bits(3f, -4f, -4f, -0f), bits(run(i, floats(7, -7, 7, -0f), floats(2, 2, -2, 5))));
        assertThrows(MinnowException.class, () -> run(i, floats(1, 2, 3, 4), floats(1, -0f, 1, 1)));
    }

    @Test
    void floorModTakesTheDivisorsSign() {
        Interpreter i = allocated("FLOOR_MOD", null, null, tensor(DataType.FLOAT32, 5), tensor(DataType.FLOAT32, 5), tensor(DataType.FLOAT32, 1));
        // fmod(-6, 3) is -0: zero remainders are not corrected; fmod(x, 0) is NaN
        assertArrayEquals(bits(2f, 1f, 2.5f, -0f, 0f), bits(run(i, floats(-7, 7, -0.5f, -6, 6), floats(3))));
        Interpreter z = allocated("FLOOR_MOD", null, null, tensor(DataType.FLOAT32, 1), tensor(DataType.FLOAT32, 1), tensor(DataType.FLOAT32, 1));
        assertArrayEquals(new int[] {0xffc00000}, bits(run(z, floats(5), floats(0))));
    }

    @Test
    void addNInt8SumsOneExtraMinusZeroPointAsTflmDoes() {
        // inputs 20 and 30 with zero point 10 at scale 1 are 10 and 20; TFLM's sum starts from the rescaled -10, so 20
        Interpreter i = allocated("ADD_N", null, null, quantized(DataType.INT8, 1f, 0, 1), quantized(DataType.INT8, 1f, 10, 1),
                quantized(DataType.INT8, 1f, 10, 1));
        assertArrayEquals(i8(20), run(i, i8(20), i8(30)));
        Interpreter f = allocated("ADD_N", null, null, tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 2),
                tensor(DataType.FLOAT32, 2));
        assertArrayEquals(bits(3f, 0f), bits(run(f, floats(1, -0f), floats(1, -0f), floats(1, -0f))));
    }

    @Test
    void addNRefusals() {
        assertThrows(MinnowException.class, () -> allocated("ADD_N", null, null, tensor(DataType.INT32, 2), tensor(DataType.INT32, 2), tensor(DataType.INT32, 2)));
        assertThrows(MinnowException.class, () -> allocated("ADD_N", null, null, quantized(DataType.INT8, 1f, 0, 2), quantized(DataType.INT8, 1f, 0, 2),
                quantized(DataType.INT8, 0.5f, 0, 2)));
        assertThrows(MinnowException.class, () -> allocated("ADD_N", null, null, tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 2)));
        assertThrows(MinnowException.class, () -> allocated("ADD_N", null, null, tensor(DataType.FLOAT32, 3), tensor(DataType.FLOAT32, 2),
                tensor(DataType.FLOAT32, 2)));
    }

    @Test
    void eluInt8GoesThroughTheFloatTable() {
        // scale 0.5 in, 0.25 out: -2 -> -1.0 -> expf(-1) - 1 = -0.63212055 -> *4 = -2.528 -> -3; 4 -> 2.0 -> 8; 127 -> 254 -> 127
        Interpreter i = allocated("ELU", null, null, quantized(DataType.INT8, 0.25f, 0, 3), quantized(DataType.INT8, 0.5f, 0, 3));
        assertArrayEquals(i8(-3, 8, 127), run(i, i8(-2, 4, 127)));
        Interpreter f = allocated("ELU", null, null, tensor(DataType.FLOAT32, 3), tensor(DataType.FLOAT32, 3));
        assertArrayEquals(bits(-1f, 2f, -0f), bits(run(f, floats(Float.NEGATIVE_INFINITY, 2f, -0f))));
        assertThrows(MinnowException.class, () -> allocated("ELU", null, null, tensor(DataType.INT16, 3), tensor(DataType.INT16, 3)));
        assertThrows(MinnowException.class, () -> allocated("ELU", null, null, tensor(DataType.FLOAT32, 3), quantized(DataType.INT8, 0.5f, 0, 3)));
    }

    @Test
    void preluScalesPositiveAndNegativeSidesSeparately() {
        Interpreter f = allocated("PRELU", null, null, tensor(DataType.FLOAT32, 2, 2), tensor(DataType.FLOAT32, 2, 2), tensor(DataType.FLOAT32, 2));
        assertArrayEquals(bits(-0.5f, 3f, -0f, -6f), bits(run(f, floats(-2, 3, -0f, -2), floats(0.25f, 3))));
        // int16 with an int8 alpha: 6 * 0.5 = 3.0 -> 6; -4 * 0.5 = -2.0 times alpha 1 * 0.5 -> -1.0 -> -2
        Interpreter q = allocated("PRELU", null, null, quantized(DataType.INT16, 0.5f, 0, 2), quantized(DataType.INT16, 0.5f, 0, 2),
                quantized(DataType.INT8, 0.5f, 0, 1));
        assertArrayEquals(shorts(new short[] {6, -2}), run(q, shorts(new short[] {6, -4}), i8(1)));
        assertThrows(MinnowException.class, () -> allocated("PRELU", null, null, quantized(DataType.INT16, 0.5f, 0, 2),
                quantized(DataType.INT16, 0.5f, 0, 2), quantized(DataType.INT16, 0.5f, 0, 1)));
        assertThrows(MinnowException.class, () -> allocated("PRELU", null, null, tensor(DataType.INT32, 2), tensor(DataType.INT32, 2),
                tensor(DataType.INT32, 2)));
    }

    @Test
    void logSoftmaxFloatAndRefusals() {
        Interpreter f = allocated("LOG_SOFTMAX", null, null, tensor(DataType.FLOAT32, 1, 2), tensor(DataType.FLOAT32, 1, 2));
        // two equal logits: each is log(1/2) = 0 - 0 - logf(2)
        float log2 = dev.minnow.math.FloatLibm.logf(2f);
        assertArrayEquals(bits(-log2, -log2), bits(run(f, floats(5, 5))));
        // int8 output must be scale 16/256, zero point 127; int16 has no Eval case
        assertThrows(MinnowException.class, () -> allocated("LOG_SOFTMAX", null, null, quantized(DataType.INT8, 16f / 256, 0, 4),
                quantized(DataType.INT8, 0.1f, 0, 4)));
        assertThrows(MinnowException.class, () -> allocated("LOG_SOFTMAX", null, null, quantized(DataType.INT16, 1f, 0, 4),
                quantized(DataType.INT16, 1f, 0, 4)));
        Interpreter q = allocated("LOG_SOFTMAX", null, null, quantized(DataType.INT8, 16f / 256, 127, 2), quantized(DataType.INT8, 0.1f, 0, 2));
        // equal logits give log(1/2) = -0.693 -> round(-0.693 * 16) + 127 = 116
        assertArrayEquals(i8(116, 116), run(q, i8(7, 7)));
    }

    @Test
    void l2NormalizationFloatAndRefusals() {
        Interpreter f = allocated("L2_NORMALIZATION", null, null, tensor(DataType.FLOAT32, 2, 2), tensor(DataType.FLOAT32, 2, 2));
        // 3-4-5 triangle; an all-zero row divides by the 1e-6 floor
        assertArrayEquals(bits(3f / 5, 4f / 5, 0f, -0f), bits(run(f, floats(3, 4, 0, -0f))));
        assertThrows(MinnowException.class, () -> allocated("L2_NORMALIZATION", null, null, tensor(DataType.FLOAT32, 1, 1, 1, 1, 2),
                tensor(DataType.FLOAT32, 1, 1, 1, 1, 2)));
        assertThrows(MinnowException.class, () -> allocated("L2_NORMALIZATION", "L2NormOptions", Map.of("fusedActivationFunction", 1),
                tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 2)));
        assertThrows(MinnowException.class, () -> allocated("L2_NORMALIZATION", null, null, tensor(DataType.INT16, 2), tensor(DataType.INT16, 2)));
    }
}
