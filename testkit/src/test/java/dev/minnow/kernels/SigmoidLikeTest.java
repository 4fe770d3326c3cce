package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import static dev.minnow.kernels.KernelTests.*;

/**
 * LOGISTIC and TANH: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this
 * package's package-info.
 */
class SigmoidLikeTest {

    private static ModelWriter logistic16(float inputScale) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {4}, q(inputScale, 0));
        int out = b.addTensor("out", DataType.INT16, new int[] {4}, q(1f / 32768, 0));
        b.addOperator("LOGISTIC", 1, new int[] {in}, new int[] {out}, null, null);
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void int16LogisticRejectsAnInputScaleWhoseTableMultiplierExceeds32767() {
        // logistic_common.cc: TFLITE_DCHECK_LE(data->input_multiplier, 32767); 3.0 * 4096 * 3 = 36864
        rejects(logistic16(3.0f), "data->input_multiplier <= 32767", "36864");
        allocate(logistic16(2.5f)); // 30720 fits
    }

    @Test
    void tanhNeedsEqualShapes() {
        rejects(unary("TANH", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.FLOAT32, new int[] {3, 2}, null),
                "MatchingFlatSize");
    }
}
