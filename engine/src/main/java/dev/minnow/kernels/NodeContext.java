package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.OpCode;

/**
 * What a kernel sees of its node during prepare: its tensors and options, and the means to request memory.
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

    /** Requests scratch memory in the arena for this node's eval (TFLM's RequestScratchBufferInArena). */
    ScratchBuffer requestScratch(int bytes);

    /** A {@link KernelException} naming this node; throw it. */
    default KernelException fail(String format, Object... args) {
        return new KernelException(opCode().displayName() + " (node " + nodeIndex() + "): " + String.format(format, args));
    }

    /** Throws {@link #fail} unless {@code condition} holds. */
    default void require(boolean condition, String format, Object... args) {
        if (!condition) throw fail(format, args);
    }
}
