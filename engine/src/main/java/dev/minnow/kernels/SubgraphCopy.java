package dev.minnow.kernels;

import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/**
 * One of the tensor copies control-flow kernels make between their node's tensors and a subgraph's inputs or outputs
 * (TFLM's {@code CopyOpInputsToSubgraphInputs} and its siblings in kernels/kernel_util.cc): pairwise, byte for byte,
 * skipped where both sides are the same memory. TFLM fails the copy (a kernel error at invoke) when the counts or the
 * byte sizes differ, and asserts that the types agree; a copy that would fail is built here with its error, which
 * {@link #requireValid()} raises in prepare for copies every eval makes and {@link #run()} raises when a conditional
 * copy is reached. Types that differ are rejected at once (TFLM's debug build aborts on them).
 */
final class SubgraphCopy {
    private final Tensor[] from;
    private final Tensor[] to;
    private final String error;

    private SubgraphCopy(Tensor[] from, Tensor[] to, String error) {
        this.from = from;
        this.to = to;
        this.error = error;
    }

    /**
     * The copy {@code from[i]} to {@code to[i]}, described as {@code what} in errors. {@code skipWhenEmpty} is
     * TFLM's CopySubgraphOutputsToOpOutputs, which copies nothing when the subgraph has no outputs.
     */
    static SubgraphCopy of(NodeContext node, String what, Tensor[] from, Tensor[] to, boolean skipWhenEmpty) {
        if (skipWhenEmpty && from.length == 0) return new SubgraphCopy(from, new Tensor[0], null);
        if (from.length != to.length) {
            return new SubgraphCopy(from, to, node.fail("%s: %d tensors for %d", what, from.length, to.length).getMessage());
        }
        String error = null;
        for (int i = 0; i < from.length; i++) {
            Tensor a = from[i], b = to[i];
            node.require(a.dataType() == b.dataType(), "%s: tensor %s and %s have different types", what, a.describe(), b.describe());
            if (error == null && a.numBytes() != b.numBytes()) {
                error = node.fail("%s: tensor %s has %d bytes, %s has %d", what, a.describe(), a.numBytes(), b.describe(), b.numBytes())
                        .getMessage();
            }
        }
        return new SubgraphCopy(from.clone(), to.clone(), error);
    }

    /** Throws the copy's error, for copies every eval makes. */
    SubgraphCopy requireValid() {
        if (error != null) throw new KernelException(error);
        return this;
    }

    /** Copies, or throws the error TFLM's kernel returns at invoke. */
    void run() {
        if (error != null) throw new KernelException(error);
        for (int i = 0; i < from.length; i++) {
            Tensor a = from[i], b = to[i];
            byte[] src = a.array(), dst = b.array();
            if (src == dst && a.offset() == b.offset()) continue;
            System.arraycopy(src, a.offset(), dst, b.offset(), a.numBytes());
        }
    }

    /** The node's inputs from {@code first} on; an omitted one is refused (TFLM dereferences it). */
    static Tensor[] inputs(NodeContext node, int first) {
        Tensor[] t = new Tensor[Math.max(0, node.inputCount() - first)];
        for (int i = 0; i < t.length; i++) {
            t[i] = node.input(first + i);
            node.require(t[i] != null, "input %d is omitted; TFLM copies every input", first + i);
        }
        return t;
    }

    /** The node's outputs. */
    static Tensor[] outputs(NodeContext node) {
        Tensor[] t = new Tensor[node.outputCount()];
        for (int i = 0; i < t.length; i++) t[i] = node.output(i);
        return t;
    }

    /** Subgraph {@code s}'s inputs. */
    static Tensor[] subgraphInputs(dev.minnow.runtime.SubgraphInvoker g, int s) {
        Tensor[] t = new Tensor[g.inputCount(s)];
        for (int i = 0; i < t.length; i++) t[i] = g.input(s, i);
        return t;
    }

    /** Subgraph {@code s}'s outputs. */
    static Tensor[] subgraphOutputs(dev.minnow.runtime.SubgraphInvoker g, int s) {
        Tensor[] t = new Tensor[g.outputCount(s)];
        for (int i = 0; i < t.length; i++) t[i] = g.output(s, i);
        return t;
    }
}
