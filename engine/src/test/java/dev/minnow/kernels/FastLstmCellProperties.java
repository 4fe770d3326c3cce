package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.FixedPoint16;
import dev.minnow.math.QuantizedMultiplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** FastLstmCell's prepared arithmetic against the reference functions it replaces (FixedPoint, LstmCell, FixedPoint16). */
class FastLstmCellProperties {

    @Provide
    Arbitrary<Integer> anyInt() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-70000, 70000),
                Arbitraries.of(0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 1 << 30, -(1 << 30)));
    }

    @Provide
    Arbitrary<QuantizedMultiplier> multiplier() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-40, 15).map(e -> FixedPoint.quantizeMultiplier(Math.pow(2, e))),
                Arbitraries.integers().between(-40, 15).map(e -> FixedPoint.quantizeMultiplier(Math.pow(2, e))),
                Arbitraries.of(QuantizedMultiplier.ZERO, new QuantizedMultiplier(Integer.MAX_VALUE, 0),
                        new QuantizedMultiplier(Integer.MAX_VALUE, -31), new QuantizedMultiplier(1 << 30, 30)));
    }

    @Property(tries = 3000)
    void rescaleIsMultiplyByQuantizedMultiplier(@ForAll("anyInt") int x, @ForAll("multiplier") QuantizedMultiplier m) {
        assertEquals(FixedPoint.multiplyByQuantizedMultiplier(x, m.multiplier(), m.shift()),
                FastLstmCell.Rescale.of(m.multiplier(), m.shift()).apply(x), () -> x + " * " + m);
    }

    @Property(tries = 3000)
    void mulIsMulParams(@ForAll @IntRange(min = -32768, max = 32767) int a, @ForAll @IntRange(min = -32768, max = 32767) int b,
                        @ForAll("multiplier") QuantizedMultiplier m, @ForAll @IntRange(min = -128, max = 127) int offset,
                        @ForAll boolean int8) {
        LstmCell.MulParams p = new LstmCell.MulParams(m.multiplier(), m.shift(), offset, int8 ? -128 : -32768, int8 ? 127 : 32767);
        assertEquals(p.apply(a, b), FastLstmCell.Mul.of(p).apply(a, b), () -> a + " * " + b + " with " + p);
    }

    @Test
    void rightShiftsBeyond31AreNotLaneable() {
        assertEquals(false, FastLstmCell.Rescale.of(Integer.MAX_VALUE, -32).laneable());
        assertEquals(true, FastLstmCell.Rescale.of(Integer.MAX_VALUE, -31).laneable());
    }

    @Test
    void tablesHoldTheReferenceFunctionsAndAreShared() {
        int[][] scalings = {{3, 0}, LstmCell.tanhScaling(-12), LstmCell.tanhScaling(-11), LstmCell.tanhScaling(-16),
            LstmCell.tanhScaling(2), LstmCell.tanhScaling(-20)};
        for (int[] s : scalings) {
            short[] sig = FastLstmCell.table(false, s[0], s[1]), tanh = FastLstmCell.table(true, s[0], s[1]);
            for (int v = -32768; v < 32768; v++) {
                assertEquals(FixedPoint16.logistic(v, s[0], s[1]), sig[v + 32768], "logistic " + v);
                assertEquals(FixedPoint16.tanh(v, s[0], s[1]), tanh[v + 32768], "tanh " + v);
            }
            assertSame(tanh, FastLstmCell.table(true, s[0], s[1]));
        }
    }
}
