package dev.minnow.runtime;

/** A node ready to run: reads its input tensors and writes its outputs, without allocating. */
@FunctionalInterface
public interface PreparedOp {
    void eval();

    /**
     * Returns state the kernel keeps across invokes (outside variable tensors) to its initial value, as TFLM's
     * registration {@code reset} does on {@code MicroInterpreter::Reset()}. Stateless kernels need not override it.
     */
    default void reset() {}
}
