package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The int8 output stage's int passes ({@link RequantLoops}, run by {@link ChannelRequant#applyInts} whether or not
 * the JVM has the Vector API, and per channel over many pixels by {@link ChannelRequant#applyPlane} and four channels at once by
 * {@link ChannelRequant#applyPlanes4}) against
 * {@link FixedPoint}, pass by pass and whole: accumulators over the full int range
 * and the range real layers produce, multipliers in TFLM's [2^30, 2^31) and any other non-saturating int, shifts from
 * -32 to 31, offsets and clamp bounds anywhere in the int range. {@code -Dminnow.requant.samples=N} sets the number of
 * random channels of {@link #manyRandomChannels} (default 200,000; e.g. 100,000,000 for a long run:
 * {@code mvn -o -pl testkit test -Dtest=ChannelRequantProperties -Dminnow.requant.samples=100000000}).
 */
class ChannelRequantProperties {

    @Provide
    Arbitrary<Integer> accumulator() {
        return Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.integers().between(-70_000, 70_000),
                Arbitraries.integers().between(-(1 << 24), 1 << 24),
                Arbitraries.of(Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -65_536, -65_535, -1, 0, 1, 65_535, 65_536,
                        Integer.MAX_VALUE - 1, Integer.MAX_VALUE));
    }

    @Provide
    Arbitrary<Integer> multiplier() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1 << 30, Integer.MAX_VALUE),
                Arbitraries.integers().between(Integer.MIN_VALUE + 1, Integer.MAX_VALUE),
                Arbitraries.of(0, 1, 0xFFFF, 0x10000, 1 << 30, Integer.MAX_VALUE, -1, Integer.MIN_VALUE + 1));
    }

    @Property(tries = 1000)
    void highMulIsSaturatingRoundingDoublingHighMul(@ForAll("accumulator") int acc, @ForAll("multiplier") int m,
                                                    @ForAll @IntRange(min = 0, max = 31) int left) {
        int[] x = {acc};
        RequantLoops.highMul(x, 1, new int[] {1 << left}, new int[] {m & 0xFFFF}, new int[] {m >> 16});
        assertEquals(FixedPoint.saturatingRoundingDoublingHighMul(acc << left, m), x[0],
                () -> "acc " + acc + " << " + left + " times " + m);
    }

    @Property(tries = 1000)
    void divideByPotIsRoundingDivideByPot(@ForAll("accumulator") int value, @ForAll @IntRange(min = 0, max = 31) int right) {
        int[] x = {value};
        int mask = (int) ((1L << right) - 1);
        RequantLoops.divideByPot(x, 1, new int[] {RequantLoops.shiftHigh(right)}, new int[] {RequantLoops.shiftLow(right)},
                new int[] {mask >> 1}, new int[] {mask});
        assertEquals(FixedPoint.roundingDivideByPOT(value, right), x[0], () -> value + " / 2^" + right);
    }

    @Property(tries = 1000)
    void offsetClampIsClampOfTheWrappedSum(@ForAll("accumulator") int value, @ForAll("accumulator") int offset,
                                           @ForAll("accumulator") int bound1, @ForAll("accumulator") int bound2) {
        assertClamp(value, offset, bound1, bound2, false);
    }

    /** {@link RequantLoops#offsetClamp} (or {@link RequantLoops#clampSmall} when {@code small}) of one value against {@link KernelUtil#clamp}. */
    private static void assertClamp(int value, int offset, int bound1, int bound2, boolean small) {
        int min = Math.min(bound1, bound2), max = Math.max(bound1, bound2);
        int[] x = {value};
        if (small) RequantLoops.clampSmall(x, 1, offset, min, max);
        else RequantLoops.offsetClamp(x, 1, offset, min, max);
        assertEquals(KernelUtil.clamp(value + offset, min, max), x[0], () -> value + " + " + offset + " in [" + min + ", " + max + "]");
    }

    @Property(tries = 1000)
    void wholeStageMatchesFixedPoint(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed,
                                     @ForAll("accumulator") int edge, @ForAll("multiplier") int oddMultiplier,
                                     @ForAll @IntRange(min = -128, max = 127) int outputOffset,
                                     @ForAll boolean relu, @ForAll boolean realistic) {
        Random r = new Random(seed);
        int[] acc = new int[n], mult = new int[n], shift = new int[n];
        for (int c = 0; c < n; c++) {
            acc[c] = switch (r.nextInt(4)) {
                case 0 -> edge;
                case 1 -> realistic ? r.nextInt(1 << 21) - (1 << 20) : r.nextInt();
                default -> r.nextInt(200_001) - 100_000;
            };
            mult[c] = realistic || r.nextInt(4) != 0 ? (1 << 30) + r.nextInt(1 << 30) : oddMultiplier;
            shift[c] = realistic ? -r.nextInt(16) : r.nextInt(64) - 32;
        }
        int min = relu ? outputOffset : -128, max = 127;
        assertStage(acc, mult, shift, outputOffset, min, max);
        assertPlanes(acc, mult, shift, outputOffset, min, max);
    }

    /** The edge cases, exhaustively over shifts: the int32 extremes, shift 0, the largest right shifts, every bound. */
    @Example
    void edgeCases() {
        int[] accs = {Integer.MIN_VALUE, Integer.MIN_VALUE + 1, -(1 << 30), -65_537, -65_536, -32_768, -1, 0, 1, 32_767,
                65_535, 65_536, 1 << 30, Integer.MAX_VALUE - 1, Integer.MAX_VALUE};
        int[] mults = {0, 1, 0xFFFF, 0x10000, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, -1,
                Integer.MIN_VALUE + 1, Integer.MIN_VALUE};
        int[][] bounds = {{-128, 127}, {0, 127}, {-5, 6}, {Integer.MIN_VALUE, Integer.MAX_VALUE}, {7, 7}};
        int[] offsets = {-128, 0, 127, Integer.MIN_VALUE, Integer.MAX_VALUE};
        edges(accs, mults, bounds, offsets, -1);
    }

    /**
     * Every shift from -32 to 31 with each multiplier, clamp and offset of the lists over the sums {@code accs}, once
     * and twice over (below and above ChannelRequant.PASSES_FROM); with sum bounds of {@code sumBound} per channel
     * when it is not negative.
     */
    private static void edges(int[] accs, int[] mults, int[][] bounds, int[] offsets, long sumBound) {
        for (int shift = -32; shift <= 31; shift++) {
            for (int m : mults) {
                for (int[] b : bounds) {
                    for (int offset : offsets) {
                        for (int copies = 1; copies <= 2; copies++) {
                            int n = accs.length * copies;
                            int[] acc = new int[n], mult = new int[n], shifts = new int[n];
                            for (int c = 0; c < n; c++) acc[c] = accs[c % accs.length];
                            java.util.Arrays.fill(mult, m);
                            java.util.Arrays.fill(shifts, shift);
                            long[] bound = sumBound < 0 ? null : new long[n];
                            if (bound != null) java.util.Arrays.fill(bound, sumBound);
                            assertStage(acc, mult, shifts, offset, b[0], b[1], bound);
                            if (copies == 1) assertPlanes(acc, mult, shifts, offset, b[0], b[1], bound);
                        }
                    }
                }
            }
        }
    }

    /** Random channels in bulk: per-channel multipliers and shifts, as many as minnow.requant.samples says. */
    @Example
    void manyRandomChannels() {
        long samples = Long.getLong("minnow.requant.samples", 200_000L);
        Random r = new Random(16);
        int n = 64; // RequantLoops' passes (at least ChannelRequant.PASSES_FROM channels)
        int[] acc = new int[n], mult = new int[n], shift = new int[n];
        for (long done = 0; done < samples; done += n) {
            for (int c = 0; c < n; c++) {
                acc[c] = r.nextBoolean() ? r.nextInt() : r.nextInt(1 << 22) - (1 << 21);
                mult[c] = r.nextInt(8) == 0 ? r.nextInt() | 1 : (1 << 30) + r.nextInt(1 << 30);
                shift[c] = r.nextInt(8) == 0 ? r.nextInt(63) - 31 : -r.nextInt(20);
            }
            int offset = r.nextInt(256) - 128;
            int min = r.nextBoolean() ? offset : -128;
            assertStage(acc, mult, shift, offset, min, 127);
            if (done % (16 * n) == 0) assertPlanes(acc, mult, shift, offset, min, 127);
        }
    }

    @Property(tries = 1000)
    void clampSmallIsClampOfTheSum(@ForAll @IntRange(min = -(1 << 30) + 1, max = (1 << 30) - 1) int value,
                                   @ForAll @IntRange(min = -65_535, max = 65_535) int offset,
                                   @ForAll @IntRange(min = -65_535, max = 65_535) int bound1,
                                   @ForAll @IntRange(min = -65_535, max = 65_535) int bound2) {
        assertClamp(value, offset, bound1, bound2, true);
    }

    /**
     * The stage with sum bounds (FastConv2D's: {@link ChannelRequant}'s narrow product below
     * {@link RequantLoops#NARROW_SUMS}, the low division at right shifts up to 16, the small clamp): per channel and
     * whole, against {@link FixedPoint}. Sums at and just below 2^20 and anywhere, bounds exact or looser (a bound at or
     * above 2^20 takes the wide product), multipliers of 0 (narrow whatever the shift and sum), left shifts (never
     * narrow), offsets and clamp bounds at and beyond 2^16 (the overflow-free clamp).
     */
    @Property(tries = 1000)
    void boundedStageMatchesFixedPoint(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll long seed,
                                       @ForAll("accumulator") int edge, @ForAll("multiplier") int oddMultiplier,
                                       @ForAll @IntRange(min = 0, max = 3) int offsets, @ForAll boolean relu,
                                       @ForAll boolean realistic) {
        Random r = new Random(seed);
        int[] acc = new int[n], mult = new int[n], shift = new int[n];
        int limit = (int) RequantLoops.NARROW_SUMS - 1;
        for (int c = 0; c < n; c++) {
            acc[c] = switch (r.nextInt(6)) {
                case 0 -> edge;
                case 1 -> r.nextBoolean() ? limit : -limit;
                case 2 -> r.nextInt();
                default -> r.nextInt(2 * limit + 1) - limit;
            };
            mult[c] = switch (r.nextInt(6)) {
                case 0 -> 0;
                case 1 -> oddMultiplier;
                default -> (1 << 30) + r.nextInt(1 << 30);
            };
            shift[c] = realistic ? -r.nextInt(32) : r.nextInt(64) - 32;
        }
        int outputOffset = switch (offsets) {
            case 0 -> r.nextInt(256) - 128;
            case 1 -> r.nextBoolean() ? 65_535 : -65_535;
            case 2 -> r.nextBoolean() ? 65_536 : -65_536;
            default -> r.nextInt();
        };
        int min = relu ? Math.max(-128, Math.min(127, outputOffset)) : -128, max = offsets == 3 && r.nextBoolean() ? 1 << 16 : 127;
        long[] stageBound = new long[n], planeBound = new long[n];
        long most = 0;
        for (int c = 0; c < n; c++) most = Math.max(most, Math.abs((long) acc[c]));
        for (int c = 0; c < n; c++) {
            long slack = r.nextInt(3) == 0 ? r.nextInt(1 << 12) : 0;
            stageBound[c] = Math.abs((long) acc[c]) + slack;
            planeBound[c] = most + slack;
        }
        assertStage(acc, mult, shift, outputOffset, min, max, stageBound);
        assertPlanes(acc, mult, shift, outputOffset, min, max, planeBound);
    }

    /** {@link #boundedStageMatchesFixedPoint}'s edges over every shift: sums around 0, 2^16 and 2^20, every multiplier edge. */
    @Example
    void boundedEdgeCases() {
        int limit = (int) RequantLoops.NARROW_SUMS - 1;
        int[] accs = {-limit, -limit + 1, -65_537, -65_536, -32_768, -1, 0, 1, 32_767, 65_535, 65_536, limit - 1, limit};
        int[] mults = {0, 1, 0x7FF, 0x800, 0xFFFF, 0x10000, 1 << 30, (1 << 30) + 1, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, -1};
        int[][] bounds = {{-128, 127}, {0, 127}, {-5, 6}, {-65_535, 65_535}, {7, 7}};
        int[] offsets = {-128, 0, 127, -65_535, 65_535, 65_536};
        edges(accs, mults, bounds, offsets, limit);
    }

    private static void assertStage(int[] acc, int[] mult, int[] shift, int outputOffset, int min, int max) {
        assertStage(acc, mult, shift, outputOffset, min, max, null);
    }

    /** {@link ChannelRequant#applyInts} of a stage built with sum bounds {@code bound} (null: none) against {@link FixedPoint}. */
    private static void assertStage(int[] acc, int[] mult, int[] shift, int outputOffset, int min, int max, long[] bound) {
        int n = acc.length;
        int[] expected = new int[n];
        for (int c = 0; c < n; c++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(acc[c], mult[c], shift[c]) + outputOffset;
            expected[c] = (byte) KernelUtil.clamp(v, min, max);
        }
        byte[] out = new byte[n + 2];
        int[] work = acc.clone();
        new ChannelRequant(n, mult, shift, outputOffset, min, max, bound).applyInts(work, out, 1);
        int[] actual = new int[n];
        for (int c = 0; c < n; c++) actual[c] = out[1 + c];
        assertArrayEquals(expected, actual, () -> "requantized outputs differ: acc " + java.util.Arrays.toString(acc)
                + " multipliers " + java.util.Arrays.toString(mult) + " shifts " + java.util.Arrays.toString(shift)
                + " offset " + outputOffset + " clamp [" + min + ", " + max + "]");
    }

    /**
     * {@link ChannelRequant#applyPlane} (the planar conv loops' stage: one channel over many pixels, written with a
     * stride) for every channel over all of {@code acc}: equal to {@link FixedPoint} with that channel's multiplier and shift.
     */
    private static void assertPlanes(int[] acc, int[] mult, int[] shift, int outputOffset, int min, int max) {
        assertPlanes(acc, mult, shift, outputOffset, min, max, null);
    }

    /** {@link #assertPlanes} of a stage built with sum bounds {@code bound} (null: none; each covers all of {@code acc}). */
    private static void assertPlanes(int[] acc, int[] mult, int[] shift, int outputOffset, int min, int max, long[] bound) {
        int n = acc.length;
        ChannelRequant stage = new ChannelRequant(n, mult, shift, outputOffset, min, max, bound);
        for (int c = 0; c < n; c++) {
            int[] work = acc.clone();
            byte[] out = new byte[2 * n + 1];
            stage.applyPlane(c, work, n, out, 1, 2);
            for (int i = 0; i < n; i++) {
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc[i], mult[c], shift[c]) + outputOffset;
                int expected = (byte) KernelUtil.clamp(v, min, max), channel = c, pixel = i;
                assertEquals(expected, out[1 + 2 * i], () -> "channel " + channel + " pixel " + pixel + ": acc " + acc[pixel]
                        + " multiplier " + mult[channel] + " shift " + shift[channel] + " offset " + outputOffset
                        + " clamp [" + min + ", " + max + "]");
            }
            assertEquals(0, out[0], "applyPlane wrote before its first output");
            for (int i = 0; i < n; i++) assertEquals(0, out[2 + 2 * i], "applyPlane wrote between its outputs");
        }
        assertPlanes4(acc, stage, mult, shift, outputOffset, min, max);
    }

    /**
     * {@link ChannelRequant#applyPlanes4} (four channels' stages, each pixel's bytes stored as one int) for channels
     * {@code c .. c + 3}, each over {@code acc} rotated by its lane: pixel i's four bytes at {@code 1 + 5 i}, a gap after.
     */
    private static void assertPlanes4(int[] acc, ChannelRequant stage, int[] mult, int[] shift, int outputOffset, int min, int max) {
        int n = acc.length;
        for (int c = 0; c + 3 < n; c++) {
            int[][] work = new int[4][n];
            for (int j = 0; j < 4; j++) for (int i = 0; i < n; i++) work[j][i] = acc[(i + j) % n];
            byte[] out = new byte[5 * n + 1];
            stage.applyPlanes4(c, work[0], work[1], work[2], work[3], n, new int[n], out, 1, 5);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 4; j++) {
                    int a = acc[(i + j) % n], channel = c + j, pixel = i;
                    int v = FixedPoint.multiplyByQuantizedMultiplier(a, mult[channel], shift[channel]) + outputOffset;
                    assertEquals((byte) KernelUtil.clamp(v, min, max), out[1 + 5 * i + j], () -> "applyPlanes4 channel " + channel
                            + " pixel " + pixel + ": acc " + a + " multiplier " + mult[channel] + " shift " + shift[channel]
                            + " offset " + outputOffset + " clamp [" + min + ", " + max + "]");
                }
                assertEquals(0, out[5 + 5 * i], "applyPlanes4 wrote between its outputs");
            }
            assertEquals(0, out[0], "applyPlanes4 wrote before its first output");
        }
    }
}
