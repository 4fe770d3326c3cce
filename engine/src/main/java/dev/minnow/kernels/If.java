package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.SubgraphInvoker;
import dev.minnow.runtime.Tensor;

/**
 * IF (TFLM's kernels/if.cc): input 0 is a one-element bool condition; the other inputs are copied into the then or
 * else subgraph's inputs, that subgraph runs, and its outputs are copied to the node's outputs. Prepare checks the
 * condition and that the then branch takes the node's inputs and gives its outputs; the else branch's counts and
 * sizes are only checked by the copies when it runs (an error at invoke, as in TFLM).
 */
public final class If implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        Options.If o = Options.If.of(node.options());
        node.require(node.inputCount() > 0, "has no inputs; input 0 is the condition");
        Tensor cond = node.input(0);
        node.require(cond != null, "condition (input 0) is omitted");
        node.require(cond.dataType() == DataType.BOOL, "condition %s must be bool", cond.describe());
        node.require(cond.numElements() == 1, "condition %s must have one element, has %d", cond.describe(), cond.numElements());
        SubgraphInvoker graphs = node.subgraphs();
        int then = o.thenSubgraphIndex(), otherwise = o.elseSubgraphIndex();
        ControlFlow.requireSubgraph(node, graphs, "then", then);
        ControlFlow.requireSubgraph(node, graphs, "else", otherwise);
        int inputs = node.inputCount() - 1;
        node.require(inputs == graphs.inputCount(then), "passes %d inputs to then-subgraph %d, which takes %d", inputs, then,
                graphs.inputCount(then));
        node.require(node.outputCount() == graphs.outputCount(then), "has %d outputs, then-subgraph %d gives %d",
                node.outputCount(), then, graphs.outputCount(then));
        Tensor[] in = SubgraphCopy.inputs(node, 1);
        Tensor[] out = SubgraphCopy.outputs(node);
        SubgraphCopy[] enter = new SubgraphCopy[2], leave = new SubgraphCopy[2];
        int[] branch = {then, otherwise};
        for (int b = 0; b < 2; b++) {
            String name = b == 0 ? "then" : "else";
            enter[b] = SubgraphCopy.of(node, "inputs to " + name + "-subgraph " + branch[b], in,
                    SubgraphCopy.subgraphInputs(graphs, branch[b]), false);
            leave[b] = SubgraphCopy.of(node, "outputs of " + name + "-subgraph " + branch[b],
                    SubgraphCopy.subgraphOutputs(graphs, branch[b]), out, true);
        }
        return () -> {
            int b = cond.array()[cond.offset()] != 0 ? 0 : 1;
            enter[b].run();
            graphs.invoke(branch[b]);
            leave[b].run();
        };
    }
}
