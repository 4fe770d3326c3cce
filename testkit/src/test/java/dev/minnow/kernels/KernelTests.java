package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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

    static byte[] i8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    static byte[] i16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] i64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
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
        for (int k = 0; k < inputs.length; k++) it.getInputTensor(k).copyFrom(inputs[k]);
        it.invoke();
        return it.getOutputTensor(0).toByteArray();
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
