package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.FixedPoint16;
import dev.minnow.math.QuantizedMultiplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
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
        assertEquals(m.shift(), FastLstmCell.Rescale.of(m.multiplier(), m.shift()).shift(), () -> "the shift of " + m);
    }

    @Property(tries = 3000)
    void mulIsMulParams(@ForAll @IntRange(min = -32768, max = 32767) int a, @ForAll @IntRange(min = -32768, max = 32767) int b,
                        @ForAll("multiplier") QuantizedMultiplier m, @ForAll @IntRange(min = -128, max = 127) int offset,
                        @ForAll boolean int8) {
        LstmCell.MulParams p = new LstmCell.MulParams(m.multiplier(), m.shift(), offset, int8 ? -128 : -32768, int8 ? 127 : 32767);
        assertEquals(p.apply(a, b), FastLstmCell.Mul.of(p).apply(a, b), () -> a + " * " + b + " with " + p);
    }

    @Provide
    Arbitrary<Integer> int16() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-32768, 32767), Arbitraries.of(-32768, 32767, -32767, 0, 1, -1, 2, -2));
    }

    /**
     * The cell update's halving form (multiplier 2^30, right shift 1..29, as TFLM quantizes forget * cell and input *
     * cell gate) against the reference for int16 operands, every output offset and both clamps; other shifts, left
     * shifts and multipliers are not halving.
     */
    @Property(tries = 1000)
    void halvingMulIsMulParams(@ForAll("int16") int a, @ForAll("int16") int b, @ForAll @IntRange(min = -2, max = 31) int right,
                               @ForAll @IntRange(min = -128, max = 127) int offset, @ForAll boolean int8) {
        LstmCell.MulParams p = new LstmCell.MulParams(1 << 30, -right, offset, int8 ? -128 : -32768, int8 ? 127 : 32767);
        FastLstmCell.Mul mul = FastLstmCell.Mul.of(p);
        assertEquals(right >= 1 && right <= 29, mul.halving(), () -> "halving with right shift " + right);
        if (mul.halving()) {
            assertEquals(p.apply(a, b), Math.min(p.max(), Math.max(p.min(), mul.halvingUnclamped(a, b))), () -> a + " * " + b + " with " + p);
        }
        assertEquals(false, FastLstmCell.Mul.of(new LstmCell.MulParams((1 << 30) + 1, -right, offset, -128, 127)).halving());
    }

    /**
     * halvingWithin: when it holds for operand ranges, the unclamped halving product equals the reference for every
     * operand pair in them (the ranges' corners, each range's inside, near-edge values); it holds for the ranges TFLM's
     * cell update sees (the sigmoid table's [0, 32767] times the int16 cell, right shifts 14 and up, offset 0) and
     * fails where the clamp bites (a range, shift or offset that reaches past [min, max]).
     */
    @Property(tries = 1000)
    void unclampedHalvingWithinItsRangesIsMulParams(@ForAll("int16") int aEnd, @ForAll("int16") int aOther, @ForAll("int16") int bEnd,
                                                    @ForAll("int16") int bOther, @ForAll @IntRange(min = 1, max = 29) int right,
                                                    @ForAll @IntRange(min = -4, max = 4) int offset, @ForAll boolean int8, @ForAll long seed) {
        int aLo = Math.min(aEnd, aOther), aHi = Math.max(aEnd, aOther), bLo = Math.min(bEnd, bOther), bHi = Math.max(bEnd, bOther);
        LstmCell.MulParams p = new LstmCell.MulParams(1 << 30, -right, offset, int8 ? -128 : -32768, int8 ? 127 : 32767);
        FastLstmCell.Mul mul = FastLstmCell.Mul.of(p);
        java.util.Random random = new java.util.Random(seed);
        boolean within = mul.halvingWithin(aLo, aHi, bLo, bHi);
        boolean clampBites = false;
        for (int k = 0; k < 64; k++) {
            int a = k < 2 ? (k == 0 ? aLo : aHi) : k < 4 ? aLo + random.nextInt(aHi - aLo + 1) : k % 2 == 0 ? aLo : aHi;
            int b = k < 4 ? (k % 2 == 0 ? bLo : bHi) : bLo + random.nextInt(bHi - bLo + 1);
            int expected = p.apply(a, b), unclamped = mul.halvingUnclamped(a, b);
            clampBites |= expected != unclamped;
            if (within) assertEquals(expected, unclamped, () -> a + " * " + b + " with " + p);
        }
        assertEquals(false, within && clampBites);
        if (!int8 && offset == 0 && right >= 14 && aLo >= 0) assertEquals(true, within, "TFLM's ranges with right shift " + right);
        if (int8 && right <= 20) assertEquals(false, mul.halvingWithin(-32768, 32767, -32768, 32767), "int8 clamp at right shift " + right);
    }

    /**
     * halvingCellUpdate (the LSTM's cell update as one int loop, the clip as masks) against the reference's products
     * element by element, {@code max(min(hi, forget.apply(f, c) + input.apply(i, g)), lo)}, where both products are
     * halvingWithin the operands' ranges: int16 cells, sigmoid gates in [0, 32767], tanh cell gates, right shifts
     * 12-29 (where the clamps are no-ops), offsets, clips from none (all of int16) to 1, lengths around a vector's 8 and 16 lanes.
     */
    @Property(tries = 1000)
    void halvingCellUpdateIsTheProductsClipped(@ForAll @IntRange(min = 12, max = 29) int rightF, @ForAll @IntRange(min = 12, max = 29) int rightI,
                                               @ForAll @IntRange(min = -4, max = 4) int offF, @ForAll @IntRange(min = -4, max = 4) int offI,
                                               @ForAll("clip") int clip, @ForAll @IntRange(min = 0, max = 70) int n, @ForAll long seed) {
        FastLstmCell.Mul forget = FastLstmCell.Mul.of(new LstmCell.MulParams(1 << 30, -rightF, offF, -32768, 32767));
        FastLstmCell.Mul input = FastLstmCell.Mul.of(new LstmCell.MulParams(1 << 30, -rightI, offI, -32768, 32767));
        if (!forget.halvingWithin(0, 32767, -32768, 32767) || !input.halvingWithin(0, 32767, -32768, 32767)) return;
        int hi = Math.min(32767, clip), lo = (short) -clip;
        java.util.Random r = new java.util.Random(seed);
        int[] f = new int[n], c = new int[n], i = new int[n], g = new int[n], expected = new int[n];
        int[] ends = {-32768, 32767, 0, -1, 1};
        for (int o = 0; o < n; o++) {
            f[o] = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0 : 32767) : r.nextInt(32768);
            i[o] = r.nextInt(4) == 0 ? (r.nextBoolean() ? 0 : 32767) : r.nextInt(32768);
            c[o] = r.nextInt(4) == 0 ? ends[r.nextInt(ends.length)] : r.nextInt(65536) - 32768;
            g[o] = r.nextInt(4) == 0 ? ends[r.nextInt(ends.length)] : r.nextInt(65536) - 32768;
            expected[o] = Math.max(Math.min(hi, forget.apply(f[o], c[o]) + input.apply(i[o], g[o])), lo);
        }
        FastLstmCell.Mul.halvingCellUpdate(forget, input, f, c, i, g, n, lo, hi);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, c, () -> "shifts " + rightF + ", " + rightI + " clip " + clip);
    }

    @Provide
    Arbitrary<Integer> clip() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 40000), Arbitraries.of(1, 2, 127, 128, 32767, 32768, 40000));
    }

    /**
     * The array forms FastLstm runs on the default path: GateRescales (four gates' rescales over {@code 4 units}
     * products, as int passes or, when a gate's right shift exceeds 31, element by element) and Rescale.applySaturated
     * (one gate over a chunk of steps), each against the reference rescale saturated to int16, element by element; and
     * GateRescales with the input side added with saturation as an activation table's index.
     */
    @Property(tries = 1000)
    void arrayRescalesSaturateAsTheReference(@ForAll("multiplier") QuantizedMultiplier m0, @ForAll("multiplier") QuantizedMultiplier m1,
                                             @ForAll("multiplier") QuantizedMultiplier m2, @ForAll("multiplier") QuantizedMultiplier m3,
                                             @ForAll @IntRange(min = 1, max = 70) int units, @ForAll long seed) {
        QuantizedMultiplier[] m = {m0, m1, m2, m3};
        FastLstmCell.Rescale[] r = rescales(m);
        java.util.Random random = new java.util.Random(seed);
        int[] x = products(random, 4 * units, new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1 << 30, -(1 << 30), 32767, -32768},
                Integer.MAX_VALUE);
        int[] gates = x.clone(), chunk = x.clone(), indices = x.clone(), in = inputSide(random, x.length);
        new FastLstmCell.GateRescales(r, units).applySaturated(gates);
        new FastLstmCell.GateRescales(r, units).applySaturated(indices, in);
        r[0].applySaturated(chunk, x.length);
        for (int j = 0; j < x.length; j++) {
            QuantizedMultiplier g = m[j / units];
            int expected = Math.min(32767, Math.max(-32768, FixedPoint.multiplyByQuantizedMultiplier(x[j], g.multiplier(), g.shift())));
            assertEquals(expected, gates[j], "gate " + j / units + " of " + x[j] + " * " + g);
            assertEquals(Math.min(32767, Math.max(-32768, expected + in[j])) + 32768, indices[j], "index of " + x[j] + " * " + g + " + " + in[j]);
            int first = Math.min(32767, Math.max(-32768, FixedPoint.multiplyByQuantizedMultiplier(x[j], m0.multiplier(), m0.shift())));
            assertEquals(first, chunk[j], "chunk: " + x[j] + " * " + m0);
        }
    }

    @Provide
    Arbitrary<QuantizedMultiplier> narrowMultiplier() {
        // around the narrow passes' gates: no left shift and right shifts of 0 to 16 take them, shifts 1 and -17 do not
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-17.5, 1.5).map(e -> FixedPoint.quantizeMultiplier(Math.pow(2, e))),
                Combinators.combine(Arbitraries.integers().between(1 << 30, Integer.MAX_VALUE), Arbitraries.integers().between(-17, 1))
                        .as(QuantizedMultiplier::new),
                Arbitraries.of(QuantizedMultiplier.ZERO, new QuantizedMultiplier(Integer.MAX_VALUE, 0), new QuantizedMultiplier(Integer.MAX_VALUE, -16),
                        new QuantizedMultiplier(1 << 30, -1), new QuantizedMultiplier(1 << 30, -16), new QuantizedMultiplier(1, -1)));
    }

    /**
     * The narrow passes FastLstm runs when its weights bound the gate products below 2^20 in magnitude: GateRescales
     * built with that bound (RequantLoops.productNarrow then divideLow where every gate's rescale qualifies, the wide
     * passes where one does not) and Rescale.applySaturatedNarrow (one gate over a chunk, the multiplier's pieces and
     * the shift as constants), against the reference rescale saturated to int16, on products up to the bound's edge.
     */
    @Property(tries = 1000)
    void narrowRescalesSaturateAsTheReference(@ForAll("narrowMultiplier") QuantizedMultiplier m0, @ForAll("narrowMultiplier") QuantizedMultiplier m1,
                                              @ForAll("narrowMultiplier") QuantizedMultiplier m2, @ForAll("narrowMultiplier") QuantizedMultiplier m3,
                                              @ForAll @IntRange(min = 1, max = 70) int units, @ForAll long seed) {
        int most = (1 << 20) - 1;
        java.util.Random random = new java.util.Random(seed);
        QuantizedMultiplier[] m = {m0, m1, m2, m3};
        FastLstmCell.Rescale[] r = rescales(m);
        int[] x = products(random, 4 * units, new int[] {0, 1, -1, most, -most, most - 1, -most + 1, 32767, -32768, 1 << 19, -(1 << 19)}, most);
        int[] indices = x.clone(), chunk = x.clone(), in = inputSide(random, x.length);
        new FastLstmCell.GateRescales(r, units, most).applySaturated(indices, in);
        boolean narrow = r[0].narrowable() && r[0].passes() != null;
        if (narrow) r[0].applySaturatedNarrow(chunk, x.length);
        for (int j = 0; j < x.length; j++) {
            QuantizedMultiplier g = m[j / units];
            int expected = Math.min(32767, Math.max(-32768, FixedPoint.multiplyByQuantizedMultiplier(x[j], g.multiplier(), g.shift())));
            assertEquals(Math.min(32767, Math.max(-32768, expected + in[j])) + 32768, indices[j], "index of " + x[j] + " * " + g + " + " + in[j]);
            int first = Math.min(32767, Math.max(-32768, FixedPoint.multiplyByQuantizedMultiplier(x[j], m0.multiplier(), m0.shift())));
            if (narrow) assertEquals(first, chunk[j], "narrow chunk: " + x[j] + " * " + m0);
        }
    }

    private static FastLstmCell.Rescale[] rescales(QuantizedMultiplier[] m) {
        FastLstmCell.Rescale[] r = new FastLstmCell.Rescale[m.length];
        for (int k = 0; k < m.length; k++) r[k] = FastLstmCell.Rescale.of(m[k].multiplier(), m[k].shift());
        return r;
    }

    /** n gate products: a third edges, a third within 70,000, a third within {@code most} (Integer.MAX_VALUE: any int). */
    private static int[] products(java.util.Random random, int n, int[] edges, int most) {
        int[] x = new int[n];
        for (int j = 0; j < n; j++) {
            int kind = random.nextInt(3);
            x[j] = kind == 0 ? edges[random.nextInt(edges.length)] : kind == 1 ? random.nextInt(140001) - 70000
                    : most == Integer.MAX_VALUE ? random.nextInt() : random.nextInt(2 * most + 1) - most;
        }
        return x;
    }

    /** n int16 input sides, a quarter of them at the int16 edges. */
    private static int[] inputSide(java.util.Random random, int n) {
        int[] in = new int[n];
        for (int j = 0; j < n; j++) in[j] = random.nextInt(4) == 0 ? (random.nextBoolean() ? 32767 : -32768) : random.nextInt(65536) - 32768;
        return in;
    }

    /** RequantLoops' one-multiplier narrow passes (productNarrow, divideLow with constants) against FixedPoint, value by value. */
    @Property(tries = 1000)
    void constantNarrowPassesAreMultiplyByQuantizedMultiplier(@ForAll @IntRange(min = -(1 << 20) + 1, max = (1 << 20) - 1) int a,
                                                              @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int multiplier,
                                                              @ForAll @IntRange(min = 0, max = 16) int right) {
        int[] acc = {a, -a, a / 3, 0};
        int[] expected = new int[acc.length];
        for (int i = 0; i < acc.length; i++) expected[i] = FixedPoint.multiplyByQuantizedMultiplier(acc[i], multiplier, -right);
        RequantLoops.Operands o = new RequantLoops.Operands(1).set(0, multiplier, -right);
        RequantLoops.productNarrow(acc, acc.length, multiplier & 0x7FF, (multiplier >> 11) & 0x7FF, multiplier >>> 22);
        RequantLoops.divideLow(acc, acc.length, o.shiftLow[0], o.half[0], o.mask[0]);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, acc, () -> a + " * " + multiplier + " >> " + right);
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
