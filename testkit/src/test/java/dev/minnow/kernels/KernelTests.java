package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.LeArrays;
import dev.minnow.writer.ModelWriter;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Shared helpers of the kernel tests: quantization, little-endian tensor data, and one-op models built and run. */
final class KernelTests {
    private KernelTests() {}

    /** Per-tensor quantization. */
    static Quantization q(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    /** int8 (or uint8, bool) values as bytes, each the low 8 bits of an int so literals need no casts. */
    static byte[] i8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** Loads the model and allocates its tensors (which runs every kernel's prepare). */
    static Interpreter allocate(ModelWriter b) {
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        return interp;
    }

    /** The model loads, and allocation fails with a MinnowException whose message names every word. */
    static void rejects(ModelWriter b, String... words) {
        Interpreter it = new Interpreter(Model.load(b.build()));
        MinnowException e = assertThrows(MinnowException.class, it::allocateTensors);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should name '" + w + "'");
        }
    }

    /** Allocates, copies the inputs in, invokes and returns output 0's bytes. */
    static byte[] run(ModelWriter b, byte[]... inputs) {
        Interpreter it = new Interpreter(Model.load(b.build()));
        assertDoesNotThrow(it::allocateTensors);
        return run(it, inputs);
    }

    /** Copies the runtime inputs' bytes into an allocated interpreter, invokes, returns output 0's bytes. */
    static byte[] run(Interpreter it, byte[]... inputs) {
        for (int k = 0; k < inputs.length; k++) it.getInputTensor(k).copyFrom(inputs[k]);
        it.invoke();
        return it.getOutputTensor(0).toByteArray();
    }

    /** The float32 values of raw bytes, as bit patterns (so NaNs and signed zeros compare exactly). */
    static int[] bits(byte[] raw) {
        return LeArrays.toInts(raw);
    }

    /** The bit patterns of float32 values. */
    static int[] bits(float... v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }

    /** A one-input, one-output model of {@code op}. */
    static ModelWriter unary(String op, String optionsType, Map<String, Object> options, DataType ti, int[] si,
                              Quantization qi, DataType to, int[] so, Quantization qo) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", ti, si, qi), out = b.addTensor("out", to, so, qo);
        b.addOperator(op, 1, new int[] {in}, new int[] {out}, optionsType, options);
        return b.setInputs(in).setOutputs(out);
    }
}
