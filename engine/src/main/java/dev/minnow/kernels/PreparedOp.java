package dev.minnow.kernels;

/** A node ready to run: reads its input tensors and writes its outputs, without allocating. */
@FunctionalInterface
public interface PreparedOp {
    void eval();
}
