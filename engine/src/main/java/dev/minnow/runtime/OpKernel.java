package dev.minnow.runtime;

/**
 * The implementation of one operator type. {@link #prepare} runs once per node at {@code allocateTensors()}:
 * it validates types, shapes, quantization and options exactly where TFLM's Prepare (or Eval) rejects them,
 * computes everything derivable (multipliers, shifts, padding, tables) and returns the node's
 * {@link PreparedOp}, whose {@code eval()} only moves data. Kernels must not allocate in eval.
 */
@FunctionalInterface
public interface OpKernel {
    PreparedOp prepare(NodeContext node);
}
