package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.SubgraphInvoker;

/** Checks the control-flow kernels (IF, WHILE, CALL_ONCE) share. */
final class ControlFlow {
    private ControlFlow() {}

    /**
     * TFLM's Prepare checks {@code index < NumSubgraphs()}; a negative index crashes its memory planner, so it is refused
     * here too. (A subgraph that runs itself is refused by the arena plan, which walks the calls from the main
     * subgraph as TFLM's planner does.)
     */
    static void requireSubgraph(NodeContext node, SubgraphInvoker graphs, String role, int index) {
        node.require(index >= 0 && index < graphs.subgraphCount(), "%s-subgraph %d does not exist: the model has %d subgraphs",
                role, index, graphs.subgraphCount());
    }
}
