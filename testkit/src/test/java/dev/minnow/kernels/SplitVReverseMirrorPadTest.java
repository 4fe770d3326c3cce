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

/** SPLIT_V, REVERSE_V2 and MIRROR_PAD: edge cases and rejections the corpus does not cover. */
class SplitVReverseMirrorPadTest {
    static Interpreter splitV(DataType axisType, byte[] axis, int[]... outs) {
        OneOpModel m = new OneOpModel().input(DataType.INT32, shape(2, 3), null).constant(DataType.INT32, shape(2), null, ints(-1, 1))
                .constant(axisType, shape(1), null, axis);
        for (int[] o : outs) m.output(DataType.INT32, o, null);
        return m.build("SPLIT_V", "SplitVOptions", Map.of("numSplits", outs.length));
    }

    @Test
    void splitVFollowsTheOutputShapesNotSizeSplitsAndReadsAnInt64AxisLowWord() {
        // size_splits says [-1, 1]; the outputs take 1 and 2 columns, which is what TFLM copies
        Interpreter i = splitV(DataType.INT64, longs(-1), shape(2, 1), shape(2, 2));
        int[] a = new int[2], b = new int[4];
        i.runForMultipleInputsOutputs(new Object[] {new int[] {1, 2, 3, 4, 5, 6}}, Map.of(0, a, 1, b));
        assertArrayEquals(new int[] {1, 4}, a);
        assertArrayEquals(new int[] {2, 3, 5, 6}, b);
    }

    @Test
    void splitVRejectsOutputsThatDoNotAddUpToTheAxis() {
        Interpreter i = splitV(DataType.INT32, ints(1), shape(2, 1), shape(2, 1));
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("add up to 2, the input has 3"), e.getMessage());
    }

    static Interpreter reverse(boolean constantAxis, int... axes) {
        OneOpModel m = new OneOpModel().input(DataType.INT8, shape(2, 3), null);
        if (constantAxis) m.constant(DataType.INT32, shape(axes.length), null, ints(axes));
        else m.input(DataType.INT32, shape(axes.length), null);
        return m.output(DataType.INT8, shape(2, 3), null).build("REVERSE_V2", null, null);
    }

    @Test
    void reverseV2OverAdjacentAxesInAnyOrder() {
        byte[] out = new byte[6];
        reverse(true, -1, 0).run(new byte[] {1, 2, 3, 4, 5, 6}, out);
        assertArrayEquals(new byte[] {6, 5, 4, 3, 2, 1}, out);
        reverse(true, 1).run(new byte[] {1, 2, 3, 4, 5, 6}, out);
        assertArrayEquals(new byte[] {3, 2, 1, 6, 5, 4}, out);
    }

    @Test
    void reverseV2RejectsRepeatedAndMissingAxes() {
        assertThrows(MinnowException.class, reverse(true, 1, 1)::allocateTensors); // sorted [1, 1] is not contiguous
        assertThrows(MinnowException.class, reverse(true)::allocateTensors);        // TFLM would read axes[-1]
    }

    @Test
    void reverseV2ChecksARuntimeAxisAtInvoke() {
        Interpreter i = reverse(false, 0);
        i.allocateTensors();
        assertThrows(MinnowException.class, () -> i.runForMultipleInputsOutputs(new Object[] {new byte[6], new int[] {2}},
                Map.of(0, new byte[6])));
    }

    static Interpreter mirror(Integer mode, int before, int after, int outLength) {
        return new OneOpModel().input(DataType.FLOAT32, shape(3), null).constant(DataType.INT32, shape(1, 2), null, ints(before, after))
                .output(DataType.FLOAT32, shape(outLength), null)
                .build("MIRROR_PAD", mode == null ? null : "MirrorPadOptions", mode == null ? null : Map.of("mode", mode));
    }

    @Test
    void mirrorPadReflectSkipsTheEdgeAndSymmetricRepeatsIt() {
        float[] out = new float[7];
        mirror(0, 2, 2, 7).run(new float[] {1, 2, 3}, out);
        assertArrayEquals(new float[] {3, 2, 1, 2, 3, 2, 1}, out);
        mirror(1, 2, 2, 7).run(new float[] {1, 2, 3}, out);
        assertArrayEquals(new float[] {2, 1, 1, 2, 3, 3, 2}, out);
    }

    @Test
    void mirrorPadWithoutOptionsIsSymmetricAsTflmLeavesTheModeUnknown() {
        float[] out = new float[5];
        mirror(null, 1, 1, 5).run(new float[] {1, 2, 3}, out);
        assertArrayEquals(new float[] {1, 1, 2, 3, 3}, out);
    }

    @Test
    void mirrorPadRejectsConstantPaddingsThatReadOutsideTheInput() {
        // REFLECT of a 3-element vector can pad at most 2: a padding of 4 makes TFLM read element 4 of 3
        MinnowException e = assertThrows(MinnowException.class, mirror(0, 4, 0, 7)::allocateTensors);
        assertTrue(e.getMessage().contains("read input element"), e.getMessage());
    }
}
