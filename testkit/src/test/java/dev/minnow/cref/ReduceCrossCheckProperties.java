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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * MEAN and SUM (float32, int8, int16) over random axis lists (negative and repeated axes, every axis, keep_dims on or
 * off, the 4-D H/W mean TFLM special-cases): the Java engine and the C reference agree byte for byte.
 */
class ReduceCrossCheckProperties {

    record Params(String op, DataType type, List<Integer> dims, List<Integer> axes, boolean keepDims, float inScale, int inZp,
                  float outScale, int outZp, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<List<Integer>> dims = Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(5);
        Arbitrary<Float> scale = Arbitraries.doubles().between(-12, 3).map(e -> (float) Math.pow(2, e) * 1.07f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of("MEAN", "SUM"), Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), dims,
                        Arbitraries.of(true, false), scale, zp, scale, zp)
                .as((op, t, d, k, is, iz, os, oz) -> new Object[] {op, t, d, k, is, iz, os, oz})
                .flatMap(a -> {
                    @SuppressWarnings("unchecked") List<Integer> d = (List<Integer>) a[2];
                    int rank = d.size();
                    Arbitrary<List<Integer>> axes = Arbitraries.oneOf(
                            Arbitraries.integers().between(-rank, rank - 1).list().ofMinSize(1).ofMaxSize(rank + 1),
                            Arbitraries.<List<Integer>>of(rank == 4 ? List.of(1, 2) : List.of(0), rank == 4 ? List.of(-3, -2) : List.of(-rank)));
                    return Combinators.combine(axes, Arbitraries.longs()).as((ax, seed) -> new Params((String) a[0], (DataType) a[1], d, ax,
                            (boolean) a[3], (float) a[4], (int) a[5], (float) a[6], (int) a[7], seed));
                });
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int rank = p.dims().size();
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        boolean[] reduced = new boolean[rank];
        for (int a : p.axes()) reduced[a < 0 ? a + rank : a] = true;
        List<Integer> outShape = new ArrayList<>();
        for (int d = 0; d < rank; d++) if (!reduced[d]) outShape.add(shape[d]); else if (p.keepDims()) outShape.add(1);
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * t.byteSize()];
        r.nextBytes(data);
        if (t == DataType.FLOAT32) FullyConnectedCrossCheckProperties.floats(data, r);
        ByteBuffer ab = ByteBuffer.allocate(4 * p.axes().size()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("axes", (double) p.axes().size());
        for (int k = 0; k < p.axes().size(); k++) { ab.putInt(p.axes().get(k)); attrs.put("axis" + k, (double) p.axes().get(k)); }
        attrs.put("keep_dims", p.keepDims() ? 1.0 : 0.0);
        boolean quant = t != DataType.FLOAT32;
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), attrs, CReference.list(
                new CReference.TensorSpec("input", t, shape, quant ? CrossCheck.q(p.inScale(), p.inZp()) : null, data),
                new CReference.TensorSpec("axis", DataType.INT32, new int[] {p.axes().size()}, null, ab.array()),
                new CReference.TensorSpec("output", t, outShape.stream().mapToInt(Integer::intValue).toArray(),
                        quant ? CrossCheck.q(p.outScale(), p.outZp()) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void meanSum(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
