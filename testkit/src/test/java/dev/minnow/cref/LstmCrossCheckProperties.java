package dev.minnow.cref;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import dev.minnow.testkit.LstmCases;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM: the Java engine and the C reference agree byte for byte on random valid LSTMs
 * (float32, int8 and int16 activations; batch/time-major; 1 to 3 invokes with the state carried; random initial
 * states; cell clipping; scales from 2^-12 up, cell state scales 2^-16 to 2^2 and some not powers of two), and both
 * reject the variants TFLM's micro kernel rejects (CIFG, peephole, projection, layer normalisation, an activation
 * other than tanh).
 */
class LstmCrossCheckProperties {
    enum Variant { STANDARD, CIFG, PEEPHOLE, PROJECTION, LAYER_NORM, RELU }

    /** Sizes, quantization and a seed; the data are drawn from the seed so shrinking keeps the case valid. */
    record Params(DataType act, int batch, int steps, int nInput, int nCell, boolean timeMajor, int invokes,
                  float inScale, int inZp, float hScale, int hZp, int cellPower, boolean cellPow2, boolean clip,
                  boolean freshState, Variant variant, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.oneOf(
                Arbitraries.doubles().between(-12, 1).map(e -> (float) Math.pow(2, e)),
                Arbitraries.of(0.000244140625f, 2.0f, 0.0078125f * 1.37f));
        Arbitrary<Integer> zp8 = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        Arbitrary<Variant> variant = Arbitraries.frequency(Tuple.of(40, Variant.STANDARD), Tuple.of(1, Variant.CIFG),
                Tuple.of(1, Variant.PEEPHOLE), Tuple.of(1, Variant.PROJECTION), Tuple.of(1, Variant.LAYER_NORM),
                Tuple.of(1, Variant.RELU));
        Arbitrary<Object[]> shape = Combinators.combine(
                Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 6),
                Arbitraries.integers().between(1, 6), Arbitraries.of(true, false), Arbitraries.integers().between(1, 3))
                .as((a, b, t, i, c, tm, inv) -> new Object[] {a, b, t, i, c, tm, inv});
        Arbitrary<Object[]> quant = Combinators.combine(scale, zp8, scale, zp8, Arbitraries.integers().between(-16, 2),
                Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false)), Arbitraries.of(true, false))
                .as((is, iz, hs, hz, cp, p2, clip) -> new Object[] {is, iz, hs, hz, cp, p2, clip});
        return Combinators.combine(shape, quant, Arbitraries.of(true, false), variant, Arbitraries.longs())
                .as((s, q, fresh, v, seed) -> new Params((DataType) s[0], (int) s[1], (int) s[2], (int) s[3], (int) s[4],
                        (boolean) s[5], (int) s[6], (float) q[0], (int) q[1], (float) q[2], (int) q[3], (int) q[4],
                        (boolean) q[5], (boolean) q[6], fresh, v, seed));
    }

    static CReference.Case build(String name, Params p) {
        Random r = new Random(p.seed());
        DataType act = p.act();
        boolean quant = act != DataType.FLOAT32;
        DataType wt = quant ? DataType.INT8 : DataType.FLOAT32;
        DataType bt = act == DataType.INT8 ? DataType.INT32 : act == DataType.INT16 ? DataType.INT64 : DataType.FLOAT32;
        int n = p.nCell(), ni = p.nInput(), states = p.batch() * n;
        int inZp = act == DataType.INT8 ? p.inZp() : 0, hZp = act == DataType.INT8 ? p.hZp() : 0;
        Quantization inQ = quant ? CrossCheck.q(p.inScale(), inZp) : null;
        Quantization hQ = quant ? CrossCheck.q(p.hScale(), hZp) : null;
        float cellScale = (float) Math.pow(2, p.cellPower()) * (p.cellPow2() ? 1f : 0.5f + r.nextFloat());
        Quantization cQ = quant ? CrossCheck.q(cellScale, 0) : null;

        Map<String, CReference.TensorSpec> t = new LinkedHashMap<>();
        int d0 = p.timeMajor() ? p.steps() : p.batch(), d1 = p.timeMajor() ? p.batch() : p.steps();
        int[] inShape = {d0 * p.invokes(), d1, ni};
        t.put("input", new CReference.TensorSpec("input", act, inShape, inQ, data(act, d0 * p.invokes() * d1 * ni, 4f, r)));
        float[] wScale = new float[8];
        for (int k = 1; k <= 8; k++) {
            int cols = k <= 4 ? ni : n;
            // half the tensors scaled so a gate's pre-activation stays within a few units (sigmoid and tanh away
            // from saturation), the others from 2^-10 to 2^-1 with the ends themselves now and then
            float from = k <= 4 ? p.inScale() : p.hScale();
            float s = r.nextBoolean() ? (float) (4.0 / (128.0 * (act == DataType.INT16 ? 32768.0 : 128.0) * from * Math.sqrt(cols)) * (0.5 + r.nextDouble()))
                    : r.nextInt(8) == 0 ? (r.nextBoolean() ? 0.0009765625f : 0.5f) : (float) Math.pow(2, -10 + 9 * r.nextDouble());
            wScale[k - 1] = s;
            String role = LstmCases.ROLES[k];
            t.put(role, new CReference.TensorSpec(role, wt, new int[] {n, cols}, quant ? CrossCheck.q(s, 0) : null, data(wt, n * cols, 1f, r)));
        }
        for (int k = 12; k <= 15; k++) {
            String role = LstmCases.ROLES[k];
            Quantization bq = quant ? CrossCheck.q(p.inScale() * wScale[k - 12], 0) : null;
            t.put(role, new CReference.TensorSpec(role, bt, new int[] {n}, bq, data(bt, n, 1f, r)));
        }
        byte[] h = data(act, states, 1f, r), c = data(quant ? DataType.INT16 : DataType.FLOAT32, states, 2f, r);
        if (p.freshState()) {
            Arrays.fill(h, act == DataType.INT8 ? (byte) hZp : 0);
            Arrays.fill(c, (byte) 0);
        }
        t.put("output_state", new CReference.TensorSpec("output_state", act, new int[] {p.batch(), n}, hQ, h));
        t.put("cell_state", new CReference.TensorSpec("cell_state", quant ? DataType.INT16 : DataType.FLOAT32,
                new int[] {p.batch(), n}, cQ, c));
        DataType coeff = quant ? DataType.INT16 : DataType.FLOAT32;
        switch (p.variant()) {
            case CIFG -> {
                for (String role : List.of("input_to_input_weights", "recurrent_to_input_weights", "input_gate_bias")) t.remove(role);
            }
            case PEEPHOLE -> {
                for (int k = 9; k <= 11; k++) {
                    t.put(LstmCases.ROLES[k], new CReference.TensorSpec(LstmCases.ROLES[k], quant ? DataType.INT16 : DataType.FLOAT32,
                            new int[] {n}, quant ? CrossCheck.q(0.001f, 0) : null, data(coeff, n, 1f, r)));
                }
            }
            case PROJECTION -> t.put("projection_weights", new CReference.TensorSpec("projection_weights", wt, new int[] {n, n},
                    quant ? CrossCheck.q(0.01f, 0) : null, data(wt, n * n, 1f, r)));
            case LAYER_NORM -> {
                for (int k = 20; k <= 23; k++) {
                    t.put(LstmCases.ROLES[k], new CReference.TensorSpec(LstmCases.ROLES[k], coeff, new int[] {n},
                            quant ? CrossCheck.q(0.001f, 0) : null, data(coeff, n, 1f, r)));
                }
            }
            default -> { }
        }
        List<CReference.TensorSpec> tensors = new ArrayList<>();
        for (String role : LstmCases.ROLES) {
            tensors.add(t.getOrDefault(role, new CReference.TensorSpec(role, null, new int[0], null, null)));
        }
        tensors.add(new CReference.TensorSpec("output", act, new int[] {d0 * p.invokes(), d1, n}, hQ, null));
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("activation", p.variant() == Variant.RELU ? 1.0 : 4.0);
        attrs.put("cell_clip", p.clip() ? (double) (float) (quant ? cellScale * 40000 * r.nextFloat() : 3 * r.nextFloat()) : 0.0);
        attrs.put("proj_clip", 0.0);
        attrs.put("time_major", p.timeMajor() ? 1.0 : 0.0);
        if (p.invokes() > 1) attrs.put("invokes", (double) p.invokes());
        return new CReference.Case(name, LstmCases.OP, attrs, tensors);
    }

    /** count random values of the type: floats in [-range, range), integers over the full range (int64: +-2^20). */
    private static byte[] data(DataType type, int count, float range, Random r) {
        ByteBuffer b = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            switch (type) {
                case FLOAT32 -> b.putFloat((r.nextFloat() * 2 - 1) * range);
                case INT8 -> b.put((byte) r.nextInt(256));
                case INT16 -> b.putShort((short) r.nextInt(65536));
                case INT32 -> b.putInt(r.nextInt(1 << 17) - (1 << 16));
                case INT64 -> b.putLong(r.nextInt(1 << 21) - (1 << 20));
                default -> throw new IllegalArgumentException(type.toString());
            }
        }
        return b.array();
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void javaAndCAgree(@ForAll("params") Params p) throws Exception {
        CReference.Case c = build("lstm_" + p.act().lowerName(), p);
        if (p.variant() == Variant.STANDARD) {
            assertNull(CrossCheck.compare(c));
            return;
        }
        // TFLM's micro LSTM rejects the variant: so must both implementations
        RuntimeException javaError = null;
        try {
            LstmCases.runJava(c);
        } catch (RuntimeException e) {
            javaError = e;
        }
        assertNotNull(javaError, "the Java engine accepted " + p.variant());
        CReference.Outcome o = CReference.run(List.of(c)).get(c.name());
        assertNotNull(o.error(), "the C reference accepted " + p.variant());
    }
}
