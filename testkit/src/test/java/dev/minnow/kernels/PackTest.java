package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** PACK: what TFLM accepts where minnow once differed. The audit behind these tests is in this package's package-info. */
class PackTest {

    @Test
    void packInputsNeedOnlyEqualCounts() {
        // PackImpl reads outer * copy_size elements of every input; only input 0's count is DCHECKed.
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2, 3}, null), y = b.addTensor("y", DataType.FLOAT32, new int[] {3, 2}, null);
        int o = b.addTensor("out", DataType.FLOAT32, new int[] {2, 2, 3}, null);
        b.addOperator("PACK", 1, new int[] {x, y}, new int[] {o}, "PackOptions", Map.of("valuesCount", 2, "axis", 0));
        byte[] out = run(b.setInputs(x, y).setOutputs(o), floats(1, 2, 3, 4, 5, 6), floats(7, 8, 9, 10, 11, 12));
        assertArrayEquals(floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), out);
    }
}
