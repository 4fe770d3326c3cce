package dev.minnow.arena;

import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;

/** How TFLM's allocator sees one kind of operator: the {@link NodeFootprint} of a node on a target. */
@FunctionalInterface
public interface FootprintRule {
    /** The node's footprint; may throw for a malformed node (kernels reject those first). */
    NodeFootprint of(OperatorInfo op, SubgraphInfo graph, Target target);

    /** Nothing in the arena beyond the node itself (a custom kernel registered without a footprint). */
    FootprintRule NONE = (op, g, t) -> NodeFootprint.NONE;
}
