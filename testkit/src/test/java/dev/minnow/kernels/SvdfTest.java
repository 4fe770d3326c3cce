package dev.minnow.kernels;

import dev.minnow.writer.LeArrays;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Float SVDF on a model small enough to follow by hand: the state shifts, the time weights apply per filter. */
class SvdfTest {
    private static Model model(int rank) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, 2}, null);
        int wf = b.addConstant("wf", DataType.FLOAT32, new int[] {2, 2}, null, LeArrays.floats(1, 0, 0, 1));
        int wt = b.addConstant("wt", DataType.FLOAT32, new int[] {2, 2}, null, LeArrays.floats(1, 10, 2, 20));
        int units = 2 / rank;
        int bias = b.addConstant("bias", DataType.FLOAT32, new int[] {units}, null, rank == 1 ? LeArrays.floats(0.5f, -0.5f) : LeArrays.floats(0.5f));
        int state = b.addVariable("state", DataType.FLOAT32, new int[] {1, 4}, null);
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {1, units}, null);
        b.addOperator("SVDF", 1, new int[] {in, wf, wt, bias, state}, new int[] {out}, "SVDFOptions",
                Map.of("rank", rank, "fusedActivationFunction", 0));
        b.setInputs(in).setOutputs(out);
        return Model.load(b.build());
    }

    @Test
    void stateShiftsAndTimeWeightsApply() {
        Interpreter it = new Interpreter(model(1));
        float[] out = new float[2];
        // state [0, 3 | 0, 4]: filter0 = 1*0 + 10*3 = 30, filter1 = 2*0 + 20*4 = 80; + bias
        it.run(new float[] {3, 4}, out);
        assertArrayEquals(new float[] {30.5f, 79.5f}, out);
        // shift left by one: [3, 0, 4, 4], new column -> [3, 1 | 4, 2]: 3 + 10 = 13, 8 + 40 = 48
        it.run(new float[] {1, 2}, out);
        assertArrayEquals(new float[] {13.5f, 47.5f}, out);
        it.resetVariableTensors();
        it.run(new float[] {1, 2}, out); // [0, 1 | 0, 2]: 10, 40
        assertArrayEquals(new float[] {10.5f, 39.5f}, out);
    }

    @Test
    void rankSumsFilters() {
        Interpreter it = new Interpreter(model(2));
        float[] out = new float[1];
        it.run(new float[] {3, 4}, out); // one unit = filter0 + filter1 = 30 + 80, + 0.5
        assertArrayEquals(new float[] {110.5f}, out);
    }

    @Test
    void rankMustDivideFilters() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> new Interpreter(model(3)).allocateTensors());
        assertTrue(e.getMessage().contains("rank 3"), e.getMessage());
    }

    @Test
    void activations() {
        assertEquals(0f, Svdf.activate(1, -2f));
        assertEquals(1f, Svdf.activate(2, 3f));
        assertEquals(6f, Svdf.activate(3, 7f));
        assertEquals(1f, Svdf.activate(5, -0f));  // sign bit
        assertEquals(0f, Svdf.activate(1, Float.NaN)); // fmax ignores NaN
    }
}
