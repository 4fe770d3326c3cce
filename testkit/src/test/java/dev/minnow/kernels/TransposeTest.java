package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * TRANSPOSE: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this
 * package's package-info.
 */
class TransposeTest {

    private static ModelWriter transpose(int[] inShape, int[] perm, int[] permShape, boolean constPerm, int[] outShape) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, inShape, null);
        int p = constPerm ? b.addConstant("perm", DataType.INT32, permShape, null, ints(perm))
                : b.addTensor("perm", DataType.INT32, permShape, null);
        int out = b.addTensor("out", DataType.FLOAT32, outShape, null);
        b.addOperator("TRANSPOSE", 1, new int[] {in, p}, new int[] {out}, "TransposeOptions", Map.of());
        return constPerm ? b.setInputs(in).setOutputs(out) : b.setInputs(in, p).setOutputs(out);
    }

    @Test
    void transposeRejectsRankSix() {
        // transpose_common.cc: NumDimensions(input) <= 5; minnow allowed 6.
        rejects(transpose(new int[] {1, 1, 1, 1, 2, 3}, new int[] {0, 1, 2, 3, 5, 4}, new int[] {6}, true,
                new int[] {1, 1, 1, 1, 3, 2}), "1D-5D", "rank 6");
    }

    @Test
    void transposeRejectsNonConstantPerm() {
        rejects(transpose(new int[] {2, 3}, new int[] {1, 0}, new int[] {2}, false, new int[] {3, 2}), "Non-constant >perm<");
    }

    @Test
    void transposeRejectsPermOfRankTwo() {
        rejects(transpose(new int[] {2, 3}, new int[] {1, 0}, new int[] {1, 2}, true, new int[] {3, 2}), "NumDimensions(perm)");
    }

    @Test
    void transposeRunsARepeatedPermLikeTflm() {
        // TFLM checks only that each entry is in [0, rank); perm [1, 1] on [3, 2] walks out[i][j] = in[i + j].
        byte[] out = run(transpose(new int[] {3, 2}, new int[] {1, 1}, new int[] {2}, true, new int[] {2, 2}),
                floats(0, 1, 2, 3, 4, 5));
        assertArrayEquals(floats(0, 1, 1, 2), out);
    }
}
