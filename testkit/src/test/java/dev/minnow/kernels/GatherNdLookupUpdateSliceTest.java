package dev.minnow.kernels;

import dev.minnow.writer.LeArrays;
import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.q;
import static dev.minnow.kernels.OneOpModel.shape;
import static dev.minnow.writer.LeArrays.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GATHER_ND, EMBEDDING_LOOKUP and DYNAMIC_UPDATE_SLICE: TFLM's index semantics by hand, and their rejections. */
class GatherNdLookupUpdateSliceTest {
    static Interpreter gatherNd(int[] indicesShape, int[] out) {
        return new OneOpModel().input(DataType.FLOAT32, shape(2, 3), null).input(DataType.INT32, indicesShape, null)
                .output(DataType.FLOAT32, out, null).build("GATHER_ND", null, null);
    }

    @Test
    void gatherNdPicksElementsAndRows() {
        float[] params = {1, 2, 3, 4, 5, 6}, out = new float[2];
        gatherNd(shape(2, 2), shape(2)).runForMultipleInputsOutputs(new Object[] {params, new int[] {1, 0, 0, 2}}, Map.of(0, out));
        assertArrayEquals(new float[] {4, 3}, out);
        float[] rows = new float[6];
        gatherNd(shape(2, 1), shape(2, 3)).runForMultipleInputsOutputs(new Object[] {params, new int[] {1, 0}}, Map.of(0, rows));
        assertArrayEquals(new float[] {4, 5, 6, 1, 2, 3}, rows);
    }

    @Test
    void gatherNdChecksOnlyTheFlatStartAsTflmDoes() {
        // index (0, 4) is past row 0 but lands on flat element 4 (value 5); (1, -1) on flat element 2 (value 3)
        float[] out = new float[2];
        gatherNd(shape(2, 2), shape(2)).runForMultipleInputsOutputs(new Object[] {new float[] {1, 2, 3, 4, 5, 6}, new int[] {0, 4, 1, -1}},
                Map.of(0, out));
        assertArrayEquals(new float[] {5, 3}, out);
    }

    @Test
    void gatherNdFailsTheInvokeOnAStartOutsideTheParams() {
        Interpreter i = gatherNd(shape(1, 2), shape(1));
        MinnowException e = assertThrows(MinnowException.class, () -> i.runForMultipleInputsOutputs(
                new Object[] {new float[6], new int[] {1, 3}}, Map.of(0, new float[1])));
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
    }

    @Test
    void hybridEmbeddingLookupDequantizesRows() {
        // int8 table [[2, -4], [6, 8]] with scale 0.5 (zero point 0) -> float rows [1, -2] and [3, 4]
        Interpreter i = new OneOpModel().input(DataType.INT32, shape(3), null)
                .constant(DataType.INT8, shape(2, 2), q(0.5f, 0), new byte[] {2, -4, 6, 8})
                .output(DataType.FLOAT32, shape(3, 2), null).build("EMBEDDING_LOOKUP", null, null);
        float[] out = new float[6];
        i.run(new int[] {1, 0, 1}, out);
        assertArrayEquals(new float[] {3, 4, 1, -2, 3, 4}, out);
    }

    @Test
    void embeddingLookupFailsTheInvokeOnAnIdOutsideTheTable() {
        Interpreter i = new OneOpModel().input(DataType.INT32, shape(1), null).constant(DataType.FLOAT32, shape(2, 1), null, LeArrays.floats(1, 2))
                .output(DataType.FLOAT32, shape(1, 1), null).build("EMBEDDING_LOOKUP", null, null);
        MinnowException e = assertThrows(MinnowException.class, () -> i.run(new int[] {2}, new float[1]));
        assertTrue(e.getMessage().contains("Got 2, and bounds are [0, 1]"), e.getMessage());
    }

    @Test
    void embeddingLookupRejectsAOneDimensionalTable() {
        Interpreter i = new OneOpModel().input(DataType.INT32, shape(1), null).constant(DataType.FLOAT32, shape(2), null, LeArrays.floats(1, 2))
                .output(DataType.FLOAT32, shape(1), null).build("EMBEDDING_LOOKUP", null, null);
        assertThrows(MinnowException.class, i::allocateTensors);
    }

    static int[] updateSlice(int start) {
        Interpreter i = new OneOpModel().input(DataType.INT16, shape(6), null).input(DataType.INT16, shape(2), null)
                .constant(DataType.INT32, shape(1), null, ints(start)).output(DataType.INT16, shape(6), null)
                .build("DYNAMIC_UPDATE_SLICE", null, null);
        short[] out = new short[6];
        i.runForMultipleInputsOutputs(new Object[] {new short[] {0, 1, 2, 3, 4, 5}, new short[] {9, 8}}, Map.of(0, out));
        int[] r = new int[6];
        for (int k = 0; k < 6; k++) r[k] = out[k];
        return r;
    }

    @Test
    void dynamicUpdateSliceClampsTheStartIntoTheOperand() {
        assertArrayEquals(new int[] {0, 1, 9, 8, 4, 5}, updateSlice(2));
        assertArrayEquals(new int[] {0, 1, 2, 3, 9, 8}, updateSlice(5));  // clamped to 6 - 2 = 4
        assertArrayEquals(new int[] {9, 8, 2, 3, 4, 5}, updateSlice(-3)); // clamped to 0
    }

    @Test
    void dynamicUpdateSliceOfBoolFailsAsTflmsEvalDoes() {
        Interpreter i = new OneOpModel().input(DataType.BOOL, shape(2), null).input(DataType.BOOL, shape(1), null)
                .constant(DataType.INT32, shape(1), null, ints(0)).output(DataType.BOOL, shape(2), null).build("DYNAMIC_UPDATE_SLICE", null, null);
        assertThrows(MinnowException.class, i::allocateTensors);
    }
}
