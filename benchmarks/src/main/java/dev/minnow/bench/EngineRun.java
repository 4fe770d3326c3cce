package dev.minnow.bench;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import dev.minnow.runtime.WorkCount;

import java.util.ArrayList;
import java.util.List;

/**
 * The benchmarks' only use of the interpreter API (the engine's internals are being reshaped; keep every call
 * here): a model loaded, allocated and given its inputs, ready to invoke.
 */
public final class EngineRun {
    private final Interpreter interpreter;

    /** System property naming the intra-op threads of the benchmarked interpreters ({@code -Dminnow.bench.threads=2}; default 1). */
    public static final String THREADS_PROPERTY = "minnow.bench.threads";

    private EngineRun(Interpreter interpreter) { this.interpreter = interpreter; }

    /** The benchmark JVM's interpreter options: default, with {@value #THREADS_PROPERTY} intra-op threads. */
    private static InterpreterOptions options() {
        return new InterpreterOptions().setNumThreads(Integer.getInteger(THREADS_PROPERTY, 1));
    }

    /** Loads the model, allocates its tensors and copies one byte array into each input, in input order. */
    public static EngineRun open(byte[] model, List<byte[]> inputs) {
        Interpreter interpreter = new Interpreter(Model.load(model), options());
        interpreter.allocateTensors();
        if (inputs.size() != interpreter.getInputTensorCount()) {
            throw new IllegalArgumentException("the model takes " + interpreter.getInputTensorCount() + " inputs, "
                    + inputs.size() + " given");
        }
        for (int i = 0; i < inputs.size(); i++) interpreter.getInputTensor(i).copyFrom(inputs.get(i));
        return new EngineRun(interpreter);
    }

    /** The work of one invoke of the model: the engine's {@link Interpreter#nodeWork} summed over its nodes. */
    public static WorkCount work(byte[] model) {
        Model m = Model.load(model);
        Interpreter interpreter = new Interpreter(m);
        interpreter.allocateTensors();
        WorkCount sum = WorkCount.NONE;
        for (int i = 0; i < m.mainSubgraph().operators().size(); i++) sum = sum.plus(interpreter.nodeWork(i));
        return sum;
    }

    /** One invoke: the timed operation. */
    public void invoke() { interpreter.invoke(); }

    /** Invokes once and returns copies of the outputs (what the benchmark's sides are compared on). */
    public List<byte[]> runOnce() {
        invoke();
        return outputs();
    }

    /** Copies of the output tensors' bytes, in output order. */
    public List<byte[]> outputs() {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < interpreter.getOutputTensorCount(); i++) out.add(interpreter.getOutputTensor(i).toByteArray());
        return out;
    }
}
