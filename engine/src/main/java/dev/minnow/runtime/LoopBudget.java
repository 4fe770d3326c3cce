package dev.minnow.runtime;

import dev.minnow.BudgetExceededException;

/**
 * The loop iterations one invoke may run, shared by every loop of an interpreter (a WHILE nested in another WHILE's
 * body counts against the same total), so that nesting cannot multiply the bound. The interpreter restarts the count
 * at every invoke.
 */
public final class LoopBudget {
    private final long limit;
    private long used;

    /** A budget of {@code limit} iterations per invoke. */
    public LoopBudget(long limit) {
        if (limit < 0) throw new IllegalArgumentException("loop iteration limit must be >= 0, got " + limit);
        this.limit = limit;
    }

    /** A budget without a limit, for kernels run outside an interpreter. */
    public static LoopBudget unbounded() { return new LoopBudget(Long.MAX_VALUE); }

    /** The iterations one invoke may run. */
    public long limit() { return limit; }

    /** The iterations counted since the last {@link #restart()}. */
    public long used() { return used; }

    /** Starts counting a new invoke. */
    public void restart() { used = 0; }

    /**
     * Counts one iteration of the loop of {@code node} (a description naming the op, node and subgraph);
     * throws {@link BudgetExceededException} naming it and the numbers when the invoke's total goes over the limit.
     */
    public void iterate(String node) {
        if (++used > limit) {
            throw new BudgetExceededException("loop iterations (all loops of this invoke)", used, limit, node,
                    "withMaxLoopIterations");
        }
    }
}
