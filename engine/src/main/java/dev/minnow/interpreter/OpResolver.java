package dev.minnow.interpreter;

import dev.minnow.kernels.OpKernel;
import dev.minnow.model.OpCode;

/** Finds the kernel for an operator code; null when the op is not supported. */
@FunctionalInterface
public interface OpResolver {
    OpKernel find(OpCode code);
}
