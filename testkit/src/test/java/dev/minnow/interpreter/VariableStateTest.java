package dev.minnow.interpreter;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variable tensors (LSTM hidden and cell state, SVDF activation state) on corpus models: they start at TFLM's
 * initial value (int8: zero point, others 0), carry over from invoke to invoke, and resetVariableTensors()
 * restores the initial value.
 */
class VariableStateTest {
    private static Path caseDir(String op, String id) {
        Path dir = Corpus.require().resolve("ops").resolve(op).resolve(id);
        assertTrue(Files.isDirectory(dir), "corpus case " + dir + " not found");
        return dir;
    }

    private static List<Tensor> variables(Interpreter it) {
        List<Tensor> v = new ArrayList<>();
        for (int i = 0; i < it.getTensorCount(); i++) if (it.getTensor(i).isVariable()) v.add(it.getTensor(i));
        return v;
    }

    private static void assertInitial(List<Tensor> vars) {
        for (Tensor t : vars) {
            byte fill = t.dataType() == DataType.INT8 ? (byte) t.zeroPoint() : 0;
            byte[] want = new byte[t.numBytes()];
            Arrays.fill(want, fill);
            assertArrayEquals(want, t.toByteArray(), t.name() + " is not at its initial value");
        }
    }

    private static boolean anyChanged(List<Tensor> vars) {
        for (Tensor t : vars) {
            byte fill = t.dataType() == DataType.INT8 ? (byte) t.zeroPoint() : 0;
            for (byte b : t.toByteArray()) if (b != fill) return true;
        }
        return false;
    }

    private static void carryAndReset(Path dir, int expectedVariables) throws IOException {
        Interpreter it = new Interpreter(Model.load(dir.resolve("model.tflite")));
        it.allocateTensors();
        List<Tensor> vars = variables(it);
        assertEquals(expectedVariables, vars.size());
        assertInitial(vars);

        // A sequence: frames invoked in a row, state carried, outputs as TFLM's.
        Path seq = dir.resolve("seq_0");
        byte[] in = Files.readAllBytes(seq.resolve("input_0.bin"));
        byte[] out = Files.readAllBytes(seq.resolve("output_0.bin"));
        int n = it.getInputTensor(0).numBytes(), m = it.getOutputTensor(0).numBytes();
        int frames = in.length / n;
        assertTrue(frames >= 2, "sequence needs at least 2 frames");
        byte[] firstFrameIn = Arrays.copyOfRange(in, 0, n);
        for (int f = 0; f < frames; f++) {
            it.getInputTensor(0).copyFrom(Arrays.copyOfRange(in, f * n, (f + 1) * n));
            it.invoke();
            assertArrayEquals(Arrays.copyOfRange(out, f * m, (f + 1) * m), it.getOutputTensor(0).toByteArray(), "frame " + f);
        }
        assertTrue(anyChanged(vars), "state should have moved away from its initial value");

        // The same first frame again, without reset: the carried state changes the answer.
        it.getInputTensor(0).copyFrom(firstFrameIn);
        it.invoke();
        assertFalse(Arrays.equals(Arrays.copyOfRange(out, 0, m), it.getOutputTensor(0).toByteArray()),
                "output should depend on the carried state");

        // Reset: back to the initial value, and the first frame gives the first output again.
        it.resetVariableTensors();
        assertInitial(vars);
        it.getInputTensor(0).copyFrom(firstFrameIn);
        it.invoke();
        assertArrayEquals(Arrays.copyOfRange(out, 0, m), it.getOutputTensor(0).toByteArray(), "after reset");
    }

    @Test
    void lstmInt8StateCarriesOverAndResets() throws IOException {
        carryAndReset(caseDir("UNIDIRECTIONAL_SEQUENCE_LSTM", "lstm_i8_000"), 2);
    }

    @Test
    void lstmInt16StateCarriesOverAndResets() throws IOException {
        carryAndReset(caseDir("UNIDIRECTIONAL_SEQUENCE_LSTM", "lstm_i16_000"), 2);
    }

    @Test
    void svdfStateCarriesOverAndResets() throws IOException {
        carryAndReset(caseDir("SVDF", "svdf_i8_000"), 1);
    }
}
