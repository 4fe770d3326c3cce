package dev.minnow.kernels;

import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A single-op model for kernel tests: runtime inputs (the model's inputs, in order), constants and outputs. */
final class OneOpModel {
    private final ModelWriter b = new ModelWriter();
    private final List<Integer> in = new ArrayList<>(), out = new ArrayList<>(), inputs = new ArrayList<>();

    /** A runtime input. */
    OneOpModel input(DataType t, int[] shape, Quantization q) {
        int i = b.addTensor("in" + in.size(), t, shape, q);
        in.add(i);
        inputs.add(i);
        return this;
    }

    /** A constant input. */
    OneOpModel constant(DataType t, int[] shape, Quantization q, byte[] data) {
        in.add(b.addConstant("c" + in.size(), t, shape, q, data));
        return this;
    }

    OneOpModel output(DataType t, int[] shape, Quantization q) {
        out.add(b.addTensor("out" + out.size(), t, shape, q));
        return this;
    }

    /** The model with the op, not yet allocated. */
    Interpreter build(String op, String optionsType, Map<String, Object> options) {
        return build(op, optionsType, options, Target.MCU32);
    }

    Interpreter build(String op, String optionsType, Map<String, Object> options, Target target) {
        int[] o = out.stream().mapToInt(Integer::intValue).toArray();
        b.addOperator(op, 1, in.stream().mapToInt(Integer::intValue).toArray(), o, optionsType, options);
        b.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(o);
        return new Interpreter(Model.load(b.build()), new InterpreterOptions().setTarget(target));
    }

    static Quantization q(float scale, int zeroPoint) { return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0); }

    static int[] shape(int... d) { return d; }

    static byte[] i32(int... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) bb.putInt(x);
        return bb.array();
    }

    static byte[] i64(long... v) {
        ByteBuffer bb = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) bb.putLong(x);
        return bb.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) bb.putFloat(x);
        return bb.array();
    }
}
