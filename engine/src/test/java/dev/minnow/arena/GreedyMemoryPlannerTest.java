package dev.minnow.arena;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GreedyMemoryPlannerTest {
    @Test
    void buffersAliveTogetherDoNotOverlapAndDisjointOnesShare() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        int a = p.addBuffer(100, 0, 1);
        int b = p.addBuffer(50, 1, 2);
        int c = p.addBuffer(80, 2, 3);
        // largest first: a at 0; c (80) not alive with a -> 0; b (50) alive with a and c -> after a (100)
        assertEquals(0, p.offset(a));
        assertEquals(0, p.offset(c));
        assertEquals(100, p.offset(b));
        assertEquals(150, p.maximumMemorySize());
    }

    @Test
    void fillsAGapBetweenPlacedBuffersWhenItFits() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        int big = p.addBuffer(64, 0, 0);
        int mid = p.addBuffer(48, 1, 2);
        int top = p.addBuffer(32, 0, 2);
        int small = p.addBuffer(16, 2, 2);
        // big@0; mid not alive with big -> @0; top alive with both -> @64; small alive with mid(0..48) and top(64..96) -> gap 48..64 fits
        assertEquals(0, p.offset(big));
        assertEquals(0, p.offset(mid));
        assertEquals(64, p.offset(top));
        assertEquals(48, p.offset(small));
        assertEquals(96, p.maximumMemorySize());
    }

    @Test
    void equalSizesArePlacedLaterAddedFirstAndOfflineOffsetsAreKept() {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        int first = p.addBuffer(32, 0, 1);
        int second = p.addBuffer(32, 0, 1);
        int fixed = p.addBuffer(16, 0, 1, 1000);
        assertEquals(1000, p.offset(fixed));
        assertEquals(0, p.offset(second));
        assertEquals(32, p.offset(first));
        assertEquals(1016, p.maximumMemorySize());
    }

    /**
     * TFLM's walk as the planner first wrote it, over a list of ids sorted by offset: the reference the planner's
     * parallel-array walk must agree with offset for offset.
     */
    private static int[] referenceWalk(int[] size, int[] first, int[] last, int[] offline) {
        int count = size.length;
        int[] offsets = new int[count];
        int[] order = new int[count];
        int head = 0, tail = count;
        for (int i = 0; i < count; i++) {
            if (offline[i] == GreedyMemoryPlanner.ONLINE) order[--tail] = i; else order[head++] = i;
        }
        Integer[] online = new Integer[count - head];
        for (int i = head; i < count; i++) online[i - head] = order[i];
        java.util.Arrays.sort(online, (a, b) -> Integer.compare(size[b], size[a]));
        for (int i = head; i < count; i++) order[i] = online[i - head];
        int[] placed = new int[count];
        int placedCount = 0;
        for (int k = 0; k < count; k++) {
            int id = order[k];
            int candidate = 0;
            if (offline[id] != GreedyMemoryPlanner.ONLINE) {
                candidate = offline[id];
            } else {
                for (int p = 0; p < placedCount; p++) {
                    int other = placed[p];
                    if (first[other] > last[id] || first[id] > last[other]) continue;
                    if (offsets[other] - candidate >= size[id]) break;
                    candidate = Math.max(candidate, offsets[other] + size[other]);
                }
            }
            offsets[id] = candidate;
            int pos = placedCount;
            if (placedCount > 0 && offsets[placed[0]] > candidate) {
                pos = 0;
            } else {
                for (int p = 1; p < placedCount; p++) if (offsets[placed[p]] > candidate) { pos = p; break; }
            }
            System.arraycopy(placed, pos, placed, pos + 1, placedCount - pos);
            placed[pos] = id;
            placedCount++;
        }
        return offsets;
    }

    @Test
    void thePlacementIsTheReferenceWalksOnRandomPlans() {
        // sizes (some zero, some equal), lifetimes (some empty, some inverted), offline offsets (some negative)
        java.util.SplittableRandom r = new java.util.SplittableRandom(11);
        for (int round = 0; round < 4000; round++) {
            int n = r.nextInt(round < 3000 ? 40 : 400), scopes = 1 + r.nextInt(round % 2 == 0 ? 6 : 60);
            boolean inverted = r.nextInt(10) == 0, negative = r.nextInt(10) == 0;
            int[] size = new int[n], first = new int[n], last = new int[n], offline = new int[n];
            GreedyMemoryPlanner p = new GreedyMemoryPlanner();
            for (int i = 0; i < n; i++) {
                size[i] = switch (r.nextInt(6)) {
                    case 0 -> 0;
                    case 1 -> 16 * (1 + r.nextInt(4));
                    case 2 -> 1 + r.nextInt(100);
                    default -> 16 * r.nextInt(64);
                };
                first[i] = r.nextInt(scopes + 1) - 1;
                last[i] = inverted && r.nextInt(4) == 0 ? first[i] - 1 - r.nextInt(3) : first[i] + r.nextInt(Math.max(1, scopes - first[i]));
                offline[i] = r.nextInt(8) != 0 ? GreedyMemoryPlanner.ONLINE : negative && r.nextBoolean() ? -2 - r.nextInt(64) : 16 * r.nextInt(200);
                p.addBuffer(size[i], first[i], last[i], offline[i]);
            }
            int[] expected = referenceWalk(size, first, last, offline);
            for (int i = 0; i < n; i++) assertEquals(expected[i], p.offset(i), "round " + round + ", buffer " + i + " of " + n);
        }
    }

    /** Milliseconds to plan {@code n} buffers, all alive together (every walk passes every placed buffer) or in a chain. */
    static long planMillis(int n, boolean together) {
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        for (int i = 0; i < n; i++) p.addBuffer(16 * (1 + i % 64), together ? i % 100 : i, together ? n + i % 7 : i + 1);
        long start = System.nanoTime();
        p.maximumMemorySize();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void twentyThousandBuffersArePlacedWellUnderASecondEvenWhenAllAreAliveTogether() {
        // the walk's worst case, at the default budget's limit of 20,000 planned buffers: 2e8 steps
        GreedyMemoryPlanner p = new GreedyMemoryPlanner();
        long total = 0;
        for (int i = 0; i < 20_000; i++) {
            p.addBuffer(16 * (1 + i % 64), i % 100, 20_000 + i % 7);
            total += 16 * (1 + i % 64);
        }
        assertEquals(total, p.maximumMemorySize()); // all alive at scope 99: stacked without gaps
        long together = planMillis(20_000, true), chain = planMillis(20_000, false);
        // generous for a loaded 2-core build machine (measured: see the engine README)
        org.junit.jupiter.api.Assertions.assertTrue(together < 5000 && chain < 5000, together + " ms together, " + chain + " ms in a chain");
    }
}
