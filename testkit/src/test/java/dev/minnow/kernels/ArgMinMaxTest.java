package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;

/**
 * ARG_MAX and ARG_MIN: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in
 * this package's package-info.
 */
class ArgMinMaxTest {

    private static ModelWriter argMax(String op, int[] inShape, int axis, int[] outShape) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, inShape, null);
        int ax = b.addConstant("axis", DataType.INT32, new int[] {1}, null, ints(axis));
        int out = b.addTensor("out", DataType.INT32, outShape, null);
        b.addOperator(op, 1, new int[] {in, ax}, new int[] {out}, op.equals("ARG_MAX") ? "ArgMaxOptions" : "ArgMinOptions",
                Map.of("outputType", 2));
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void argMaxRejectsAnOutputThatIsNotTheInputShapeWithoutTheAxis() {
        // arg_min_max.h: TFLITE_DCHECK_EQ(input1_shape.Dims(i), output_shape.Dims(i)) (and Dims(i - 1) after the axis)
        rejects(argMax("ARG_MAX", new int[] {2, 3, 4}, 1, new int[] {2, 5}), "input dimension 2 (4) != output dimension 1 (5)");
        rejects(argMax("ARG_MIN", new int[] {2, 3, 4}, -1, new int[] {3, 3}), "input dimension 0 (2) != output dimension 0 (3)");
        allocate(argMax("ARG_MAX", new int[] {2, 3, 4}, 1, new int[] {2, 4}));
    }
}
