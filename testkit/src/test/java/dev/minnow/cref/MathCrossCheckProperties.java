package dev.minnow.cref;

import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The element-wise math: CEIL, ROUND, COS, SIN, LOG, SQUARE (float32 with halves, signed zeros, infinities, NaNs,
 * subnormals and arguments up to 1e30, so sinf/cosf's large-argument reduction runs), ELU (float32; int8 through its
 * table), PRELU (float32; int8 and int16 with an int8 alpha broadcast over the input), FLOOR_DIV and FLOOR_MOD (float32,
 * broadcast, nonzero denominators of both signs), ADD_N (2 to 4 inputs, float32 and int8), LOG_SOFTMAX (float32; int8
 * with TFLM's fixed output quantization) and L2_NORMALIZATION (float32, int8): the Java engine and the C reference
 * (which calls this machine's libm) agree byte for byte.
 */
class MathCrossCheckProperties {
    static final float[] SPECIAL = {0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, -0.3f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, 8388607.5f, 1e30f, -1e30f, 120f, 119.99999f, 0.7853982f, 1e-5f, 3.1415927f,
            Float.intBitsToFloat(0x7f872f17), Float.intBitsToFloat(0xff800001)}; // signaling NaNs

    record Params(String op, DataType type, List<Integer> dims, float inScale, int inZp, float outScale, int outZp, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 2).map(e -> (float) Math.pow(2, e) * 1.13f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        Arbitrary<Object[]> opType = Arbitraries.oneOf(
                Arbitraries.of("CEIL", "ROUND", "COS", "SIN", "LOG", "SQUARE", "FLOOR_DIV", "FLOOR_MOD").map(o -> new Object[] {o, DataType.FLOAT32}),
                Combinators.combine(Arbitraries.of("ELU", "ADD_N", "LOG_SOFTMAX", "L2_NORMALIZATION"),
                        Arbitraries.of(DataType.FLOAT32, DataType.INT8)).as((o, t) -> new Object[] {o, t}),
                Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16).map(t -> new Object[] {"PRELU", t}));
        return Combinators.combine(opType, Arbitraries.integers().between(1, 6).list().ofMinSize(1).ofMaxSize(4), scale, zp, scale, zp,
                        Arbitraries.longs())
                .as((ot, d, is, iz, os, oz, seed) -> new Params((String) ot[0], (DataType) ot[1], d, is, iz, os, oz, seed));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        String op = p.op();
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        boolean quant = t != DataType.FLOAT32;
        int inZp = t == DataType.INT16 ? 0 : p.inZp(), outZp = t == DataType.INT16 ? 0 : p.outZp();
        float outScale = p.outScale();
        if (op.equals("LOG_SOFTMAX") && quant) { outScale = 16.0f / 256; outZp = 127; }
        // ADD_N's output multiplier 2 * input scale / (2^20 * output scale) must stay below one
        if (op.equals("ADD_N")) outScale = Math.max(outScale, p.inScale() / (1 << 18));
        String name = op.toLowerCase() + "_" + t.lowerName();
        CReference.TensorSpec output = new CReference.TensorSpec("output", t, shape, quant ? CrossCheck.q(outScale, outZp) : null, null);
        switch (op) {
            case "PRELU" -> {
                int[] alphaShape = CompareLogicCrossCheckProperties.broadcastable(shape, r);
                DataType at = t == DataType.FLOAT32 ? t : DataType.INT8;
                float alphaScale = (float) Math.pow(2, -r.nextInt(10)) * 1.07f;
                int alphaZp = r.nextInt(256) - 128;
                return new CReference.Case(name, op, Map.of(), CReference.list(
                        new CReference.TensorSpec("input", t, shape, quant ? CrossCheck.q(p.inScale(), inZp) : null, data(op, t, shape, r)),
                        new CReference.TensorSpec("alpha", at, alphaShape, quant ? CrossCheck.q(alphaScale, alphaZp) : null, data(op, at, alphaShape, r)),
                        output));
            }
            case "FLOOR_DIV", "FLOOR_MOD" -> {
                int[] sa = CompareLogicCrossCheckProperties.broadcastable(shape, r), sb = CompareLogicCrossCheckProperties.broadcastable(shape, r);
                int[] out = CompareLogicCrossCheckProperties.broadcastShape(sa, sb);
                byte[] den = data(op, t, sb, r);
                ByteBuffer db = ByteBuffer.wrap(den).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < den.length / 4; i++) {
                    float v = db.getFloat(4 * i);
                    if (v == 0 || Float.isNaN(v) || Float.isInfinite(v)) db.putFloat(4 * i, r.nextBoolean() ? 0.75f : -3f);
                }
                return new CReference.Case(name, op, Map.of(), CReference.list(
                        new CReference.TensorSpec("input1", t, sa, null, data(op, t, sa, r)),
                        new CReference.TensorSpec("input2", t, sb, null, den),
                        new CReference.TensorSpec("output", t, out, null, null)));
            }
            case "ADD_N" -> {
                int count = 2 + r.nextInt(3);
                List<CReference.TensorSpec> ts = CReference.list();
                for (int k = 0; k < count; k++) {
                    ts.add(new CReference.TensorSpec("input" + k, t, shape, quant ? CrossCheck.q(p.inScale(), inZp) : null, data(op, t, shape, r)));
                }
                ts.add(output);
                return new CReference.Case(name, op, Map.of(), ts);
            }
            default -> {
                return new CReference.Case(name, op, Map.of(), CReference.list(
                        new CReference.TensorSpec("input", t, shape, quant ? CrossCheck.q(p.inScale(), inZp) : null, data(op, t, shape, r)),
                        output));
            }
        }
    }

    /** Random data of the type: integers over their whole range, floats from {@link #SPECIAL} or spread by op. */
    static byte[] data(String op, DataType t, int[] shape, Random r) {
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * t.byteSize()];
        r.nextBytes(data);
        if (t != DataType.FLOAT32) return data;
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        boolean smooth = op.equals("LOG_SOFTMAX") || op.equals("L2_NORMALIZATION") || op.equals("ADD_N");
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(6);
            float v;
            if (k == 0 && !smooth) v = SPECIAL[r.nextInt(SPECIAL.length)];
            else if (k == 1 && !smooth) v = Float.intBitsToFloat(r.nextInt()); // any bit pattern
            else if (k == 2) v = (r.nextInt(41) - 20) / 2.0f;                   // halves and integers
            else v = (r.nextFloat() - 0.5f) * (k == 3 ? 400 : 16);
            bb.putFloat(4 * i, v);
        }
        return data;
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void elementwiseMath(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
