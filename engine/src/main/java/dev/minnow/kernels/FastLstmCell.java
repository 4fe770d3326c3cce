package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.FixedPoint16;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link LstmCell}'s quantized per-element arithmetic prepared for {@link FastLstm}'s step, with the same results:
 * rescalings with their shifts and rounding terms worked out once ({@link Rescale}, {@link Mul}), and the int16 sigmoid
 * and tanh as 65,536-entry tables of the reference functions over every int16 input ({@link #table}).
 *
 * <p>A table is 128 KiB, built at prepare (about 65,536 reference evaluations) and shared by every node with the same
 * function and input scaling while any of them is alive; the prepare-time heap budget counts it for each node.
 */
final class FastLstmCell {
    private FastLstmCell() {}

    /** Heap bytes of one activation table. */
    static final long TABLE_BYTES = 2L * 65536 + 16;

    /**
     * TFLM's MultiplyByQuantizedMultiplier for an int32 value ({@link FixedPoint#multiplyByQuantizedMultiplier(int, int,
     * int)}): the doubling high multiply is {@code floor((x m + 2^30) / 2^31)} (the same as gemmlowp's
     * nudge-then-truncate for every operand but {@code m = x = MIN_VALUE}, which a non-negative multiplier excludes),
     * then the rounding right shift adds half and, for a negative value, one less. The rescaling is held once, as the
     * (multiplier, shift) pair: {@link #apply} derives its left factor, right shift and half from the shift (loop
     * invariants C2 hoists out of the loops that call it; same run against the form that held them as fields, JDK 17
     * defaults: no loss on either int8 LSTM model), and {@code passes} holds the same rescaling as
     * {@link RequantLoops}' operands (one element) when it is {@link #laneable}, else null.
     */
    record Rescale(int multiplier, int shift, RequantLoops.Operands passes) {
        /** The rescaling by {@code multiplier * 2^(shift - 31)} ({@code multiplier >= 0}, as quantizeMultiplier gives). */
        static Rescale of(int multiplier, int shift) {
            if (multiplier < 0) throw new IllegalArgumentException("negative quantized multiplier " + multiplier);
            return new Rescale(multiplier, shift,
                    RequantLoops.Operands.right(shift) <= 31 ? new RequantLoops.Operands(1).set(0, multiplier, shift) : null);
        }

        /** {@code 2^left}, the factor of the left shift (1 without one). */
        int leftFactor() { return 1 << RequantLoops.Operands.left(shift); }

        /** The right shift (0 without one). */
        int rightShift() { return RequantLoops.Operands.right(shift); }

        /** {@code x} rescaled exactly as the reference rescales it. */
        int apply(int x) {
            int right = rightShift();
            long y = ((long) (x * leftFactor()) * multiplier + (1L << 30)) >> 31;
            return (int) ((right > 0 ? y + (1L << (right - 1)) + (y >> 63) : y) >> right);
        }

        /** Whether {@link VectorLstmCell}'s int lanes can take this rescaling: a right shift within an int's 31 bits. */
        boolean laneable() { return rightShift() <= 31; }

        /**
         * Whether {@link RequantLoops#productNarrow} then {@link RequantLoops#divideLow} compute this rescaling of a
         * value below {@link RequantLoops#NARROW_SUMS} in magnitude: no left shift and a right shift of at most 16 (the
         * multiplier is never negative).
         */
        boolean narrowable() { return leftFactor() == 1 && rightShift() <= 16; }

        /**
         * {@code a[i] = saturate_int16(apply(a[i]))} for {@code i < n}: a gate's products rescaled to Q3.12 as the
         * reference saturates them; in {@link RequantLoops}' int passes ({@link #passes}) when the rescale is
         * {@link #laneable}, which C2 on JDK 17 vectorises (it does not vectorise {@link #apply}'s 64-bit product), so
         * this pays on long arrays only: {@link FastLstm} calls it on a gate's input products of a whole chunk of steps
         * at once.
         */
        void applySaturated(int[] a, int n) {
            if (passes == null) {
                applyEach(a, n);
                return;
            }
            passes.applyOne(0, a, n, 0, -32768, 32767);
        }

        /**
         * {@link #applySaturated} of values below {@link RequantLoops#NARROW_SUMS} in magnitude (the caller's bound) by
         * a {@link #narrowable} rescaling: the multiplier in three 11-bit pieces ({@link RequantLoops#productNarrow}) and
         * the division without its high product ({@link RequantLoops#divideLow}), one product less in each pass.
         */
        void applySaturatedNarrow(int[] a, int n) {
            RequantLoops.productNarrow(a, n, RequantLoops.NarrowMultipliers.piece0(multiplier),
                    RequantLoops.NarrowMultipliers.piece1(multiplier), RequantLoops.NarrowMultipliers.piece2(multiplier));
            RequantLoops.divideLow(a, n, passes.shiftLow[0], passes.half[0], passes.mask[0]);
            RequantLoops.offsetClamp(a, n, 0, -32768, 32767);
        }

        /** {@link #applySaturated} element by element (its own method: a second loop shape can cost the passes their vectorisation). */
        private void applyEach(int[] a, int n) {
            for (int i = 0; i < n; i++) a[i] = Math.min(32767, Math.max(-32768, apply(a[i])));
        }
    }

    /**
     * The recurrent rescales of the four stacked gates ({@code 4 units} products, a gate's units sharing its rescale)
     * as per-element operands of {@link RequantLoops}' int passes, so that a step rescales and saturates all its gate
     * products in passes C2 on JDK 17 vectorises; element by element with {@link Rescale#apply} when a gate's rescale
     * is not {@link Rescale#laneable}.
     */
    static final class GateRescales {
        private final Rescale[] gates;
        private final int units;
        /** The passes' operands per element, or null for the element-by-element form. */
        private final RequantLoops.Operands passes;
        /** Whether the passes run and every gate's rescale shifts right by at least one: {@link #saturatedIndices}. */
        private final boolean rightShifted;
        /**
         * The multipliers' 11-bit pieces when {@link #applySaturated(int[], int[])} may take the narrow passes
         * ({@link Rescale#narrowable} rescales of products below {@link RequantLoops#NARROW_SUMS}), else null.
         */
        private final RequantLoops.NarrowMultipliers narrow;

        /** The rescales of products of any magnitude. */
        GateRescales(Rescale[] gates, int units) {
            this(gates, units, Long.MAX_VALUE);
        }

        /** The rescales of products whose magnitude is below {@code bound} (proven by the caller from its weights). */
        GateRescales(Rescale[] gates, int units, long bound) {
            this.gates = gates.clone();
            this.units = units;
            boolean laneable = true, narrowable = bound < RequantLoops.NARROW_SUMS;
            for (Rescale r : gates) {
                laneable &= r.laneable();
                narrowable &= r.narrowable();
            }
            passes = laneable ? new RequantLoops.Operands(gates.length * units) : null;
            boolean right = laneable;
            for (Rescale r : gates) right &= r.rightShift() >= 1;
            rightShifted = right;
            narrow = right && narrowable ? new RequantLoops.NarrowMultipliers(gates.length * units) : null;
            if (!laneable) return;
            for (int j = 0; j < gates.length * units; j++) {
                passes.set(j, gates[j / units].multiplier(), gates[j / units].shift());
                if (narrow != null) narrow.set(j, gates[j / units].multiplier());
            }
        }

        /** Heap bytes of the operands for {@code n} products (the passes' and the narrow multipliers' arrays). */
        static long bytes(int n) { return RequantLoops.Operands.bytes(n) + RequantLoops.NarrowMultipliers.bytes(n); }

        /** {@code a[j] = saturate_int16(gate(j).apply(a[j]))} for the {@code 4 units} gate products in {@code a}. */
        void applySaturated(int[] a) {
            if (passes == null) {
                applyEach(a);
                return;
            }
            passes.apply(a, gates.length * units, 0, -32768, 32767);
        }

        /**
         * {@link #applySaturated}, then {@code a[j] = saturate_int16(a[j] + in[j]) + 32768}: the gate's input side
         * ({@code in}, int16 values) added with saturation and the result turned into an activation table's index, in
         * passes C2 vectorises over the {@code 4 units} products, so that the scalar loop after it only looks up. When
         * every gate's rescale shifts right ({@link #rightShifted}) both saturations run in one pass
         * ({@link #saturatedIndices}) after the high multiply and the division, one pass less over the products per
         * step than the output stage's clamp followed by {@link #addSaturated} (JDK 17 defaults, two same-run A/B runs
         * of 3 rounds: mnist_lstm int8 17.4 and 17.6 against 18.2 us, the forecaster 24.6 and 27.7 against 28.0 and 28.3).
         */
        void applySaturated(int[] a, int[] in) {
            int n = gates.length * units;
            if (!rightShifted) {
                applySaturated(a);
                addSaturated(a, in, n);
                return;
            }
            if (narrow != null) {
                RequantLoops.productNarrow(a, n, narrow);
                RequantLoops.divideLow(a, n, passes.shiftLow, passes.half, passes.mask);
            } else {
                RequantLoops.highMul(a, n, passes.pow2, passes.multiplierLow, passes.multiplierHigh);
                RequantLoops.divideByPot(a, n, passes.shiftHigh, passes.shiftLow, passes.half, passes.mask);
            }
            saturatedIndices(a, in, n);
        }

        /**
         * {@code a[j] = saturate_int16(saturate_int16(a[j]) + in[j]) + 32768} for {@code |a[j]| <= 2^30} (what a rescale
         * with a right shift of at least one leaves) and int16 {@code in[j]}: the reference's saturation of the gate's
         * rescaled recurrent products, then of their sum with the input side, both as {@link #index16}'s masks, whose
         * differences cannot overflow at these magnitudes.
         */
        static void saturatedIndices(int[] a, int[] in, int n) {
            for (int j = 0; j < n; j++) a[j] = index16(index16(a[j]) - 32768 + in[j]);
        }

        /**
         * {@code a[j] = saturate_int16(a[j] + b[j]) + 32768} for int16 values, the clamps as masks ({@code v - max(v, 0)}
         * by {@code v & ~(v >> 31)}; the sums stay far from overflow), which C2 on JDK 17 vectorises where it leaves
         * {@code Math.min}/{@code max} on ints scalar.
         */
        static void addSaturated(int[] a, int[] b, int n) {
            for (int j = 0; j < n; j++) a[j] = index16(a[j] + b[j]);
        }

        /** {@code saturate_int16(s) + 32768} for {@code |s| < 2^31 - 32768}, as masks (see {@link #addSaturated}). */
        private static int index16(int s) {
            int over = s - 32767;
            s -= over & ~(over >> 31);
            int under = s + 32768;
            return under - (under & (under >> 31));
        }

        /** {@link #applySaturated} element by element, for rescales that are not all {@link Rescale#laneable}. */
        private void applyEach(int[] a) {
            for (int k = 0, j = 0; k < gates.length; k++) {
                Rescale r = gates[k];
                for (int end = j + units; j < end; j++) a[j] = Math.min(32767, Math.max(-32768, r.apply(a[j])));
            }
        }
    }

    /** {@link LstmCell.MulParams} prepared: {@code clamp(offset + rescale(a * b))}. */
    record Mul(Rescale rescale, int outputOffset, int min, int max) {
        /** The prepared form of the reference parameters. */
        static Mul of(LstmCell.MulParams p) {
            return new Mul(Rescale.of(p.multiplier(), p.shift()), p.outputOffset(), p.min(), p.max());
        }

        /** Whether {@link VectorLstmCell#mul} can take it: a {@link Rescale#laneable} rescale, a range inside int16. */
        boolean laneable() { return rescale.laneable() && min >= -32768 && max <= 32767 && min <= max; }

        /** The product {@code a * b} rescaled, offset and clamped, as {@link LstmCell.MulParams#apply}. */
        int apply(int a, int b) {
            return Math.min(max, Math.max(min, outputOffset + rescale.apply(a * b)));
        }

        /**
         * Whether the rescale is a halving then a rounding right shift: multiplier 2^30 (a scale of one half), no left
         * shift and a right shift of 1 to 29, what TFLM's quantizer gives the cell update's two products (a power-of-two
         * scale ratio between Q0.15 gates and the cell state). {@link #halvingUnclamped} then computes it in int arithmetic.
         */
        boolean halving() {
            return rescale.multiplier() == 1 << 30 && rescale.leftFactor() == 1 && rescale.rightShift() >= 1 && rescale.rightShift() <= 29;
        }

        /**
         * {@link #apply} of a {@link #halving} Mul before its clamp, for {@code |a * b| <= 2^30} (int16 operands):
         * {@code outputOffset} plus the rescaled product, where the doubling high multiply by 2^30 is
         * {@code floor((x + 1) / 2)} and the rounding shift adds {@code 2^(r-1)}, one less when that half is negative
         * ({@code x + 1 < 0}); the two floors are one, {@code floor((x + 1 + 2^r - 2 [x + 1 < 0]) / 2^(r+1))}, with no
         * 64-bit product. Clamped to {@code [min, max]} it is {@link #apply}; where {@link #halvingWithin} holds for the
         * operands' ranges it is {@link #apply} as it is, and the LSTM's cell loop skips the clamp's two compares.
         */
        int halvingUnclamped(int a, int b) {
            return outputOffset + halved(a * b);
        }

        private int halved(int x) {
            return halved(x, rescale.rightShift());
        }

        /** {@link #halvingUnclamped}'s rescale of {@code x} without the offset, for a right shift of {@code r}. */
        private static int halved(int x, int r) {
            return (x + 1 + (1 << r) + ((x + 1) >> 31 << 1)) >> (r + 1);
        }

        /**
         * The LSTM's cell update for n units where both products are {@link #halvingWithin} their operands' ranges
         * ({@code forget} over the forget gate and the cell, {@code input} over the input and cell gates):
         * {@code c[o] = max(min(hi, halvingUnclamped(f[o], c[o]) + halvingUnclamped(i[o], g[o])), lo)}, the clip as
         * masks ({@code v - max(v - hi, 0)}, then {@code v - min(v - lo, 0)}; the sums stay far from overflow). One loop
         * of int arithmetic with every array indexed by the unit alone, the form C2 on JDK 17 vectorises (it leaves
         * {@code Math.min}/{@code max} on ints scalar).
         */
        static void halvingCellUpdate(Mul forget, Mul input, int[] f, int[] c, int[] i, int[] g, int n, int lo, int hi) {
            int offset = forget.outputOffset + input.outputOffset, rf = forget.rescale.rightShift(), ri = input.rescale.rightShift();
            for (int o = 0; o < n; o++) {
                int v = offset + halved(f[o] * c[o], rf) + halved(i[o] * g[o], ri);
                int over = v - hi;
                v -= over & ~(over >> 31);
                int under = v - lo;
                c[o] = v - (under & (under >> 31));
            }
        }

        /**
         * Whether this Mul is {@link #halving} and its clamp changes no product {@code a * b} of {@code a} in
         * {@code [aLo, aHi]} and {@code b} in {@code [bLo, bHi]} (int16 ranges): the halving rescale is non-decreasing in
         * the product, so the products at the ranges' corners bound its results.
         */
        boolean halvingWithin(int aLo, int aHi, int bLo, int bHi) {
            if (!halving()) return false;
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (int a : new int[] {aLo, aHi}) {
                for (int b : new int[] {bLo, bHi}) {
                    lo = Math.min(lo, halved(a * b));
                    hi = Math.max(hi, halved(a * b));
                }
            }
            return (long) outputOffset + lo >= min && (long) outputOffset + hi <= max;
        }
    }

    private record Key(boolean tanh, int multiplier, int shift) {}

    private static final Map<Key, WeakReference<short[]>> TABLES = new HashMap<>();

    /**
     * The table {@code t[v + 32768] = f(v)} for every int16 {@code v}, f the reference int16 tanh or logistic with input
     * scaling {multiplier, shift} ({@link FixedPoint16#tanh}, {@link FixedPoint16#logistic}); shared while in use.
     */
    static synchronized short[] table(boolean tanh, int multiplier, int shift) {
        Key key = new Key(tanh, multiplier, shift);
        WeakReference<short[]> ref = TABLES.get(key);
        short[] t = ref == null ? null : ref.get();
        if (t == null) {
            t = new short[65536];
            for (int v = -32768; v < 32768; v++) {
                t[v + 32768] = tanh ? FixedPoint16.tanh(v, multiplier, shift) : FixedPoint16.logistic(v, multiplier, shift);
            }
            TABLES.values().removeIf(r -> r.get() == null);
            TABLES.put(key, new WeakReference<>(t));
        }
        return t;
    }
}
