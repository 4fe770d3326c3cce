package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.KernelTests.*;

/**
 * EXP: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class ExpTest {

    @Test
    void expRejectsAnOutputShapeThatOnlyMatchesInElementCount() {
        // exp.cc: TF_LITE_ENSURE_EQ(output->dims->size, input->dims->size) and every dimension equal
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {2, 3}, null);
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {6}, null);
        b.addOperator("EXP", 1, new int[] {in}, new int[] {out}, null, null);
        rejects(b.setInputs(in).setOutputs(out), "output shape [6] != input shape [2, 3]");
    }
}
