package dev.minnow.kernels;

import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Single-operator models for the kernel tests: built step by step (runtime inputs, the model's inputs in order;
 * constants; outputs) or in one call from {@link Spec}s with {@link #allocated}. Tensor data comes from
 * {@code dev.minnow.writer.LeArrays}, running from {@link KernelTests#run(Interpreter, byte[]...)}.
 */
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

    /** An output of the op (and of the model). */
    OneOpModel output(DataType t, int[] shape, Quantization q) {
        out.add(b.addTensor("out" + out.size(), t, shape, q));
        return this;
    }

    /** The model with the op, not yet allocated. */
    Interpreter build(String op, String optionsType, Map<String, Object> options) {
        return build(op, optionsType, options, Target.MCU32);
    }

    /** The model with the op for {@code target}, not yet allocated. */
    Interpreter build(String op, String optionsType, Map<String, Object> options, Target target) {
        int[] o = out.stream().mapToInt(Integer::intValue).toArray();
        b.addOperator(op, 1, in.stream().mapToInt(Integer::intValue).toArray(), o, optionsType,
                options == null ? Map.of() : options);
        b.setInputs(inputs.stream().mapToInt(Integer::intValue).toArray()).setOutputs(o);
        return new Interpreter(Model.load(b.build()), new InterpreterOptions().setTarget(target));
    }

    /** A tensor of a one-call model: constant when {@code data} is given, a runtime input otherwise. */
    record Spec(DataType type, int[] shape, Quantization quantization, byte[] data) {}

    /** An unquantized runtime tensor. */
    static Spec tensor(DataType type, int... shape) { return new Spec(type, shape, null, null); }

    /** A per-tensor quantized runtime tensor. */
    static Spec quantized(DataType type, float scale, long zeroPoint, int... shape) {
        return new Spec(type, shape, KernelTests.q(scale, zeroPoint), null);
    }

    /** An unquantized constant tensor. */
    static Spec constant(DataType type, byte[] data, int... shape) { return new Spec(type, shape, null, data); }

    /** The one-output model of {@code op} on {@code inputs} (in order), allocated (allocation failures propagate). */
    static Interpreter allocated(String op, String optionsType, Map<String, Object> options, Spec output, Spec... inputs) {
        OneOpModel m = new OneOpModel();
        for (Spec s : inputs) {
            if (s.data() != null) m.constant(s.type(), s.shape(), s.quantization(), s.data());
            else m.input(s.type(), s.shape(), s.quantization());
        }
        Interpreter interp = m.output(output.type(), output.shape(), output.quantization()).build(op, optionsType, options);
        interp.allocateTensors();
        return interp;
    }

    /** The dimensions, as written. */
    static int[] shape(int... d) { return d; }
}
