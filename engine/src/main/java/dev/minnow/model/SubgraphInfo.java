package dev.minnow.model;

import java.util.Arrays;
import java.util.List;

/**
 * A subgraph: its tensors, operators in execution order, and input/output tensor indices.
 *
 * @param index     position in the model's subgraph list (0 = the main subgraph)
 * @param name      the subgraph's name ("" when absent)
 * @param tensors   its tensors; operators and inputs/outputs refer to them by index
 * @param operators its operators in execution order
 * @param inputs    tensor indices of the subgraph's inputs
 * @param outputs   tensor indices of the subgraph's outputs
 */
public record SubgraphInfo(int index, String name, List<TensorInfo> tensors, List<OperatorInfo> operators,
                           int[] inputs, int[] outputs) {
    /** Copies the lists and arrays. */
    public SubgraphInfo {
        tensors = List.copyOf(tensors);
        operators = List.copyOf(operators);
        inputs = inputs.clone();
        outputs = outputs.clone();
    }

    @Override public int[] inputs() { return inputs.clone(); }
    @Override public int[] outputs() { return outputs.clone(); }

    /** Tensor {@code i} of the subgraph. */
    public TensorInfo tensor(int i) { return tensors.get(i); }

    @Override public boolean equals(Object o) {
        return o instanceof SubgraphInfo s && index == s.index && name.equals(s.name) && tensors.equals(s.tensors)
                && operators.equals(s.operators) && Arrays.equals(inputs, s.inputs) && Arrays.equals(outputs, s.outputs);
    }
    @Override public int hashCode() { return index * 31 + tensors.hashCode(); }
}
