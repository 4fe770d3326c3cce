package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * MAXIMUM and MINIMUM: how TFLM reads odd inputs, where minnow once differed. The audit behind these tests is in this
 * package's package-info.
 */
class MinMaxTest {

    // ADD, MAXIMUM and MINIMUM check no input type: inputs are read as the output type
    @Test
    void maximumReadsAMismatchedInputAsTheOutputTypeLikeTflm() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.INT16, new int[] {2}, null);
        int y = b.addTensor("y", DataType.INT8, new int[] {2}, null);
        int o = b.addTensor("o", DataType.INT8, new int[] {2}, null);
        b.addOperator("MAXIMUM", 1, new int[] {x, y}, new int[] {o}, null, null);
        Interpreter i = allocate(b.setInputs(x, y).setOutputs(o));
        byte[] out = new byte[2];
        // int16 {0x0105, 3} is the bytes 05 01 03 00; read as int8: 5, 1
        i.runForMultipleInputsOutputs(new Object[] {new short[] {0x0105, 3}, new byte[] {2, 4}}, Map.of(0, out));
        assertArrayEquals(new byte[] {5, 4}, out);
    }
}
