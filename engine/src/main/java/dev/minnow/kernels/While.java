package dev.minnow.kernels;

import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.SubgraphInvoker;
import dev.minnow.runtime.Tensor;

/**
 * WHILE (TFLM's kernels/while.cc): the node's inputs go to the condition subgraph's inputs and to the node's
 * outputs; while the condition's output 0 is true (its first byte non-zero, as TFLM reads {@code data.b[0]}), the
 * outputs go through the body subgraph and back into the condition. Prepare checks that both subgraphs take the
 * node's inputs and the body gives its outputs; copies made on every eval are checked in prepare, the ones inside the
 * loop when it first runs (TFLM's errors at invoke). A condition that never turns false loops for ever in TFLM; here
 * every iteration counts against the interpreter's {@link dev.minnow.runtime.LoopBudget}, shared by all loops of one invoke.
 */
public final class While implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        Options.While o = Options.While.of(node.options());
        SubgraphInvoker graphs = node.subgraphs();
        int cond = o.condSubgraphIndex(), body = o.bodySubgraphIndex();
        ControlFlow.requireSubgraph(node, graphs, "cond", cond);
        ControlFlow.requireSubgraph(node, graphs, "body", body);
        int n = node.inputCount();
        node.require(n == graphs.inputCount(cond), "has %d inputs, cond-subgraph %d takes %d", n, cond, graphs.inputCount(cond));
        node.require(n == graphs.inputCount(body), "has %d inputs, body-subgraph %d takes %d", n, body, graphs.inputCount(body));
        node.require(n == node.outputCount(), "has %d inputs but %d outputs; they must match", n, node.outputCount());
        node.require(node.outputCount() == graphs.outputCount(body), "has %d outputs, body-subgraph %d gives %d",
                node.outputCount(), body, graphs.outputCount(body));
        // TFLM reads the condition's output 0 without checking it exists.
        node.require(graphs.outputCount(cond) > 0, "cond-subgraph %d has no output to read the condition from", cond);
        Tensor condition = graphs.output(cond, 0);
        node.require(condition.numBytes() > 0, "condition %s of cond-subgraph %d is empty", condition.describe(), cond);
        Tensor[] in = SubgraphCopy.inputs(node, 0);
        Tensor[] out = SubgraphCopy.outputs(node);
        Tensor[] condIn = SubgraphCopy.subgraphInputs(graphs, cond);
        SubgraphCopy enterCond = SubgraphCopy.of(node, "inputs to cond-subgraph " + cond, in, condIn, false).requireValid();
        SubgraphCopy keep = SubgraphCopy.of(node, "inputs to outputs", in, out, false).requireValid();
        SubgraphCopy enterBody = SubgraphCopy.of(node, "outputs to body-subgraph " + body, out,
                SubgraphCopy.subgraphInputs(graphs, body), false);
        SubgraphCopy leaveBody = SubgraphCopy.of(node, "outputs of body-subgraph " + body,
                SubgraphCopy.subgraphOutputs(graphs, body), out, true);
        SubgraphCopy againCond = SubgraphCopy.of(node, "outputs to cond-subgraph " + cond, out, condIn, false);
        dev.minnow.runtime.LoopBudget loops = node.loopBudget();
        String name = node.opCode().displayName() + " (node " + node.nodeIndex()
                + (node.subgraphIndex() == 0 ? "" : " of subgraph " + node.subgraphIndex()) + ")";
        return () -> {
            enterCond.run();
            keep.run();
            graphs.invoke(cond);
            while (condition.array()[condition.offset()] != 0) {
                // TFLM loops as long as the condition says; an untrusted model's loops (nested ones together) are
                // bounded by the budget's iterations per invoke
                loops.iterate(name);
                enterBody.run();
                graphs.invoke(body);
                leaveBody.run();
                againCond.run();
                graphs.invoke(cond);
            }
        };
    }
}
