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
 * The unary ops: ABS, NEG, FLOOR, EXP, SQRT, RSQRT and HARD_SWISH on float32 (with signed zeros, infinities, NaNs,
 * subnormals and values past expf's overflow and underflow), ABS on int8 and int16 (quantized with zero point 0, or raw
 * int16), RSQRT on int8 and int16 (inputs at or above the zero point) and HARD_SWISH on int8: the Java engine and the C
 * reference agree byte for byte.
 */
class UnaryCrossCheckProperties {

    static final float[] SPECIAL = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE,
            -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE, 88.72283f, 88.72284f, -87.33654f, -103.97208f,
            -104f, 1f, -1f, 0.5f, -0.5f, 2.5f, -2.5f, -3f, 3f, 1e-20f, 1e20f, -1e20f};

    record Params(String op, DataType type, boolean quantized, List<Integer> dims, float inScale, int inZp, float outScale,
                  int outZp, boolean sameScale, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-12, 3).map(e -> (float) Math.pow(2, e) * 1.19f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        Arbitrary<Object[]> opType = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("ABS", "NEG", "FLOOR", "EXP", "SQRT", "RSQRT", "HARD_SWISH"), Arbitraries.just(DataType.FLOAT32))
                        .as((o, t) -> new Object[] {o, t}),
                Combinators.combine(Arbitraries.of("ABS", "RSQRT"), Arbitraries.of(DataType.INT8, DataType.INT16)).as((o, t) -> new Object[] {o, t}),
                Arbitraries.just(new Object[] {"HARD_SWISH", DataType.INT8}));
        return Combinators.combine(opType, Arbitraries.of(true, true, true, false), Arbitraries.integers().between(1, 6).list().ofMinSize(1).ofMaxSize(4),
                        scale, zp, scale, zp, Arbitraries.of(true, false))
                .as((ot, q, d, is, iz, os, oz, same) -> new Object[] {ot, q, d, is, iz, os, oz, same})
                .flatMap(a -> Arbitraries.longs().map(seed -> {
                    Object[] ot = (Object[]) a[0];
                    @SuppressWarnings("unchecked") List<Integer> d = (List<Integer>) a[2];
                    return new Params((String) ot[0], (DataType) ot[1], (boolean) a[1], d, (float) a[3], (int) a[4], (float) a[5],
                            (int) a[6], (boolean) a[7], seed);
                }));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        String op = p.op();
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * t.byteSize()];
        r.nextBytes(data);
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        // raw int16 (no quantization) only exists for ABS; everything else int8/int16 is quantized
        boolean quant = t != DataType.FLOAT32 && (p.quantized() || !(op.equals("ABS") && t == DataType.INT16));
        int inZp = t == DataType.INT16 ? 0 : p.inZp(), outZp = t == DataType.INT16 ? 0 : p.outZp();
        float inScale = p.inScale(), outScale = p.sameScale() ? p.inScale() : p.outScale();
        for (int i = 0; i < n; i++) {
            if (t == DataType.FLOAT32) {
                int k = r.nextInt(4);
                float v = k == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : k == 1 ? (r.nextFloat() - 0.5f) * 250 : (r.nextFloat() - 0.5f) * 8;
                bb.putFloat(4 * i, v);
            } else if (op.equals("RSQRT")) {
                int hi = t == DataType.INT8 ? 127 : 32767, lo = inZp;
                int v = r.nextInt(6) == 0 ? lo : lo + r.nextInt(hi - lo + 1); // TFLM fails the invoke below the zero point
                if (t == DataType.INT8) data[i] = (byte) v; else bb.putShort(2 * i, (short) v);
            } else if (r.nextInt(8) == 0) {
                int v = r.nextBoolean() ? (t == DataType.INT8 ? -128 : -32768) : inZp;
                if (t == DataType.INT8) data[i] = (byte) v; else bb.putShort(2 * i, (short) v);
            }
        }
        // TFLM rejects int8 HARD_SWISH whose output multiplier (input scale / 128 / output scale) exceeds 1
        if (op.equals("HARD_SWISH")) outScale = Math.max(outScale, inScale / 64);
        return new CReference.Case(op.toLowerCase() + "_" + t.lowerName(), op, Map.of(), CReference.list(
                new CReference.TensorSpec("input", t, shape, quant ? CrossCheck.q(inScale, inZp) : null, data),
                new CReference.TensorSpec("output", t, shape, quant ? CrossCheck.q(outScale, outZp) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void unary(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
