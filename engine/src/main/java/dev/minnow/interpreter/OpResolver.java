package dev.minnow.interpreter;

import dev.minnow.model.OpCode;
import dev.minnow.runtime.OpDescriptor;

/** Finds the descriptor (kernel, arena footprint, work) for an operator code; null when the op is not supported. */
@FunctionalInterface
public interface OpResolver {
    /** The descriptor of {@code code}'s op and version, or null when this resolver does not support it. */
    OpDescriptor find(OpCode code);
}
