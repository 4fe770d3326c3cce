package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.OneOpModel.shape;
import static dev.minnow.writer.LeArrays.ints;
import static dev.minnow.writer.LeArrays.longs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SHAPE, FILL, ZEROS_LIKE, BROADCAST_TO and BROADCAST_ARGS: edge cases and rejections the corpus does not cover. */
class ShapeFillBroadcastTest {
    @Test
    void shapeListsTheDimensionsOfAFiveDimensionalInput() {
        Interpreter i = new OneOpModel().input(DataType.INT8, shape(2, 1, 3, 4, 5), null).output(DataType.INT32, shape(5), null)
                .build("SHAPE", "ShapeOptions", Map.of("outType", 2));
        int[] out = new int[5];
        i.run(new byte[120], out);
        assertArrayEquals(new int[] {2, 1, 3, 4, 5}, out);
    }

    @Test
    void shapeRejectsAnOutputThatCannotHoldOneEntryPerDimension() {
        Interpreter i = new OneOpModel().input(DataType.FLOAT32, shape(2, 3, 4), null).output(DataType.INT32, shape(2), null)
                .build("SHAPE", null, null);
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("2 elements for the 3 dimensions"), e.getMessage());
    }

    @Test
    void fillTakesInt64DimsAndCopiesTheScalarEverywhere() {
        Interpreter i = new OneOpModel().constant(DataType.INT64, shape(2), null, longs(2, 3)).input(DataType.INT32, shape(), null)
                .output(DataType.INT32, shape(2, 3), null).build("FILL", null, null);
        int[] out = new int[6];
        i.run(new int[] {-7}, out);
        assertArrayEquals(new int[] {-7, -7, -7, -7, -7, -7}, out);
    }

    @Test
    void fillRejectsDimsThatDifferFromTheOutputShape() {
        Interpreter i = new OneOpModel().constant(DataType.INT32, shape(2), null, ints(2, 4)).input(DataType.FLOAT32, shape(), null)
                .output(DataType.FLOAT32, shape(2, 3), null).build("FILL", null, null);
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("output dimension 1 is 3, dims says 4"), e.getMessage());
    }

    @Test
    void fillOfBoolFailsAsTflmsEvalDoes() {
        Interpreter i = new OneOpModel().constant(DataType.INT32, shape(1), null, ints(3)).input(DataType.BOOL, shape(), null)
                .output(DataType.BOOL, shape(3), null).build("FILL", null, null);
        assertThrows(MinnowException.class, i::allocateTensors);
    }

    @Test
    void zerosLikeZeroesInt64AndRejectsAnotherShape() {
        Interpreter ok = new OneOpModel().input(DataType.INT64, shape(3), null).output(DataType.INT64, shape(3), null)
                .build("ZEROS_LIKE", null, null);
        long[] out = {5, 5, 5};
        ok.run(new long[] {Long.MIN_VALUE, -1, 9}, out);
        assertArrayEquals(new long[] {0, 0, 0}, out);
        Interpreter bad = new OneOpModel().input(DataType.INT32, shape(2, 3), null).output(DataType.INT32, shape(3, 2), null)
                .build("ZEROS_LIKE", null, null);
        assertThrows(MinnowException.class, bad::allocateTensors);
    }

    @Test
    void broadcastToRepeatsSizeOneAndMissingDimensions() {
        // [2, 1] -> [2, 2, 3]: each input row repeated along the last axis, the whole block along the new first axis
        Interpreter i = new OneOpModel().input(DataType.INT16, shape(2, 1), null).constant(DataType.INT64, shape(3), null, longs(2, 2, 3))
                .output(DataType.INT16, shape(2, 2, 3), null).build("BROADCAST_TO", null, null);
        short[] out = new short[12];
        i.run(new short[] {4, -9}, out);
        assertArrayEquals(new short[] {4, 4, 4, -9, -9, -9, 4, 4, 4, -9, -9, -9}, out);
    }

    @Test
    void broadcastToRejectsSixDimensions() {
        Interpreter i = new OneOpModel().input(DataType.INT8, shape(1), null).constant(DataType.INT32, shape(6), null, ints(1, 1, 1, 1, 1, 2))
                .output(DataType.INT8, shape(1, 1, 1, 1, 1, 2), null).build("BROADCAST_TO", null, null);
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("1-5D"), e.getMessage());
    }

    @Test
    void broadcastArgsAlignsFromTheBackAndPadsALongerOutputWithOnes() {
        // [2, 1, 3] and [4, 1] -> [2, 4, 3]; a 4-entry output gets a leading 1
        Interpreter i = new OneOpModel().input(DataType.INT32, shape(3), null).input(DataType.INT32, shape(2), null)
                .output(DataType.INT32, shape(4), null).build("BROADCAST_ARGS", null, null);
        int[] out = new int[4];
        i.runForMultipleInputsOutputs(new Object[] {new int[] {2, 1, 3}, new int[] {4, 1}}, Map.of(0, out));
        assertArrayEquals(new int[] {1, 2, 4, 3}, out);
    }

    @Test
    void broadcastArgsFailsTheInvokeOnShapesThatDoNotBroadcast() {
        Interpreter i = new OneOpModel().input(DataType.INT64, shape(2), null).input(DataType.INT64, shape(1), null)
                .output(DataType.INT64, shape(2), null).build("BROADCAST_ARGS", null, null);
        assertThrows(MinnowException.class, () -> i.runForMultipleInputsOutputs(new Object[] {new long[] {2, 3}, new long[] {4}},
                Map.of(0, new long[2])));
    }

    @Test
    void broadcastArgsRejectsConstantShapesThatDoNotBroadcastAtAllocation() {
        Interpreter i = new OneOpModel().constant(DataType.INT32, shape(2), null, ints(2, 3)).constant(DataType.INT32, shape(2), null, ints(2, 5))
                .output(DataType.INT32, shape(2), null).build("BROADCAST_ARGS", null, null);
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("3 vs 5"), e.getMessage());
    }
}
