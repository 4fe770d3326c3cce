package dev.minnow.kernels;

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

/** RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: hand-computed samples for each option, and the rejections. */
class ResizeTest {
    static Interpreter resize(String op, DataType t, int[] in, int[] out, boolean align, boolean half) {
        return new OneOpModel().input(t, in, t == DataType.FLOAT32 ? null : q(0.1f, 0)).constant(DataType.INT32, shape(2), null, ints(out[1], out[2]))
                .output(t, out, t == DataType.FLOAT32 ? null : q(0.1f, 0))
                .build(op, op.equals("RESIZE_BILINEAR") ? "ResizeBilinearOptions" : "ResizeNearestNeighborOptions",
                        Map.of("alignCorners", align, "halfPixelCenters", half));
    }

    @Test
    void bilinearFloatWithAlignCornersInterpolatesBetweenCorners() {
        float[] out = new float[9];
        resize("RESIZE_BILINEAR", DataType.FLOAT32, shape(1, 2, 2, 1), shape(1, 3, 3, 1), true, false).run(new float[] {0, 1, 2, 3}, out);
        assertArrayEquals(new float[] {0, 0.5f, 1, 1, 1.5f, 2, 2, 2.5f, 3}, out);
    }

    @Test
    void bilinearInt8RoundsHalvesAwayFromZeroIn10BitFixedPoint() {
        // width 2 -> 4: scale 1024 * 2 / 4 = 512; x = 1 samples halfway: (0 + -11) / 2 = -5.5 -> -6; x = 3 clamps to the edge
        byte[] out = new byte[4];
        resize("RESIZE_BILINEAR", DataType.INT8, shape(1, 1, 2, 1), shape(1, 1, 4, 1), false, false).run(new byte[] {0, -11}, out);
        assertArrayEquals(new byte[] {0, -6, -11, -11}, out);
    }

    @Test
    void bilinearRejectsBothFlagsAndASizeOtherThanTheOutputs() {
        assertThrows(MinnowException.class,
                resize("RESIZE_BILINEAR", DataType.FLOAT32, shape(1, 2, 2, 1), shape(1, 3, 3, 1), true, true)::allocateTensors);
        Interpreter i = new OneOpModel().input(DataType.FLOAT32, shape(1, 2, 2, 1), null).constant(DataType.INT32, shape(2), null, ints(3, 2))
                .output(DataType.FLOAT32, shape(1, 3, 3, 1), null).build("RESIZE_BILINEAR", null, null);
        MinnowException e = assertThrows(MinnowException.class, i::allocateTensors);
        assertTrue(e.getMessage().contains("size [3, 2]"), e.getMessage());
    }

    static short[] nearest(boolean align, boolean half) {
        short[] out = new short[5];
        resize("RESIZE_NEAREST_NEIGHBOR", DataType.INT16, shape(1, 1, 3, 1), shape(1, 1, 5, 1), align, half).run(new short[] {1, 2, 3}, out);
        return out;
    }

    @Test
    void nearestNeighborFloorsRoundsOrShiftsByHalfAPixel() {
        assertArrayEquals(new short[] {1, 1, 2, 2, 3}, nearest(false, false)); // floor(x * 0.6)
        assertArrayEquals(new short[] {1, 2, 2, 3, 3}, nearest(true, false));  // round(x * 0.5)
        assertArrayEquals(new short[] {1, 1, 2, 3, 3}, nearest(false, true));  // floor((x + 0.5) * 0.6)
        assertArrayEquals(new short[] {1, 2, 2, 3, 3}, nearest(true, true));   // TFLM takes both: round((x + 0.5) * 0.5)
    }

    @Test
    void nearestNeighborRejectsBool() {
        assertThrows(MinnowException.class,
                resize("RESIZE_NEAREST_NEIGHBOR", DataType.BOOL, shape(1, 1, 1, 1), shape(1, 2, 2, 1), false, false)::allocateTensors);
    }
}
