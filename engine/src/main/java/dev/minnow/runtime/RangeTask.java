package dev.minnow.runtime;

/**
 * A node's eval work cut into numbered items (output rows, channel groups): {@link #run} evaluates the items
 * {@code [from, to)}. Distinct ranges must write distinct output bytes and read nothing another range writes, so
 * that any split of {@code [0, count)} gives the bytes of one {@code run(0, count)}.
 */
@FunctionalInterface
public interface RangeTask {
    /** Evaluates items {@code from} (inclusive) to {@code to} (exclusive). */
    void run(int from, int to);
}
