package dev.minnow.kernels;

import dev.minnow.model.DataType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;

/**
 * SQUEEZE: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class SqueezeTest {

    @Test
    void squeezeKeptDimensionsMustFit() {
        // squeeze.cc TFLITE_CHECK_GE(output dim, input dim) for every kept dimension; the counts alone matched.
        rejects(unary("SQUEEZE", "SqueezeOptions", Map.of("squeezeDims", new int[] {0}), DataType.FLOAT32, new int[] {1, 2, 3},
                null, DataType.FLOAT32, new int[] {3, 2}, null), "smaller than input dimension");
    }
}
