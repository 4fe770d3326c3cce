package dev.minnow.runtime;

import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.OpCode;
import dev.minnow.runtime.Tensor;

/**
 * What a kernel sees of its node during prepare: its tensors, options and scratch buffers, and for the control-flow
 * and resource-variable ops the narrow capabilities they need ({@link #subgraphs()}, {@link #resourceVariables()}).
 * Kernels never see the allocator or the interpreter.
 * Tensor objects stay valid for eval; their data arrays are assigned once the arena is planned.
 */
public interface NodeContext {
    /** Position of the node in the subgraph's execution order. */
    int nodeIndex();

    /** The subgraph the node belongs to (0 = the main subgraph). */
    default int subgraphIndex() { return 0; }

    /** The operator code of the node. */
    OpCode opCode();

    /** The node's builtin options ({@link BuiltinOptions#NONE} when absent). */
    BuiltinOptions options();

    /** Raw custom options (flexbuffer) of custom ops, empty otherwise. */
    byte[] customOptions();

    /** Number of inputs, omitted optional ones included. */
    int inputCount();

    /** Input i, or null when the model marks it omitted (-1) or i is past the last input. */
    Tensor input(int i);

    /** Number of outputs. */
    int outputCount();

    /** Output {@code i}. */
    Tensor output(int i);

    /** Number of intermediate tensors. */
    int intermediateCount();

    /** Intermediate tensor {@code i}, null when omitted or absent. */
    Tensor intermediate(int i);

    /**
     * Scratch buffer {@code k} of this node: the k-th request of TFLM's RequestScratchBufferInArena as the op's arena
     * footprint declares it, planned in the arena head and valid from the first eval on. Kernels that do not need
     * scratch in Java leave theirs unused (the arena still holds them, as TFLM's does).
     */
    ScratchBuffer scratch(int k);

    /**
     * The model's subgraphs, for control-flow kernels: their tensors in prepare, running them in eval. The default
     * (a context that runs a single subgraph) has none to offer.
     */
    default SubgraphInvoker subgraphs() {
        throw fail("needs the model's subgraphs, which this context does not provide");
    }

    /** The model's resource variables, or null when the interpreter has none (TFLM's missing MicroResourceVariables). */
    default ResourceVariables resourceVariables() { return null; }

    /**
     * A counter shared by every node of this interpreter under {@code key}, for the TFLM kernels that keep a
     * function-static count across Prepare calls (CIRCULAR_BUFFER's {@code cb_prepare_count}): a process running one
     * interpreter, as a device does, has exactly one. The default (a context of no interpreter) gives a fresh counter.
     */
    default java.util.concurrent.atomic.AtomicInteger interpreterCounter(String key) {
        return new java.util.concurrent.atomic.AtomicInteger();
    }

    /**
     * Whether the kernel may run a fast implementation where one qualifies (same bytes as the reference loops), or
     * must run the reference loops; the interpreter's {@code InterpreterOptions.setUseFastKernels}. Default: reference.
     */
    default boolean useFastKernels() { return false; }

    /**
     * The threads one node's eval may use ({@code InterpreterOptions.setNumThreads}); 1, the default, means the
     * invoking thread alone. Kernels split only work large enough to pay for the hand-over.
     */
    default int threads() { return 1; }

    /**
     * The fewest multiply-accumulates (or element operations) worth one range of a split
     * ({@code InterpreterOptions.setMinSplitWork}): a kernel cuts its work into ranges no smaller.
     */
    default long minSplitWork() { return DEFAULT_MIN_SPLIT_WORK; }

    /** The default {@link #minSplitWork()}: 65,536 multiply-accumulates per range. */
    long DEFAULT_MIN_SPLIT_WORK = 1L << 16;

    /**
     * {@code task} over items {@code [0, count)} cut into at most {@link #threads()} contiguous ranges of at least
     * {@code minItems} items each (fewer ranges when {@code count} is small), run on the interpreter's intra-op
     * workers with the invoking thread taking the first. Call it in prepare; the result runs per eval without
     * allocating. The default (no workers) runs {@code task.run(0, count)} on the invoking thread.
     */
    default SplitTask split(RangeTask task, int count, int minItems) { return () -> task.run(0, count); }

    /** Prepare-time heap a context without an interpreter lets one node's tables take. */
    long STANDALONE_HEAP_LIMIT = 64L << 20;

    /**
     * Accounts {@code bytes} of heap a kernel is about to allocate in prepare for a table sized by model numbers (index
     * maps, accumulators) against the interpreter's budget, before allocating it; throws
     * {@link dev.minnow.BudgetExceededException} naming this node when the budget would be exceeded.
     */
    default void reserveHeap(long bytes, String what) {
        if (bytes > STANDALONE_HEAP_LIMIT) {
            String where = subgraphIndex() == 0 ? "node " + nodeIndex() : "node " + nodeIndex() + " of subgraph " + subgraphIndex();
            throw new dev.minnow.BudgetExceededException("bytes of prepare-time heap", bytes, STANDALONE_HEAP_LIMIT,
                    opCode().displayName() + " (" + where + "): " + what);
        }
    }

    /**
     * The iteration count shared by every loop (WHILE) of the interpreter, which stops an invoke whose loops together
     * run more than the budget's iterations; unbounded by default.
     */
    default LoopBudget loopBudget() { return LoopBudget.unbounded(); }

    /** A {@link KernelException} naming this node; throw it. */
    default KernelException fail(String format, Object... args) {
        String where = subgraphIndex() == 0 ? "node " + nodeIndex() : "node " + nodeIndex() + " of subgraph " + subgraphIndex();
        return new KernelException(opCode().displayName() + " (" + where + "): " + String.format(format, args));
    }

    /** Throws {@link #fail} unless {@code condition} holds. */
    default void require(boolean condition, String format, Object... args) {
        if (!condition) throw fail(format, args);
    }
}
