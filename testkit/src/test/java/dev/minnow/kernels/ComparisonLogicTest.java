package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.SingleOp.build;
import static dev.minnow.kernels.SingleOp.bytes;
import static dev.minnow.kernels.SingleOp.floats;
import static dev.minnow.kernels.SingleOp.quantized;
import static dev.minnow.kernels.SingleOp.run;
import static dev.minnow.kernels.SingleOp.tensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparisons and logical ops on cases the corpus lacks: NaNs, rescaled int8, rank-5 broadcasting, TFLM's refusals. */
class ComparisonLogicTest {
    @Test
    void floatComparisonsFollowCWithNaNsAndSignedZeros() {
        float nan = Float.NaN;
        byte[] a = floats(nan, 0f, 1f, nan), b = floats(1f, -0f, nan, nan);
        assertArrayEquals(bytes(0, 1, 0, 0), compare("EQUAL", a, b));
        assertArrayEquals(bytes(1, 0, 1, 1), compare("NOT_EQUAL", a, b));
        assertArrayEquals(bytes(0, 0, 0, 0), compare("GREATER", a, b));
        assertArrayEquals(bytes(0, 1, 0, 0), compare("GREATER_EQUAL", a, b));
        assertArrayEquals(bytes(0, 0, 0, 0), compare("LESS", a, b));
        assertArrayEquals(bytes(0, 1, 0, 0), compare("LESS_EQUAL", a, b));
    }

    private static byte[] compare(String op, byte[] a, byte[] b) {
        Interpreter i = build(op, null, null, tensor(DataType.BOOL, 4), tensor(DataType.FLOAT32, 4), tensor(DataType.FLOAT32, 4));
        return run(i, a, b);
    }

    @Test
    void int8InputsOfDifferentScalesCompareTheirRealValues() {
        // 10 * 0.5 = 5.0 and 20 * 0.25 = 5.0: both become 1280 on the common scale ((q << 8) * scale); 21 * 0.25 is 1344
        Interpreter eq = build("EQUAL", null, null, tensor(DataType.BOOL, 3), quantized(DataType.INT8, 0.5f, 0, 3),
                quantized(DataType.INT8, 0.25f, 0, 3));
        assertArrayEquals(bytes(1, 0, 0), run(eq, bytes(10, 10, -3), bytes(20, 21, -11)));
        Interpreter less = build("LESS", null, null, tensor(DataType.BOOL, 3), quantized(DataType.INT8, 0.5f, 0, 3),
                quantized(DataType.INT8, 0.25f, 0, 3));
        assertArrayEquals(bytes(0, 1, 0), run(less, bytes(10, 10, -3), bytes(20, 21, -11)));
        // zero points shift the values: (12 - 2) * 0.5 == (16 - (-4)) * 0.25
        Interpreter zp = build("EQUAL", null, null, tensor(DataType.BOOL, 1), quantized(DataType.INT8, 0.5f, 2, 1),
                quantized(DataType.INT8, 0.25f, -4, 1));
        assertArrayEquals(bytes(1), run(zp, bytes(12), bytes(16)));
    }

    @Test
    void broadcastsUpToRankEightAsBroadcastBinaryOpSimple() {
        Interpreter i = build("GREATER", null, null, tensor(DataType.BOOL, 2, 1, 1, 1, 3), tensor(DataType.INT32, 2, 1, 1, 1, 1),
                tensor(DataType.INT32, 3));
        assertArrayEquals(bytes(1, 0, 0, 1, 1, 1), run(i, SingleOp.ints(5, 7), SingleOp.ints(4, 5, 6)));
    }

    @Test
    void boolEqualityComparesTheStoredValues() {
        Interpreter i = build("NOT_EQUAL", null, null, tensor(DataType.BOOL, 4), tensor(DataType.BOOL, 4), tensor(DataType.BOOL, 1));
        assertArrayEquals(bytes(1, 0, 1, 0), run(i, bytes(0, 1, 0, 1), bytes(1)));
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

    private static void assertRejected(String op, SingleOp.Spec a, SingleOp.Spec b, SingleOp.Spec out, String why) {
        MinnowException e = assertThrows(MinnowException.class, () -> build(op, null, null, out, a, b));
        assertTrue(e.getMessage().contains(why), () -> op + ": " + e.getMessage());
    }

    @Test
    void logicalOpsBroadcastAndNotNegates() {
        Interpreter and = build("LOGICAL_AND", null, null, tensor(DataType.BOOL, 2, 2), tensor(DataType.BOOL, 2, 2), tensor(DataType.BOOL, 2));
        assertArrayEquals(bytes(1, 0, 0, 0), run(and, bytes(1, 1, 0, 1), bytes(1, 0)));
        Interpreter or = build("LOGICAL_OR", null, null, tensor(DataType.BOOL, 2, 2), tensor(DataType.BOOL, 2), tensor(DataType.BOOL, 2, 1));
        assertArrayEquals(bytes(1, 0, 1, 1), run(or, bytes(1, 0), bytes(0, 1)));
        Interpreter not = build("LOGICAL_NOT", null, null, tensor(DataType.BOOL, 3), tensor(DataType.BOOL, 3));
        assertArrayEquals(bytes(0, 1, 0), run(not, bytes(1, 0, 1)));
    }

    @Test
    void logicalOpsTakeOnlyBool() {
        // TFLM's LOGICAL_NOT Prepare requires the output to have the input's type, and Eval requires bool
        assertThrows(MinnowException.class, () -> build("LOGICAL_NOT", null, null, tensor(DataType.INT8, 3), tensor(DataType.BOOL, 3)));
        assertThrows(MinnowException.class, () -> build("LOGICAL_NOT", null, null, tensor(DataType.INT8, 3), tensor(DataType.INT8, 3)));
        // AND/OR have no Prepare in TFLM and read any tensor as bools; minnow runs only bool tensors
        assertThrows(MinnowException.class, () -> build("LOGICAL_AND", null, null, tensor(DataType.BOOL, 2), tensor(DataType.INT8, 2),
                tensor(DataType.BOOL, 2)));
    }
}
