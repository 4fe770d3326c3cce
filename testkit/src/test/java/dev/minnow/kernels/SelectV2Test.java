package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * SELECT_V2: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this
 * package's package-info.
 */
class SelectV2Test {

    private static ModelWriter select(int[] c, int[] x, int[] y, int[] out) {
        ModelWriter b = new ModelWriter();
        int ci = b.addTensor("c", DataType.BOOL, c, null);
        int xi = b.addTensor("x", DataType.FLOAT32, x, null);
        int yi = b.addTensor("y", DataType.FLOAT32, y, null);
        int o = b.addTensor("out", DataType.FLOAT32, out, null);
        b.addOperator("SELECT_V2", 1, new int[] {ci, xi, yi}, new int[] {o}, "SelectV2Options", Map.of());
        return b.setInputs(ci, xi, yi).setOutputs(o);
    }

    @Test
    void selectV2SameShapedInputsNeedThatOutputShape() {
        // Equal input shapes take reference_ops::Select, whose MatchingFlatSize DCHECKs the output shape too;
        // minnow broadcast [3] to [2, 3].
        rejects(select(new int[] {3}, new int[] {3}, new int[] {3}, new int[] {2, 3}), "MatchingFlatSize");
    }

    @Test
    void selectV2OutputRankIsTheLargestInputRank() {
        rejects(select(new int[] {3}, new int[] {1}, new int[] {3}, new int[] {2, 3}), "out_dims != output_shape->size", "1 != 2");
    }

    @Test
    void selectV2AcceptsMixedScalars() {
        // All four single-element: TFLM selects element 0 whatever the ranks (minnow rejected y of rank 2 > output rank 1).
        byte[] out = run(select(new int[] {1}, new int[] {}, new int[] {1, 1}, new int[] {1}), new byte[] {0}, floats(1), floats(2));
        assertArrayEquals(floats(2), out);
    }

    @Test
    void selectV2BroadcastsUpToEightDimensions() {
        byte[] out = run(select(new int[] {1, 1, 1, 1, 1, 1, 2}, new int[] {2}, new int[] {1}, new int[] {1, 1, 1, 1, 1, 1, 2}),
                new byte[] {1, 0}, floats(5, 6), floats(9));
        assertArrayEquals(floats(5, 9), out);
    }
}
