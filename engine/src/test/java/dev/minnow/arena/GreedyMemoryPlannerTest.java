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
}
