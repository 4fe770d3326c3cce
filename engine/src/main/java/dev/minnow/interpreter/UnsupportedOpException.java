package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.model.OpCode;

/** The model uses an operator the op resolver has no kernel for. */
public final class UnsupportedOpException extends MinnowException {
    private final OpCode opCode;

    /** The op of node {@code nodeIndex} of the main subgraph. */
    public UnsupportedOpException(OpCode opCode, int nodeIndex) { this(opCode, 0, nodeIndex); }

    /** The op of node {@code nodeIndex} of subgraph {@code subgraph}. */
    public UnsupportedOpException(OpCode opCode, int subgraph, int nodeIndex) {
        super("operator " + opCode.displayName() + " version " + opCode.version() + " (node " + nodeIndex
                + (subgraph == 0 ? "" : " of subgraph " + subgraph) + ") is not supported by this op resolver");
        this.opCode = opCode;
    }

    /** The operator code no kernel was found for. */
    public OpCode opCode() { return opCode; }
}
