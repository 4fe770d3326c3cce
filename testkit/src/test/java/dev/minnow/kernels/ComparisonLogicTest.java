package dev.minnow.kernels;

import dev.minnow.writer.LeArrays;
import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.KernelTests.i8;
import static dev.minnow.kernels.KernelTests.run;
import static dev.minnow.kernels.OneOpModel.allocated;
import static dev.minnow.kernels.OneOpModel.quantized;
import static dev.minnow.kernels.OneOpModel.tensor;
import static dev.minnow.writer.LeArrays.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparisons and logical ops on cases the corpus lacks: NaNs, rescaled int8, rank-5 broadcasting, TFLM's refusals. */
class ComparisonLogicTest {
    @Test
    void floatComparisonsFollowCWithNaNsAndSignedZeros() {
        float nan = Float.NaN;
        byte[] a = floats(nan, 0f, 1f, nan), b = floats(1f, -0f, nan, nan);
        assertArrayEquals(i8(0, 1, 0, 0), compare("EQUAL", a, b));
        assertArrayEquals(i8(1, 0, 1, 1), compare("NOT_EQUAL", a, b));
        assertArrayEquals(i8(0, 0, 0, 0), compare("GREATER", a, b));
        assertArrayEquals(i8(0, 1, 0, 0), compare("GREATER_EQUAL", a, b));
        assertArrayEquals(i8(0, 0, 0, 0), compare("LESS", a, b));
        assertArrayEquals(i8(0, 1, 0, 0), compare("LESS_EQUAL", a, b));
    }

    private static byte[] compare(String op, byte[] a, byte[] b) {
        Interpreter i = allocated(op, null, null, tensor(DataType.BOOL, 4), tensor(DataType.FLOAT32, 4), tensor(DataType.FLOAT32, 4));
        return run(i, a, b);
    }

    @Test
    void int8InputsOfDifferentScalesCompareTheirRealValues() {
        // 10 * 0.5 = 5.0 and 20 * 0.25 = 5.0: both become 1280 on the common scale ((q << 8) * scale); 21 * 0.25 is 1344
        Interpreter eq = allocated("EQUAL", null, null, tensor(DataType.BOOL, 3), quantized(DataType.INT8, 0.5f, 0, 3),
                quantized(DataType.INT8, 0.25f, 0, 3));
        assertArrayEquals(i8(1, 0, 0), run(eq, i8(10, 10, -3), i8(20, 21, -11)));
        Interpreter less = allocated("LESS", null, null, tensor(DataType.BOOL, 3), quantized(DataType.INT8, 0.5f, 0, 3),
                quantized(DataType.INT8, 0.25f, 0, 3));
        assertArrayEquals(i8(0, 1, 0), run(less, i8(10, 10, -3), i8(20, 21, -11)));
        // zero points shift the values: (12 - 2) * 0.5 == (16 - (-4)) * 0.25
        Interpreter zp = allocated("EQUAL", null, null, tensor(DataType.BOOL, 1), quantized(DataType.INT8, 0.5f, 2, 1),
                quantized(DataType.INT8, 0.25f, -4, 1));
        assertArrayEquals(i8(1), run(zp, i8(12), i8(16)));
    }

    @Test
    void broadcastsUpToRankEightAsBroadcastBinaryOpSimple() {
        Interpreter i = allocated("GREATER", null, null, tensor(DataType.BOOL, 2, 1, 1, 1, 3), tensor(DataType.INT32, 2, 1, 1, 1, 1),
                tensor(DataType.INT32, 3));
        assertArrayEquals(i8(1, 0, 0, 1, 1, 1), run(i, LeArrays.ints(5, 7), LeArrays.ints(4, 5, 6)));
    }

    @Test
    void boolEqualityComparesTheStoredValues() {
        Interpreter i = allocated("NOT_EQUAL", null, null, tensor(DataType.BOOL, 4), tensor(DataType.BOOL, 4), tensor(DataType.BOOL, 1));
        assertArrayEquals(i8(1, 0, 1, 0), run(i, i8(0, 1, 0, 1), i8(1)));
    }

