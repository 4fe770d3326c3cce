package dev.minnow.kernels;

import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;

/**
 * SOFTMAX: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class SoftmaxTest {

    @Test
    void softmaxOutputShapeMustMatch() {
        // MatchingFlatSizeSkipDim/MatchingDim DCHECK the shapes; minnow compared element counts only.
        rejects(unary("SOFTMAX", "SoftmaxOptions", Map.of("beta", 1f), DataType.FLOAT32, new int[] {2, 3}, null,
                DataType.FLOAT32, new int[] {3, 2}, null), "MatchingFlatSizeSkipDim");
    }
}
