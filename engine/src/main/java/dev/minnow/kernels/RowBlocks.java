package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.SplitTask;

import java.util.function.Supplier;

/**
 * Output rows cut into one block per intra-op thread, each block with its own scratch: what the row-wise fast kernels
 * ({@link ConvWindow}'s convolutions, {@link FastTransposeConv}) share. A block is computed whole by one thread, so
 * the bytes do not depend on the split.
 */
final class RowBlocks {
    private RowBlocks() {}

    /** Rows {@code [from, to)} computed with one block's scratch. */
    @FunctionalInterface
    interface Body<S> {
        /** Computes the rows; disjoint ranges write disjoint outputs. */
        void evalRows(int from, int to, S scratch);
    }

    /**
     * At prepare: when the node may use several threads ({@link NodeContext#threads()}) and its work pays for it
     * ({@link NodeContext#minSplitWork()} per range, {@code workPerRow} per row), the rows cut into at most one block
     * per thread, the first block with {@code own} scratch and the others with fresh ones, handed to
     * {@link NodeContext#split}; null when the rows stay on the calling thread.
     */
    static <S> SplitTask split(NodeContext node, int rows, long workPerRow, S own, Supplier<S> newScratch, Body<S> body) {
        if (node.threads() <= 1 || rows < 2) return null;
        long perRow = Math.max(1, workPerRow);
        long minRows = Math.max(1, (node.minSplitWork() + perRow - 1) / perRow);
        int blocks = (int) Math.min(node.threads(), rows / minRows);
        if (blocks <= 1) return null;
        int[] bounds = new int[blocks + 1];
        Object[] scratch = new Object[blocks];
        for (int i = 0; i < blocks; i++) {
            bounds[i + 1] = (int) ((long) rows * (i + 1) / blocks);
            scratch[i] = i == 0 ? own : newScratch.get();
        }
        return node.split((from, to) -> {
            for (int i = from; i < to; i++) {
                @SuppressWarnings("unchecked") S s = (S) scratch[i];
                body.evalRows(bounds[i], bounds[i + 1], s);
            }
        }, blocks, 1);
    }
}