    @Test
    void refusesWhatTflmRejectsOrLeavesUndefined() {
        // GREATER has an int16 Eval case but Prepare computes no parameters for it
        assertRejected("GREATER", quantized(DataType.INT16, 0.5f, 0, 2), quantized(DataType.INT16, 0.5f, 0, 2), tensor(DataType.BOOL, 2), "uninitialized");
        assertRejected("EQUAL", tensor(DataType.INT16, 2), tensor(DataType.INT16, 2), tensor(DataType.BOOL, 2), "not supported");
        assertRejected("LESS", tensor(DataType.BOOL, 2), tensor(DataType.BOOL, 2), tensor(DataType.BOOL, 2), "not supported");
        // QuantizeMultiplierSmallerThanOneExp aborts on an int8 scale of 1 or more
        assertRejected("EQUAL", quantized(DataType.INT8, 1.5f, 0, 2), quantized(DataType.INT8, 0.5f, 0, 2), tensor(DataType.BOOL, 2), "(0, 1)");
        assertRejected("EQUAL", tensor(DataType.FLOAT32, 2), tensor(DataType.INT32, 2), tensor(DataType.BOOL, 2), "input2 type");
        assertRejected("EQUAL", tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 2), tensor(DataType.INT8, 2), "not bool");
        assertRejected("EQUAL", tensor(DataType.FLOAT32, 2), tensor(DataType.FLOAT32, 3), tensor(DataType.BOOL, 3), "broadcast");
        // equal input shapes run the flat loop, whose MatchingFlatSize DCHECKs the output shape too
        assertRejected("EQUAL", tensor(DataType.FLOAT32, 2, 2), tensor(DataType.FLOAT32, 2, 2), tensor(DataType.BOOL, 4), "shape");
    }

    private static void assertRejected(String op, OneOpModel.Spec a, OneOpModel.Spec b, OneOpModel.Spec out, String why) {
        MinnowException e = assertThrows(MinnowException.class, () -> allocated(op, null, null, out, a, b));
        assertTrue(e.getMessage().contains(why), () -> op + ": " + e.getMessage());
    }

    @Test
    void logicalOpsBroadcastAndNotNegates() {
        Interpreter and = allocated("LOGICAL_AND", null, null, tensor(DataType.BOOL, 2, 2), tensor(DataType.BOOL, 2, 2), tensor(DataType.BOOL, 2));
        assertArrayEquals(i8(1, 0, 0, 0), run(and, i8(1, 1, 0, 1), i8(1, 0)));
        Interpreter or = allocated("LOGICAL_OR", null, null, tensor(DataType.BOOL, 2, 2), tensor(DataType.BOOL, 2), tensor(DataType.BOOL, 2, 1));
        assertArrayEquals(i8(1, 0, 1, 1), run(or, i8(1, 0), i8(0, 1)));
        Interpreter not = allocated("LOGICAL_NOT", null, null, tensor(DataType.BOOL, 3), tensor(DataType.BOOL, 3));
        assertArrayEquals(i8(0, 1, 0), run(not, i8(1, 0, 1)));
    }

    @Test
    void logicalOpsTakeOnlyBool() {
        // TFLM's LOGICAL_NOT Prepare requires the output to have the input's type, and Eval requires bool
        assertThrows(MinnowException.class, () -> allocated("LOGICAL_NOT", null, null, tensor(DataType.INT8, 3), tensor(DataType.BOOL, 3)));
        assertThrows(MinnowException.class, () -> allocated("LOGICAL_NOT", null, null, tensor(DataType.INT8, 3), tensor(DataType.INT8, 3)));
        // AND/OR have no Prepare in TFLM and read any tensor as bools; minnow runs only bool tensors
        assertThrows(MinnowException.class, () -> allocated("LOGICAL_AND", null, null, tensor(DataType.BOOL, 2), tensor(DataType.INT8, 2),
                tensor(DataType.BOOL, 2)));
    }
}
