package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Single-operator models for the kernel tests: tensors, an op, an allocated interpreter, raw little-endian data. */
final class SingleOp {
    private SingleOp() {}

    /** A tensor of the model: constant when {@code data} is given, a runtime input otherwise. */
    record Spec(DataType type, int[] shape, Quantization quantization, byte[] data) {}

    static Spec tensor(DataType type, int... shape) { return new Spec(type, shape, null, null); }

    static Spec quantized(DataType type, float scale, long zeroPoint, int... shape) {
        return new Spec(type, shape, q(scale, zeroPoint), null);
    }

    static Spec constant(DataType type, byte[] data, int... shape) { return new Spec(type, shape, null, data); }

    static Quantization q(float scale, long zeroPoint) { return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0); }

    /** Builds the model and allocates it (allocation failures propagate). */
    static Interpreter build(String op, String optionsType, Map<String, Object> options, Spec output, Spec... inputs) {
        ModelWriter b = new ModelWriter();
        int[] in = new int[inputs.length];
        List<Integer> runtime = new ArrayList<>();
        for (int k = 0; k < inputs.length; k++) {
            Spec s = inputs[k];
            in[k] = s.data() != null ? b.addConstant("in" + k, s.type(), s.shape(), s.quantization(), s.data())
                    : b.addTensor("in" + k, s.type(), s.shape(), s.quantization());
            if (s.data() == null) runtime.add(in[k]);
        }
        int out = b.addTensor("out", output.type(), output.shape(), output.quantization());
        b.addOperator(op, 1, in, new int[] {out}, optionsType, options == null ? Map.of() : options);
        b.setInputs(runtime.stream().mapToInt(Integer::intValue).toArray()).setOutputs(out);
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        return interp;
    }

    /** Copies the runtime inputs' bytes in, invokes, returns the output's bytes. */
    static byte[] run(Interpreter interp, byte[]... inputs) {
        for (int k = 0; k < inputs.length; k++) interp.getInputTensor(k).copyFrom(inputs[k]);
        interp.invoke();
        return interp.getOutputTensor(0).toByteArray();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] floatBits(int... bits) {
        ByteBuffer b = ByteBuffer.allocate(4 * bits.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : bits) b.putInt(x);
        return b.array();
    }

    static byte[] ints(int... v) { return floatBits(v); }

    static byte[] shorts(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** The float32 values of raw bytes, as bit patterns (so NaNs and signed zeros compare exactly). */
    static int[] bits(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[raw.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = b.getInt(4 * i);
        return out;
    }

    static int[] bits(float... v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToRawIntBits(v[i]);
        return out;
    }
}
