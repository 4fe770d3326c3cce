package dev.minnow.arena;

import dev.minnow.model.BuiltinOperator;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;

/**
 * The subgraphs a control-flow operator runs, as TFLM's memory planner reads them
 * ({@code AllocationInfoBuilder::MarkSubgraphLifetimesIfNecessary}): IF its then and else branches, WHILE its
 * condition and body, CALL_ONCE its init subgraph, in that order. The planner dereferences the options table
 * without a check, so a control-flow operator without its options is an {@link ArenaPlanException} here (TFLM
 * crashes on it).
 */
public final class SubgraphCalls {
    private static final int[] NONE = new int[0];

    private SubgraphCalls() {}

    /** The subgraph indices {@code op} runs, in the order TFLM plans them; empty for other operators. */
    public static int[] of(OperatorInfo op) {
        BuiltinOperator b = op.opCode().builtin();
        if (b == null) return NONE;
        return switch (b) {
            case IF -> {
                requireOptions(op, "IfOptions");
                Options.If o = Options.If.of(op.options());
                yield new int[] {o.thenSubgraphIndex(), o.elseSubgraphIndex()};
            }
            case WHILE -> {
                requireOptions(op, "WhileOptions");
                Options.While o = Options.While.of(op.options());
                yield new int[] {o.condSubgraphIndex(), o.bodySubgraphIndex()};
            }
            case CALL_ONCE -> {
                requireOptions(op, "CallOnceOptions");
                yield new int[] {Options.CallOnce.of(op.options()).initSubgraphIndex()};
            }
            default -> NONE;
        };
    }

    private static void requireOptions(OperatorInfo op, String table) {
        if (!op.options().isPresent() || !op.options().type().equals(table)) {
            throw new ArenaPlanException("node " + op.index() + " (" + op.opCode().displayName() + ") has no " + table
                    + " (found " + op.options().type() + "); TFLM's memory planner reads its subgraph indices from them");
        }
    }
}
