package dev.minnow.runtime;

/**
 * The model's subgraphs as a control-flow kernel (IF, WHILE, CALL_ONCE) sees them, TFLM's {@code MicroGraph}: how
 * many there are, their input and output tensors, and running one. Counts and tensors (shapes, types) may be read in
 * prepare; a subgraph may only be run from {@link PreparedOp#eval()}. Subgraphs are numbered as in the model (0 is
 * the main subgraph).
 */
public interface SubgraphInvoker {
    /** Number of subgraphs of the model. */
    int subgraphCount();

    /** Number of inputs of subgraph {@code subgraph}. */
    int inputCount(int subgraph);

    /** Number of outputs of subgraph {@code subgraph}. */
    int outputCount(int subgraph);

    /** Input {@code i} of subgraph {@code subgraph}. */
    Tensor input(int subgraph, int i);

    /** Output {@code i} of subgraph {@code subgraph}. */
    Tensor output(int subgraph, int i);

    /** Runs every node of subgraph {@code subgraph} once, in order (TFLM's {@code InvokeSubgraph}). */
    void invoke(int subgraph);
}
