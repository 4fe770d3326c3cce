package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The fast conv kernels' per-channel output stage ({@link ChannelRequant}: branch-free scalar, or 64-bit Vector API
 * lanes under {@code -Pvector-api}) against
 * {@link FixedPoint#multiplyByQuantizedMultiplier} and the clamp, value for value, over accumulators that include the
 * int32 extremes, multipliers including 0, Integer.MAX_VALUE and Integer.MIN_VALUE, and shifts from -32 to 31.
 */
class FastKernelRequantProperties {

    @Provide
    Arbitrary<Integer> accumulator() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-70_000, 70_000),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -1, 0, 1, Integer.MAX_VALUE));
    }

    @Property(tries = 1000)
    void requantizeMatchesFixedPoint(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long seed,
                                     @ForAll("accumulator") int edge, @ForAll @IntRange(min = -128, max = 127) int outputOffset,
                                     @ForAll boolean relu, @ForAll boolean oddMultipliers) {
        Random r = new Random(seed);
        int[] acc = new int[n], mult = new int[n], shift = new int[n];
        for (int c = 0; c < n; c++) {
            acc[c] = switch (r.nextInt(4)) {
                case 0 -> edge;
                case 1 -> r.nextInt();
                default -> r.nextInt(200_001) - 100_000;
            };
            mult[c] = switch (r.nextInt(oddMultipliers ? 6 : 3)) {
                case 3 -> r.nextInt(Integer.MAX_VALUE);
                case 4 -> r.nextBoolean() ? 0 : Integer.MAX_VALUE;
                case 5 -> r.nextBoolean() ? Integer.MIN_VALUE : -r.nextInt(Integer.MAX_VALUE);
                default -> (1 << 30) + r.nextInt(1 << 30);
            };
            shift[c] = r.nextInt(4) == 0 ? r.nextInt(64) - 32 : -r.nextInt(12);
        }
        int min = relu ? outputOffset : -128, max = 127;
        int[] expected = new int[n];
        for (int c = 0; c < n; c++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc[c], mult[c], shift[c]) + outputOffset;
            expected[c] = (byte) KernelUtil.clamp(v, min, max);
        }
        byte[] out = new byte[n + 2];
        new ChannelRequant(n, mult, shift, outputOffset, min, max).apply(acc, new long[ConvWindow.padded(n)], out, 1);
        int[] actual = new int[n];
        for (int c = 0; c < n; c++) actual[c] = out[1 + c];
        assertArrayEquals(expected, actual, "requantized outputs differ, Vector API " + FastLoops.VECTOR_API);
    }
}
