package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * GATHER: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this package's
 * package-info.
 */
class GatherTest {

    @Test
    void gatherRejectsConstantPositionsOutsideTheAxis() {
        // gather.cc: TFLITE_DCHECK_LT(coords_data[coord], axis_size), known at allocation when the positions are constant
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {3, 2}, null);
        int pos = b.addConstant("pos", DataType.INT32, new int[] {2}, null, ints(1, 3));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {2, 2}, null);
        b.addOperator("GATHER", 1, new int[] {in, pos}, new int[] {out}, "GatherOptions", Map.of("axis", 0, "batchDims", 0));
        rejects(b.setInputs(in).setOutputs(out), "constant position 3", "[0, 3)");
    }

    @Test
    void gatherAcceptsAnOutputShapeOfAnotherRankWithTheSameElementCount() {
        // GatherPrepare rewrites the output dims itself; only the buffer size, from the model's shape, matters
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {3, 2}, null);
        int pos = b.addConstant("pos", DataType.INT32, new int[] {2}, null, ints(2, 0));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {4}, null);
        b.addOperator("GATHER", 1, new int[] {in, pos}, new int[] {out}, "GatherOptions", Map.of("axis", 0, "batchDims", 0));
        Interpreter i = allocate(b.setInputs(in).setOutputs(out));
        float[] o = new float[4];
        i.runForMultipleInputsOutputs(new Object[] {new float[] {1, 2, 3, 4, 5, 6}}, Map.of(0, o));
        assertArrayEquals(new float[] {5, 6, 1, 2}, o);
    }
}
