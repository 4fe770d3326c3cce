package dev.minnow.runtime;

/**
 * A {@link RangeTask} bound at prepare to its item count and cut into the ranges the interpreter's intra-op workers
 * run ({@link NodeContext#split}); {@link #run} evaluates every item, the invoking thread taking the first range, and
 * returns when all ranges are done. Running it allocates nothing.
 */
@FunctionalInterface
public interface SplitTask {
    /** Evaluates all items, split over the workers; rethrows the first failure of any range. */
    void run();
}
