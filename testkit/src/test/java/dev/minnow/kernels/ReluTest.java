package dev.minnow.kernels;

import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.KernelTests.*;

/**
 * RELU: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class ReluTest {

    @Test
    void reluNeedsEqualShapes() {
        rejects(unary("RELU", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.FLOAT32, new int[] {6}, null),
                "MatchingFlatSize");
    }
}
