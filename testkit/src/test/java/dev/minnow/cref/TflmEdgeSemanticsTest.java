package dev.minnow.cref;

import dev.minnow.writer.LeArrays;
import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Edge cases where the Java engine and the C reference once agreed with each other but not with TFLM (pinned commit
 * 90b983c); each expectation is TFLM's reference kernel's result, checked on both sides.
 */
class TflmEdgeSemanticsTest {

    static void expect(CReference.Case c, byte[] expected) throws Exception {
        assertArrayEquals(expected, CrossCheck.runJava(c), "java");
        assertArrayEquals(expected, CReference.run(List.of(c)).get(c.name()).output(), "c");
    }

    static CReference.Case binary(String op, byte[] a, byte[] b, int n) {
        return new CReference.Case(op.toLowerCase(), op, Map.of(), CReference.list(
                new CReference.TensorSpec("input1", DataType.FLOAT32, new int[] {n}, null, a),
                new CReference.TensorSpec("input2", DataType.FLOAT32, new int[] {n}, null, b),
                new CReference.TensorSpec("output", DataType.FLOAT32, new int[] {n}, null, null)));
    }

    @Test
    void maximumAndMinimumReturnTheSecondInputOnTiesAndNaN() throws Exception {
        // MaximumOp: el1 > el2 ? el1 : el2; MinimumOp: el1 < el2 ? el1 : el2
        byte[] a = LeArrays.floats(0f, -0f, Float.NaN, 1f), b = LeArrays.floats(-0f, 0f, 2f, Float.NaN);
        expect(binary("MAXIMUM", a, b, 4), LeArrays.floats(-0f, 0f, 2f, Float.NaN));
        expect(binary("MINIMUM", a, b, 4), LeArrays.floats(-0f, 0f, 2f, Float.NaN));
    }

    @Test
    void argMaxAndArgMinSkipNaN() throws Exception {
        byte[] in = LeArrays.floats(Float.NaN, 1f, Float.NaN, 3f, -2f);
        for (String op : List.of("ARG_MAX", "ARG_MIN")) {
            CReference.Case c = new CReference.Case(op.toLowerCase(), op, Map.of(), CReference.list(
                    new CReference.TensorSpec("input", DataType.FLOAT32, new int[] {5}, null, in),
                    new CReference.TensorSpec("axis", DataType.INT32, new int[] {1}, null, new byte[4]),
                    new CReference.TensorSpec("output", DataType.INT32, new int[0], null, null)));
            expect(c, LeArrays.ints(op.equals("ARG_MAX") ? 3 : 4));
        }
    }

    @Test
    void unquantizedInt16AbsWrapsTheMinimum() throws Exception {
        // AbsHelper<int16_t>: std::abs(i) cast back to int16_t
        byte[] in = LeArrays.shorts(new short[] {-32768, -5, 32767});
        byte[] out = LeArrays.shorts(new short[] {-32768, 5, 32767});
        expect(new CReference.Case("abs_int16", "ABS", Map.of(), CReference.list(
                new CReference.TensorSpec("input", DataType.INT16, new int[] {3}, null, in),
                new CReference.TensorSpec("output", DataType.INT16, new int[] {3}, null, null))), out);
    }

    @Test
    void selectV2AndExpandDimsRejectInt32() {
        byte[] four = new byte[4];
        assertThrows(KernelException.class, () -> CrossCheck.runJava(new CReference.Case("select_int32", "SELECT_V2", Map.of(), CReference.list(
                new CReference.TensorSpec("condition", DataType.BOOL, new int[] {1}, null, new byte[] {1}),
                new CReference.TensorSpec("x", DataType.INT32, new int[] {1}, null, four),
                new CReference.TensorSpec("y", DataType.INT32, new int[] {1}, null, four),
                new CReference.TensorSpec("output", DataType.INT32, new int[] {1}, null, null)))));
        assertThrows(KernelException.class, () -> CrossCheck.runJava(new CReference.Case("expand_int32", "EXPAND_DIMS", Map.of(), CReference.list(
                new CReference.TensorSpec("input", DataType.INT32, new int[] {1}, null, four),
                new CReference.TensorSpec("axis", DataType.INT32, new int[] {1}, null, four),
                new CReference.TensorSpec("output", DataType.INT32, new int[] {1, 1}, null, null)))));
    }
}
