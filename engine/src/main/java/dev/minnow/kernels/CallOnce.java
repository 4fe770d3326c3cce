package dev.minnow.kernels;

import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.SubgraphInvoker;

/**
 * CALL_ONCE (TFLM's kernels/call_once.cc): runs its init subgraph on the first invoke only; a node without inputs or
 * outputs. TFLM's registration has no reset, so {@code Interpreter.reset()} does not make it run again.
 */
public final class CallOnce implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        int init = Options.CallOnce.of(node.options()).initSubgraphIndex();
        node.require(node.inputCount() == 0, "has %d inputs, expected none", node.inputCount());
        node.require(node.outputCount() == 0, "has %d outputs, expected none", node.outputCount());
        SubgraphInvoker graphs = node.subgraphs();
        ControlFlow.requireSubgraph(node, graphs, "init", init);
        return new PreparedOp() {
            private boolean hasRun;

            @Override public void eval() {
                if (hasRun) return;
                graphs.invoke(init);
                hasRun = true;
            }
        };
    }
}
