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
        offsets = new int[count];
        if (count == 0) return;
        // Offline buffers first, in id order; online buffers after them in reverse id order, then a stable
        // descending sort by size of the online part (a bubble sort in TFLM, hence stable).
        int[] order = new int[count];
        int head = 0, tail = count;
        for (int i = 0; i < count; i++) {
            if (offline[i] == ONLINE) {
                order[--tail] = i;
                offsets[i] = -1;
            } else {
                order[head++] = i;
                offsets[i] = offline[i];
            }
        }
        Integer[] online = new Integer[count - head];
        for (int i = head; i < count; i++) online[i - head] = order[i];
        Arrays.sort(online, (a, b) -> Integer.compare(size[b], size[a])); // stable merge sort
        for (int i = head; i < count; i++) order[i] = online[i - head];

        // Placed buffers as a list sorted by offset (ties: insertion order), like TFLM's linked list.
        int[] placed = new int[count];
        int placedCount = 0;
        for (int k = 0; k < count; k++) {
            int id = order[k];
            int candidate;
            if (offline[id] != ONLINE) {
                candidate = offline[id];
            } else if (k == 0) {
                candidate = 0;
            } else {
                candidate = 0;
                for (int p = 0; p < placedCount; p++) {
                    int other = placed[p];
                    if (first[other] > last[id] || first[id] > last[other]) continue; // not alive together
                    if (offsets[other] - candidate >= size[id]) break;                  // fits in the gap
                    candidate = Math.max(candidate, offsets[other] + size[other]);
                }
            }
            offsets[id] = candidate;
            // insert after every entry whose offset is <= candidate (a new first entry only when strictly lower)
            int pos = 0;
            if (placedCount > 0 && offsets[placed[0]] > candidate) {
                pos = 0;
            } else {
                pos = placedCount;
                for (int p = 1; p < placedCount; p++) {
                    if (offsets[placed[p]] > candidate) { pos = p; break; }
                }
            }
            System.arraycopy(placed, pos, placed, pos + 1, placedCount - pos);
            placed[pos] = id;
            placedCount++;
        }
    }
}
