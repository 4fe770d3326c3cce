package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;

/**
 * SLICE: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class SliceTest {

    @Test
    void sliceConstantBoundsOutOfRangeRejectedAtAllocation() {
        // Offset() DCHECKs the indices: TFLM's debug build aborts, so minnow must not wait for invoke.
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {3}, null);
        int begin = b.addConstant("begin", DataType.INT32, new int[] {1}, null, ints(2));
        int size = b.addConstant("size", DataType.INT32, new int[] {1}, null, ints(2));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {2}, null);
        b.addOperator("SLICE", 1, new int[] {in, begin, size}, new int[] {out}, "SliceOptions", Map.of());
        rejects(b.setInputs(in).setOutputs(out), "out of range");
    }
}
