package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.q;
import static dev.minnow.kernels.OneOpModel.shape;
import static dev.minnow.writer.LeArrays.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BATCH_MATMUL: products by hand for each adjoint option and broadcast batches, int8 requantization, rejections, arena. */
class BatchMatMulTest {
    static Interpreter matmul(int[] lhs, float[] rhsData, int[] rhs, int[] out, boolean adjX, boolean adjY, Target target) {
        return new OneOpModel().input(DataType.FLOAT32, lhs, null).constant(DataType.FLOAT32, rhs, null, floats(rhsData))
                .output(DataType.FLOAT32, out, null).build("BATCH_MATMUL", "BatchMatMulOptions", Map.of("adjX", adjX, "adjY", adjY), target);
    }

    @Test
    void floatProductIsTheSameForEveryAdjointLayout() {
        // [[1 2 3] [4 5 6]] x [[1 0] [0 1] [1 1]] = [[4 5] [10 11]]
        float[] expected = {4, 5, 10, 11}, out = new float[4];
        matmul(shape(2, 3), new float[] {1, 0, 0, 1, 1, 1}, shape(3, 2), shape(2, 2), false, false, Target.MCU32)
                .run(new float[] {1, 2, 3, 4, 5, 6}, out);
        assertArrayEquals(expected, out);
        matmul(shape(3, 2), new float[] {1, 0, 1, 0, 1, 1}, shape(2, 3), shape(2, 2), true, true, Target.MCU32)
                .run(new float[] {1, 4, 2, 5, 3, 6}, out);
        assertArrayEquals(expected, out);
    }

    @Test
    void batchDimensionsBroadcastAgainstAMissingOne() {
        // lhs [2, 1, 2] against rhs [2, 1]: [1 2] . [1 10] = 21, [3 4] . [1 10] = 43
        float[] out = new float[2];
        matmul(shape(2, 1, 2), new float[] {1, 10}, shape(2, 1), shape(2, 1, 1), false, false, Target.MCU32).run(new float[] {1, 2, 3, 4}, out);
        assertArrayEquals(new float[] {21, 43}, out);
    }

    @Test
    void int8RequantizesWithBothZeroPoints() {
        // lhs reals (3-1)/2, (5-1)/2 = 1, 2; rhs (0+2)/2, (2+2)/2 = 1, 2: 1 + 4 = 5 at output scale 0.25 -> 20, + zero point 3
        Interpreter i = new OneOpModel().input(DataType.INT8, shape(1, 2), q(0.5f, 1)).input(DataType.INT8, shape(2, 1), q(0.5f, -2))
                .output(DataType.INT8, shape(1, 1), q(0.25f, 3)).build("BATCH_MATMUL", null, null);
        byte[] out = new byte[1];
        i.runForMultipleInputsOutputs(new Object[] {new byte[] {3, 5}, new byte[] {0, 2}}, Map.of(0, out));
        assertArrayEquals(new byte[] {23}, out);
    }

    @Test
    void int16RejectsAnEffectiveScaleOf128OrMore() {
        // 16 * 16 / 1 = 256 needs a left shift of 9; TFLM's 64-bit MultiplyByQuantizedMultiplier asserts shift < 8
        Interpreter i = new OneOpModel().input(DataType.INT16, shape(1, 2), q(16f, 0)).input(DataType.INT16, shape(2, 1), q(16f, 0))
                .output(DataType.INT16, shape(1, 1), q(1f, 0)).build("BATCH_MATMUL", null, null);
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("shift < 8"), e.getMessage());
    }

    @Test
    void rejectsRankSixAndAnOutputOfAnotherSize() {
        assertThrows(MinnowException.class, matmul(shape(1, 1, 1, 1, 2, 3), new float[6], shape(3, 2), shape(1, 1, 1, 1, 2, 2), false, false,
                Target.MCU32)::allocateTensors);
        MinnowException e = assertThrows(MinnowException.class,
                matmul(shape(2, 3), new float[6], shape(3, 2), shape(2, 3), false, false, Target.MCU32)::allocateTensors);
        assertTrue(e.getMessage().contains("orig_size"), e.getMessage());
    }

    @Test
    void theArenaHoldsTflmsTransposedCopyOfRhsUnlessAdjY() {
        // without adj_y TFLM allocates, 16-aligned, a TfLiteEvalTensor (24 bytes on host64), its dims (4 + 2 * 4) and a
        // copy of rhs's 24 bytes: 32 + 16 + 32 = 80 more bytes than with adj_y
        Interpreter plain = matmul(shape(2, 3), new float[6], shape(3, 2), shape(2, 2), false, false, Target.HOST64);
        Interpreter adjY = matmul(shape(2, 3), new float[6], shape(2, 3), shape(2, 2), false, true, Target.HOST64);
        plain.allocateTensors();
        adjY.allocateTensors();
        assertArrayEquals(new int[] {24, 12, 24, 12}, plain.nodeFootprint(0).prepareBytes());
        assertArrayEquals(new int[] {12}, adjY.nodeFootprint(0).prepareBytes());
        assertEquals(80, plain.arenaUsedBytes() - adjY.arenaUsedBytes());
    }
}
