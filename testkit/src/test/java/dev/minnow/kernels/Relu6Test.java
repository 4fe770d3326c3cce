package dev.minnow.kernels;

import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.KernelTests.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * RELU6: what TFLM accepts and rejects where minnow once differed, and its quantized six on x86. The audit behind
 * these tests is in this package's package-info.
 */
class Relu6Test {

    @Test
    void relu6NeedsEqualShapes() {
        rejects(unary("RELU6", null, null, DataType.INT8, new int[] {2, 3}, q(0.1f, 0), DataType.INT8, new int[] {3, 2},
                q(0.1f, 0)), "MatchingFlatSize");
    
    }

    @Test
    void relu6QuantizedSixOverflowsLikeX86() {
        // round(6 / 1e-10) does not fit int32: x86 converts it to INT32_MIN, so TFLM's six clamps to -128 (not 127).
        byte[] out = run(unary("RELU6", null, null, DataType.INT8, new int[] {3}, q(1e-10f, 0), DataType.INT8, new int[] {3},
                q(1e-10f, 0)), i8(-128, 5, 100));
        assertArrayEquals(i8(0, -128, -128), out);
    }
}
