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
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * CAST between every pair of types the engine takes (int8, int16, int32, uint32, float32, bool in; all but bool out),
 * with floats up to and beyond the integer ranges, and uint8 QUANTIZE (int8 <-> uint8) and DEQUANTIZE: the Java engine
 * and the C reference agree byte for byte.
 */
class ConversionCrossCheckProperties {
    private static final DataType[] CAST_IN = {DataType.INT8, DataType.INT16, DataType.INT32, DataType.UINT32, DataType.FLOAT32, DataType.BOOL};
    private static final DataType[] CAST_OUT = {DataType.INT8, DataType.INT16, DataType.INT32, DataType.UINT32, DataType.FLOAT32};

    record Params(String op, int in, int out, int length, float scale, int zp, float outScale, int outZp, boolean shiftByHalf,
                  long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-9, 2).map(e -> (float) Math.pow(2, e) * 1.19f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of("CAST", "QUANTIZE", "DEQUANTIZE"), Arbitraries.integers().between(0, CAST_IN.length - 1),
                        Arbitraries.integers().between(0, CAST_OUT.length - 1), Arbitraries.integers().between(1, 48), scale, zp, scale, zp)
                .as((op, i, o, n, s, z, os, oz) -> new Object[] {op, i, o, n, s, z, os, oz})
                .flatMap(a -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.longs()).as((half, seed) ->
                        new Params((String) a[0], (int) a[1], (int) a[2], (int) a[3], (float) a[4], (int) a[5], (float) a[6],
                                (int) a[7], half, seed)));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int[] shape = {p.length()};
        DataType in, out;
        var qin = CrossCheck.q(p.scale(), p.zp());
        var qout = CrossCheck.q(p.outScale(), p.outZp());
        switch (p.op()) {
            case "CAST" -> { in = CAST_IN[p.in()]; out = CAST_OUT[p.out()]; qin = null; qout = null; }
            case "QUANTIZE" -> {
                // int8 <-> uint8 requantization; with equal scales and zero points 128 apart it is TFLM's sign flip
                boolean toUint8 = (p.in() & 1) == 0;
                in = toUint8 ? DataType.INT8 : DataType.UINT8;
                out = toUint8 ? DataType.UINT8 : DataType.INT8;
                int inZp = toUint8 ? p.zp() : p.zp() + 128;
                int outZp = p.shiftByHalf() ? (toUint8 ? inZp + 128 : inZp - 128) : (toUint8 ? p.outZp() + 128 : p.outZp());
                qin = CrossCheck.q(p.scale(), inZp);
                qout = CrossCheck.q(p.shiftByHalf() ? p.scale() : p.outScale(), outZp);
            }
            default -> { in = DataType.UINT8; out = DataType.FLOAT32; qin = CrossCheck.q(p.scale(), p.zp() + 128); qout = null; }
        }
        byte[] data = new byte[p.length() * in.byteSize()];
        r.nextBytes(data);
        if (in == DataType.BOOL) for (int i = 0; i < data.length; i++) data[i] &= 1;
        if (in == DataType.FLOAT32) {
            ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < p.length(); i++) {
                float mag = (float) Math.pow(2, r.nextInt(70) - 4);
                bb.putFloat(4 * i, (r.nextFloat() * 2 - 1) * mag);
            }
        }
        return new CReference.Case(p.op().toLowerCase() + "_" + in.lowerName() + "_" + out.lowerName(), p.op(), Map.of(), CReference.list(
                new CReference.TensorSpec("input", in, shape, qin, data),
                new CReference.TensorSpec("output", out, shape, qout, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conversions(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
