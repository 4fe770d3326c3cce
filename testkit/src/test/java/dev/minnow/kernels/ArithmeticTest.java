package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

/**
 * ADD and SUB (the Arithmetic kernel): what TFLM accepts and rejects where minnow once differed, and how it reads odd
 * inputs. The audit behind these tests is in this package's package-info.
 */
class ArithmeticTest {

    private static ModelWriter add(DataType t, long zp1, int[] shape2) {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", t, new int[] {2, 2}, q(0.5f, zp1));
        int y = b.addTensor("y", t, shape2, q(0.5f, 0));
        int o = b.addTensor("o", t, new int[] {2, 2}, q(1f, 0));
        b.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        return b.setInputs(x, y).setOutputs(o);
    }

    @Test
    void addRejectsZeroPointsTheReferenceKernelsDcheck() {
        // integer_ops/add.h CheckArithmeticParams: int8 zero points within [-128, 127]
        rejects(add(DataType.INT8, 200, new int[] {2, 2}), "input 1 zero point 200");
        // add.h AddGeneralParamScale: -32767 < -zero point < 32767 for element-wise int16
        rejects(add(DataType.INT16, 32767, new int[] {2, 2}), "input 1 zero point 32767");
        rejects(add(DataType.INT16, -32768, new int[] {2, 2}), "input 1 zero point -32768");
        // the int16 broadcast path has no such check
        allocate(add(DataType.INT16, 32767, new int[] {1}));
        allocate(add(DataType.INT16, 32766, new int[] {2, 2}));
    }

    // ADD, MAXIMUM and MINIMUM check no input type: inputs are read as the output type
    @Test
    void addReadsAMismatchedInputAsTheOutputTypeLikeTflm() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.INT32, new int[] {2}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {2}, null);
        b.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        Interpreter i = allocate(b.setInputs(x, y).setOutputs(o));
        float[] out = new float[2];
        i.runForMultipleInputsOutputs(new Object[] {new int[] {Float.floatToIntBits(1.5f), Float.floatToIntBits(-4f)},
                new float[] {2f, 1f}}, Map.of(0, out));
        assertArrayEquals(new float[] {3.5f, -3f}, out);

        // an input narrower than the output would be read past its end
        ModelWriter n = new ModelWriter();
        x = n.addTensor("x", DataType.INT8, new int[] {2}, null);
        y = n.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        o = n.addTensor("o", DataType.FLOAT32, new int[] {2}, null);
        n.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        rejects(n.setInputs(x, y).setOutputs(o), "narrower than the output type FLOAT32");
    }

    private static ModelWriter sub(DataType t, int[] sa, Quantization qa, int[] sb, Quantization qb, int[] so, Quantization qo) {
        ModelWriter b = new ModelWriter();
        int a = b.addTensor("a", t, sa, qa), bb = b.addTensor("b", t, sb, qb), o = b.addTensor("out", t, so, qo);
        b.addOperator("SUB", 1, new int[] {a, bb}, new int[] {o}, "SubOptions", Map.of("fusedActivationFunction", 0));
        return b.setInputs(a, bb).setOutputs(o);
    }

    @Test
    void subInt16WithoutBroadcastNeedsZeroInputZeroPoints() {
        // reference_ops::Sub(int16) DCHECKs input1_offset == 0 and input2_offset == 0.
        rejects(sub(DataType.INT16, new int[] {2, 3}, q(0.01f, 3), new int[] {2, 3}, q(0.01f, 0), new int[] {2, 3}, q(0.02f, 0)),
                "input1_offset", "zero points of 0");
        rejects(sub(DataType.INT16, new int[] {3}, q(0.01f, 0), new int[] {1, 3}, q(0.01f, -2), new int[] {1, 3}, q(0.02f, 0)),
                "input2_offset");
        // With a real broadcast TFLM takes BroadcastQuantSubSlow, which has no such check.
        assertDoesNotThrow(() -> run(sub(DataType.INT16, new int[] {2, 3}, q(0.01f, 3), new int[] {1, 3}, q(0.01f, 0),
                new int[] {2, 3}, q(0.02f, 0)), shorts(new short[] {1, 2, 3, 4, 5, 6}), shorts(new short[] {1, 1, 1})));
    }

    @Test
    void subInt32OutputMustBeUnquantized() {
        rejects(sub(DataType.INT32, new int[] {3}, null, new int[] {3}, null, new int[] {3}, q(1f, 0)),
                "output->quantization.type");
    }

    @Test
    void subWithoutBroadcastNeedsTheInputsElementCount() {
        // Equal input shapes skip broadcasting; MatchingElementsSize then TFLITE_CHECKs the output count (minnow broadcast).
        rejects(sub(DataType.FLOAT32, new int[] {3}, null, new int[] {3}, null, new int[] {2, 3}, null), "MatchingElementsSize");
        rejects(sub(DataType.INT8, new int[] {3}, q(0.1f, 0), new int[] {1, 3}, q(0.1f, 0), new int[] {2, 3}, q(0.1f, 0)),
                "MatchingElementsSize");
    }
}
