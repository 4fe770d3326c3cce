package dev.minnow.arena;

import java.util.Arrays;

/**
 * Plans buffer offsets in the arena head the way TFLM's GreedyMemoryPlanner does: offline-planned buffers keep
 * their offsets; the others are taken largest first (ties: the buffer added later first) and each is placed at
 * the lowest offset where it does not overlap, in time and space, any buffer placed before it.
 */
public final class GreedyMemoryPlanner {
    /** Offset value meaning "plan this buffer at run time". */
    public static final int ONLINE = -1;

    private int count;
    private int[] size = new int[16];
    private int[] first = new int[16];
    private int[] last = new int[16];
    private int[] offline = new int[16];
    private int[] offsets;

    /** Adds a buffer alive from node {@code firstUsed} to node {@code lastUsed} inclusive; returns its id. */
    public int addBuffer(int sizeBytes, int firstUsed, int lastUsed) {
        return addBuffer(sizeBytes, firstUsed, lastUsed, ONLINE);
    }

    /**
     * Adds a buffer alive from node {@code firstUsed} to {@code lastUsed} inclusive, at a fixed offline offset or
     * {@link #ONLINE} to have it planned; returns its id.
     */
    public int addBuffer(int sizeBytes, int firstUsed, int lastUsed, int offlineOffset) {
        if (count == size.length) {
            int n = count * 2;
            size = Arrays.copyOf(size, n);
            first = Arrays.copyOf(first, n);
            last = Arrays.copyOf(last, n);
            offline = Arrays.copyOf(offline, n);
        }
        size[count] = sizeBytes;
        first[count] = firstUsed;
        last[count] = lastUsed;
        offline[count] = offlineOffset;
        offsets = null;
        return count++;
    }

    /** Number of buffers added. */
    public int bufferCount() { return count; }

    /** Size in bytes of buffer {@code id}. */
    public int size(int id) { return size[id]; }
    /** First node that uses buffer {@code id}. */
    public int firstUsed(int id) { return first[id]; }
    /** Last node that uses buffer {@code id}. */
    public int lastUsed(int id) { return last[id]; }

    /** Planned offset of buffer {@code id}. */
    public int offset(int id) {
        plan();
        return offsets[id];
    }

    /** Bytes the plan spans: the largest end offset of any buffer. */
    public int maximumMemorySize() {
        plan();
        long max = 0;
        for (int i = 0; i < count; i++) max = Math.max(max, (long) offsets[i] + size[i]);
        return (int) Math.min(max, Integer.MAX_VALUE);
    }

    private void plan() {
        if (offsets != null) return;
        offsets = place();
    }

    /**
     * The placement order: offline buffers first, in id order; online buffers after them in reverse id order, then a
     * stable descending sort by size of the online part (a bubble sort in TFLM, hence stable).
     */
    private int[] order() {
        int[] order = new int[count];
        int head = 0, tail = count;
        for (int i = 0; i < count; i++) {
            if (offline[i] == ONLINE) order[--tail] = i; else order[head++] = i;
        }
        Integer[] online = new Integer[count - head];
        for (int i = head; i < count; i++) online[i - head] = order[i];
        Arrays.sort(online, (a, b) -> Integer.compare(size[b], size[a])); // stable merge sort
        for (int i = head; i < count; i++) order[i] = online[i - head];
        return order;
    }

    /**
     * TFLM's placement: for each buffer in order, a walk over the buffers placed so far, sorted by offset (ties:
     * placement order, like TFLM's linked list), skipping those not alive at the same time, up to the first gap that
     * holds it. The walk is TFLM's and quadratic: n buffers cost at most n(n-1)/2 steps, each a few comparisons over
     * the placed buffers' offsets, ends and lifetimes, kept in offset order in one int array so the walk reads memory
     * in sequence (20,000 buffers, the default budget's limit, are 2e8 steps: well under a second; see
     * GreedyMemoryPlannerTest). Offsets past 2 GiB, which no arena holds, saturate at Integer.MAX_VALUE.
     */
    private int[] place() {
        int[] out = new int[count];
        if (count == 0) return out;
        int[] order = order();
        // placed buffers in offset order, four ints each: start, end (saturated), first and last use
        int[] placed = new int[4 * count];
        int n = 0;
        for (int k = 0; k < count; k++) {
            int id = order[k];
            int f = first[id], l = last[id], s = size[id];
            long c;
            if (offline[id] != ONLINE) {
                c = offline[id];
            } else {
                c = 0;
                for (int q = 0, end = 4 * n; q < end; q += 4) {
                    if (placed[q + 2] > l || f > placed[q + 3]) continue; // not alive together
                    if (placed[q] - c >= s) break;                       // fits in the gap
                    c = Math.max(c, placed[q + 1]);
                }
            }
            int start = (int) Math.min(c, Integer.MAX_VALUE);
            out[id] = start;
            // after every placed buffer whose offset is <= c
            int lo = 0, hi = n;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (placed[4 * mid] <= c) lo = mid + 1; else hi = mid;
            }
            System.arraycopy(placed, 4 * lo, placed, 4 * lo + 4, 4 * (n - lo));
            placed[4 * lo] = start;
            placed[4 * lo + 1] = (int) Math.min(c + s, Integer.MAX_VALUE);
            placed[4 * lo + 2] = f;
            placed[4 * lo + 3] = l;
            n++;
        }
        return out;
    }
}
