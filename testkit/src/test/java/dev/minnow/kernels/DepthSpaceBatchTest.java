package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.OneOpModel.shape;
import static dev.minnow.writer.LeArrays.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND: hand-computed moves and rejections. */
class DepthSpaceBatchTest {
    static Interpreter depthSpace(String op, int[] in, int[] out, int block) {
        return new OneOpModel().input(DataType.INT8, in, null).output(DataType.INT8, out, null)
                .build(op, op.equals("SPACE_TO_DEPTH") ? "SpaceToDepthOptions" : "DepthToSpaceOptions", Map.of("blockSize", block));
    }

    @Test
    void spaceToDepthStacksEachBlockInRowMajorOrderAndDepthToSpaceUndoesIt() {
        // a 2x4 image of one channel, blocks of 2x2: [[1 2 3 4] [5 6 7 8]] -> pixels (1 2 5 6) and (3 4 7 8)
        byte[] image = {1, 2, 3, 4, 5, 6, 7, 8}, depth = new byte[8], back = new byte[8];
        depthSpace("SPACE_TO_DEPTH", shape(1, 2, 4, 1), shape(1, 1, 2, 4), 2).run(image, depth);
        assertArrayEquals(new byte[] {1, 2, 5, 6, 3, 4, 7, 8}, depth);
        depthSpace("DEPTH_TO_SPACE", shape(1, 1, 2, 4), shape(1, 2, 4, 1), 2).run(depth, back);
        assertArrayEquals(image, back);
    }

    @Test
    void blockSizeZeroAndAnOutputOfAnotherRankAreRejected() {
        assertThrows(MinnowException.class, depthSpace("SPACE_TO_DEPTH", shape(1, 2, 2, 1), shape(1, 2, 2, 1), 0)::allocateTensors);
        MinnowException e = assertThrows(MinnowException.class,
                depthSpace("DEPTH_TO_SPACE", shape(1, 1, 1, 4), shape(2, 2, 1), 2)::allocateTensors);
        assertTrue(e.getMessage().contains("TFLM writes 4 dimensions"), e.getMessage());
    }

    static Interpreter s2b(String op, int[] in, int[] block, int[] pads, int[] out) {
        return new OneOpModel().input(DataType.FLOAT32, in, null).constant(DataType.INT32, shape(block.length), null, ints(block))
                .constant(DataType.INT32, shape(block.length, 2), null, ints(pads)).output(DataType.FLOAT32, out, null).build(op, null, null);
    }

    @Test
    void spaceToBatchPadsWithZeroBytesAndBatchToSpaceCropsThemAway() {
        // a 1x3 row, blocks of 1x2, one pad on the left: padded [0 1 2 3] -> batch 0 takes columns 0 and 2, batch 1 columns 1 and 3
        float[] batches = new float[4], back = new float[3];
        s2b("SPACE_TO_BATCH_ND", shape(1, 1, 3, 1), new int[] {1, 2}, new int[] {0, 0, 1, 0}, shape(2, 1, 2, 1))
                .run(new float[] {1, 2, 3}, batches);
        assertArrayEquals(new float[] {0, 2, 1, 3}, batches);
        s2b("BATCH_TO_SPACE_ND", shape(2, 1, 2, 1), new int[] {1, 2}, new int[] {0, 0, 1, 0}, shape(1, 1, 3, 1)).run(batches, back);
        assertArrayEquals(new float[] {1, 2, 3}, back);
    }

    @Test
    void batchToSpaceRejectsAnOutputItLeavesPartlyUnwritten() {
        // 2 batches of 1x1 with blocks 1x2 fill a 1x2 output; a 1x3 output keeps one pixel TFLM never writes
        MinnowException e = assertThrows(MinnowException.class,
                s2b("BATCH_TO_SPACE_ND", shape(2, 1, 1, 1), new int[] {1, 2}, new int[] {0, 0, 0, 0}, shape(1, 1, 3, 1))::allocateTensors);
        assertTrue(e.getMessage().contains("unwritten"), e.getMessage());
    }

    @Test
    void spaceToBatchNeedsTheInputDepthInTheOutput() {
        assertThrows(MinnowException.class,
                s2b("SPACE_TO_BATCH_ND", shape(1, 2, 2, 2), new int[] {2, 2}, new int[] {0, 0, 0, 0}, shape(4, 1, 1, 1))::allocateTensors);
    }
}
