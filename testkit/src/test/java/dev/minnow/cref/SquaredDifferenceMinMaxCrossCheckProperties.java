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
 * SQUARED_DIFFERENCE, MAXIMUM and MINIMUM on equal shapes (float32, int8, int16, int32), with equal elements, signed
 * zeros and NaNs mixed into float inputs so the tie-breaking of TFLM's comparisons is exercised: the Java engine and the
 * C reference agree byte for byte.
 */
class SquaredDifferenceMinMaxCrossCheckProperties {

    record Params(String op, DataType type, List<Integer> dims, float scaleA, int zpA, float scaleB, int zpB, float scaleOut,
                  int zpOut, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-12, 3).map(e -> (float) Math.pow(2, e) * 1.21f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of("SQUARED_DIFFERENCE", "MAXIMUM", "MINIMUM"),
                        Arbitraries.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.FLOAT32),
                        Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(4), scale, zp, scale, zp, scale)
                .as((op, t, d, sa, za, sb, zb, so) -> new Object[] {op, t, d, sa, za, sb, zb, so})
                .flatMap(a -> Combinators.combine(zp, Arbitraries.longs()).as((zo, seed) -> {
                    @SuppressWarnings("unchecked") List<Integer> d = (List<Integer>) a[2];
                    return new Params((String) a[0], (DataType) a[1], d, (float) a[3], (int) a[4], (float) a[5], (int) a[6],
                            (float) a[7], zo, seed);
                }));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        int n = 1;
        for (int d : shape) n *= d;
        int es = t.byteSize();
        byte[] a = new byte[n * es], b = new byte[n * es];
        r.nextBytes(a);
        r.nextBytes(b);
        if (t == DataType.FLOAT32) { FullyConnectedCrossCheckProperties.floats(a, r); FullyConnectedCrossCheckProperties.floats(b, r); }
        ByteBuffer fa = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN), fb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(8);
            if (k == 0) System.arraycopy(a, i * es, b, i * es, es); // a tie
            if (t == DataType.FLOAT32 && k == 1) { fa.putFloat(4 * i, 0.0f); fb.putFloat(4 * i, -0.0f); }
            if (t == DataType.FLOAT32 && k == 2) { fa.putFloat(4 * i, -0.0f); fb.putFloat(4 * i, 0.0f); }
            if (t == DataType.FLOAT32 && k == 3) (r.nextBoolean() ? fa : fb).putFloat(4 * i, Float.NaN);
        }
        boolean quant = t == DataType.INT8 || t == DataType.INT16;
        boolean zeroZp = t == DataType.INT16 && p.op().equals("SQUARED_DIFFERENCE");
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), Map.of(), CReference.list(
                new CReference.TensorSpec("input1", t, shape, quant ? CrossCheck.q(p.scaleA(), zeroZp ? 0 : p.zpA()) : null, a),
                new CReference.TensorSpec("input2", t, shape, quant ? CrossCheck.q(p.scaleB(), zeroZp ? 0 : p.zpB()) : null, b),
                new CReference.TensorSpec("output", t, shape, quant ? CrossCheck.q(p.scaleOut(), zeroZp ? 0 : p.zpOut()) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void squaredDifferenceMaximumMinimum(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
