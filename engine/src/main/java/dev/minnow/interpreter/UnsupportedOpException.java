package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.model.OpCode;

/** The model uses an operator the op resolver has no kernel for. */
public final class UnsupportedOpException extends MinnowException {
    private final OpCode opCode;

    public UnsupportedOpException(OpCode opCode, int nodeIndex) {
        super("operator " + opCode.displayName() + " version " + opCode.version() + " (node " + nodeIndex
                + ") is not supported by this op resolver");
        this.opCode = opCode;
    }

    public OpCode opCode() { return opCode; }
}
