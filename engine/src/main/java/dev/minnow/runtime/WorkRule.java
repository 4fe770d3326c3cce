package dev.minnow.runtime;

import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;

/** The {@link WorkCount} of a node of one kind of operator, from its tensors' shapes and its options. */
@FunctionalInterface
public interface WorkRule {
    /** The node's work; may throw for a malformed node (kernels reject those first). */
    WorkCount of(OperatorInfo op, SubgraphInfo graph);

    /** One element operation per element of output 0 (element-wise ops, activations, data movement). */
    WorkRule OUTPUT_ELEMENTS = (op, g) -> op.outputCount() == 0 ? WorkCount.NONE
            : WorkCount.elements(g.tensor(op.output(0)).elementCount());

    /** One element operation per element of input 0 (reductions). */
    WorkRule INPUT_ELEMENTS = (op, g) -> op.inputCount() == 0 || op.input(0) < 0 ? WorkCount.NONE
            : WorkCount.elements(g.tensor(op.input(0)).elementCount());
}
