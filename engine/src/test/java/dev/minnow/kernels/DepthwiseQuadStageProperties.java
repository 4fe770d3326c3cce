package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RequantLoops' narrow output stage (FastDepthwiseConv2D's quads, int8 rows without the Vector API):
 * {@code productNarrow} (sums below 2^20 in magnitude, multipliers 0 to 2^31 - 1 in 11-bit pieces) then
 * {@code divideLow} (right shifts 0 to 16) equal {@link FixedPoint#multiplyByQuantizedMultiplier} value by value, at
 * the edges of both ranges and on random values.
 */
class DepthwiseQuadStageProperties {

    @Provide
    Arbitrary<Integer> sums() {
        int edge = (int) RequantLoops.NARROW_SUMS - 1;
        return Arbitraries.oneOf(Arbitraries.integers().between(-edge, edge),
                Arbitraries.of(-edge, edge, -edge + 1, edge - 1, 0, 1, -1, 1 << 19, -(1 << 19), 255, -256));
    }

    @Provide
    Arbitrary<Integer> multipliers() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, Integer.MAX_VALUE),
                Arbitraries.integers().between(1 << 30, Integer.MAX_VALUE),
                Arbitraries.of(0, 1, 0x7FF, 0x800, 1 << 22, (1 << 22) - 1, 1 << 30, Integer.MAX_VALUE, Integer.MAX_VALUE - 1));
    }

    @Property(tries = 1000)
    void narrowStageEqualsFixedPoint(@ForAll("sums") int a, @ForAll("sums") int b, @ForAll("multipliers") int m,
                                     @ForAll("multipliers") int m2, @ForAll @IntRange(min = 0, max = 16) int right) {
        int[] x = {a, b, a, b};
        int[] ms = {m, m2, m2, m};
        int[] shifts = {-right, -right, 0, -16};
        int[] acc = x.clone();
        RequantLoops.Operands o = new RequantLoops.Operands(4);
        RequantLoops.NarrowMultipliers pieces = new RequantLoops.NarrowMultipliers(4);
        for (int k = 0; k < 4; k++) {
            o.set(k, ms[k], shifts[k]);
            pieces.set(k, ms[k]);
        }
        RequantLoops.productNarrow(acc, 4, pieces);
        RequantLoops.divideLow(acc, 4, o.shiftLow, o.half, o.mask);
        for (int k = 0; k < 4; k++) {
            assertEquals(FixedPoint.multiplyByQuantizedMultiplier(x[k], ms[k], shifts[k]), acc[k],
                    "sum " + x[k] + ", multiplier " + ms[k] + ", shift " + shifts[k]);
        }
    }

    @Property(tries = 200)
    void piecesRebuildTheMultiplier(@ForAll("multipliers") int m) {
        RequantLoops.NarrowMultipliers p = new RequantLoops.NarrowMultipliers(1).set(0, m);
        assertEquals(m, (p.m2[0] << 22) + (p.m1[0] << 11) + p.m0[0]);
        assertEquals(0, p.m0[0] >>> 11 | p.m1[0] >>> 11, "pieces of 11 bits");
    }

    @Example
    void negativeMultiplierIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RequantLoops.NarrowMultipliers(1).set(0, -5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
    }
}
