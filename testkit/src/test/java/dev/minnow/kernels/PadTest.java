package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * PAD: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class PadTest {

    private static ModelWriter pad(DataType t, int[] si, Quantization qi, int[] paddings, int[] so) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", t, si, qi);
        int p = b.addConstant("paddings", DataType.INT32, new int[] {si.length, 2}, null, ints(paddings));
        int out = b.addTensor("out", t, so, qi);
        b.addOperator("PAD", 1, new int[] {in, p}, new int[] {out}, "PadOptions", Map.of());
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void padInt8ZeroPointMustBeInt8() {
        rejects(pad(DataType.INT8, new int[] {2}, q(0.1f, 200), new int[] {1, 1}, new int[] {4}), "zero point 200");
    }

    @Test
    void padAcceptsNegativePaddingsLikeTflm() {
        // Only output_dim == input_dim + before + after is checked; PadImpl pads where out >= 5 - 2 and copies input in order.
        byte[] out = run(pad(DataType.FLOAT32, new int[] {4}, null, new int[] {-1, 2}, new int[] {5}), floats(1, 2, 3, 4));
        assertArrayEquals(floats(1, 2, 3, 0, 0), out);
    }
}
