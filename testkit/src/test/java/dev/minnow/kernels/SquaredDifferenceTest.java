package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;

/**
 * SQUARED_DIFFERENCE: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in
 * this package's package-info.
 */
class SquaredDifferenceTest {

    @Test
    void squaredDifferenceEqualInputShapesNeedThatOutputShape() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {3}, null), y = b.addTensor("y", DataType.FLOAT32, new int[] {3}, null);
        int o = b.addTensor("out", DataType.FLOAT32, new int[] {2, 3}, null);
        b.addOperator("SQUARED_DIFFERENCE", 1, new int[] {x, y}, new int[] {o}, "SquaredDifferenceOptions", Map.of());
        rejects(b.setInputs(x, y).setOutputs(o), "MatchingFlatSize", "[2, 3]");
    }
}
