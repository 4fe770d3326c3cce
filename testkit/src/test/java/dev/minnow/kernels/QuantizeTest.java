package dev.minnow.kernels;

import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.KernelTests.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * QUANTIZE: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this
 * package's package-info.
 */
class QuantizeTest {

    @Test
    void quantizeFromFloatNeedsEqualShapes() {
        rejects(unary("QUANTIZE", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.INT8, new int[] {3, 2},
                q(0.1f, 0)), "MatchingFlatSize");
        // int8 -> int8 requantization walks the element count only, as TFLM's Requantize.
        assertDoesNotThrow(() -> run(unary("QUANTIZE", null, null, DataType.INT8, new int[] {2, 3}, q(0.1f, 0), DataType.INT8,
                new int[] {3, 2}, q(0.2f, 0)), new byte[6]));
    }
}
