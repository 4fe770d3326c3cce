package dev.minnow.runtime;

import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;

/** The {@link WorkCount} of a node of one kind of operator, from its tensors' shapes and its options. */
@FunctionalInterface
public interface WorkRule {
    /** The node's work; may throw for a malformed node (kernels reject those first). */
    WorkCount of(OperatorInfo op, SubgraphInfo graph);

    /** One element operation per element written to the outputs (element-wise ops, activations, data movement). */
    WorkRule OUTPUT_ELEMENTS = (op, g) -> {
        long n = 0;
        for (int i = 0; i < op.outputCount(); i++) if (op.output(i) >= 0) n += g.tensor(op.output(i)).elementCount();
        return WorkCount.elements(n);
    };

    /** One element operation per element of input 0 (reductions: each read and combined once). */
    WorkRule INPUT_ELEMENTS = (op, g) -> op.inputCount() == 0 || op.input(0) < 0 ? WorkCount.NONE
            : WorkCount.elements(g.tensor(op.input(0)).elementCount());

    /** Three passes over input 0 (softmax-like ops: the maximum, the exponent sum, the normalisation). */
    WorkRule THREE_PASSES = (op, g) -> WorkCount.elements(3 * g.tensor(op.input(0)).elementCount());
}
