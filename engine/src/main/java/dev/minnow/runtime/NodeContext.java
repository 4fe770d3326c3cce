package dev.minnow.runtime;

import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.OpCode;
import dev.minnow.runtime.Tensor;

/**
 * What a kernel sees of its node during prepare: its tensors, options and scratch buffers. Kernels never see the
 * allocator or the interpreter.
 * Tensor objects stay valid for eval; their data arrays are assigned once the arena is planned.
 */
public interface NodeContext {
    /** Position of the node in the subgraph's execution order. */
    int nodeIndex();

    OpCode opCode();

    BuiltinOptions options();

    /** Raw custom options (flexbuffer) of custom ops, empty otherwise. */
    byte[] customOptions();

    int inputCount();

    /** Input i, or null when the model marks it omitted (-1) or i is past the last input. */
    Tensor input(int i);

    int outputCount();

    Tensor output(int i);

    int intermediateCount();

    Tensor intermediate(int i);

    /**
     * Scratch buffer {@code k} of this node: the k-th request of TFLM's RequestScratchBufferInArena as the op's arena
     * footprint declares it, planned in the arena head and valid from the first eval on. Kernels that do not need
     * scratch in Java leave theirs unused (the arena still holds them, as TFLM's does).
     */
    ScratchBuffer scratch(int k);

    /**
     * Whether the kernel may run a fast implementation where one qualifies (same bytes as the reference loops), or
     * must run the reference loops; the interpreter's {@code InterpreterOptions.setUseFastKernels}. Default: reference.
     */
    default boolean useFastKernels() { return false; }

    /** A {@link KernelException} naming this node; throw it. */
    default KernelException fail(String format, Object... args) {
        return new KernelException(opCode().displayName() + " (node " + nodeIndex() + "): " + String.format(format, args));
    }

    /** Throws {@link #fail} unless {@code condition} holds. */
    default void require(boolean condition, String format, Object... args) {
        if (!condition) throw fail(format, args);
    }
}
