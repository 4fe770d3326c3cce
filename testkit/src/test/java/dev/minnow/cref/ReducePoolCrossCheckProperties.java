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
 * REDUCE_MAX and REDUCE_MIN (float32 with infinities and NaNs, which never win a comparison; int8) and REDUCE_ALL
 * (bool) over random axis lists (negative and repeated axes, every axis, keep_dims on or off), and L2_POOL_2D (float32,
 * SAME/VALID, strides and windows 1 to 3, fused activations): the Java engine and the C reference agree byte for byte.
 */
class ReducePoolCrossCheckProperties {
    static final float[] SPECIAL = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.MAX_VALUE,
            -Float.MAX_VALUE};

    record Params(String op, DataType type, List<Integer> dims, boolean keepDims, float scale, int zp, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Object[]> opType = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of("REDUCE_MAX", "REDUCE_MIN"), Arbitraries.of(DataType.FLOAT32, DataType.INT8))
                        .as((o, t) -> new Object[] {o, t}),
                Arbitraries.just(new Object[] {"REDUCE_ALL", DataType.BOOL}),
                Arbitraries.just(new Object[] {"L2_POOL_2D", DataType.FLOAT32}));
        Arbitrary<Float> scale = Arbitraries.doubles().between(-12, 3).map(e -> (float) Math.pow(2, e) * 1.07f);
        return Combinators.combine(opType, Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(5), Arbitraries.of(true, false),
                        scale, Arbitraries.integers().between(-128, 127), Arbitraries.longs())
                .as((ot, d, k, s, z, seed) -> new Params((String) ot[0], (DataType) ot[1], d, k, s, z, seed));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        return p.op().equals("L2_POOL_2D") ? l2Pool(p, r) : reduce(p, r);
    }

    static CReference.Case reduce(Params p, Random r) {
        DataType t = p.type();
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        int rank = shape.length;
        int count = 1 + r.nextInt(rank + 1);
        List<Integer> axes = new ArrayList<>();
        for (int k = 0; k < count; k++) axes.add(r.nextInt(2 * rank) - rank);
        boolean[] reduced = new boolean[rank];
        for (int a : axes) reduced[a < 0 ? a + rank : a] = true;
        List<Integer> outShape = new ArrayList<>();
        for (int d = 0; d < rank; d++) if (!reduced[d]) outShape.add(shape[d]); else if (p.keepDims()) outShape.add(1);
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * t.byteSize()];
        r.nextBytes(data);
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (t == DataType.BOOL) data[i] = (byte) (r.nextInt(5) == 0 ? 0 : 1);
            else if (t == DataType.FLOAT32) bb.putFloat(4 * i, r.nextInt(6) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (r.nextFloat() - 0.5f) * 20);
        }
        ByteBuffer ab = ByteBuffer.allocate(4 * axes.size()).order(ByteOrder.LITTLE_ENDIAN);
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("axes", (double) axes.size());
        for (int k = 0; k < axes.size(); k++) { ab.putInt(axes.get(k)); attrs.put("axis" + k, (double) axes.get(k)); }
        attrs.put("keep_dims", p.keepDims() ? 1.0 : 0.0);
        boolean quant = t == DataType.INT8;
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), attrs, CReference.list(
                new CReference.TensorSpec("input", t, shape, quant ? CrossCheck.q(p.scale(), p.zp()) : null, data),
                new CReference.TensorSpec("axis", DataType.INT32, new int[] {axes.size()}, null, ab.array()),
                new CReference.TensorSpec("output", t, outShape.stream().mapToInt(Integer::intValue).toArray(),
                        quant ? CrossCheck.q(p.scale(), p.zp()) : null, null)));
    }

    static CReference.Case l2Pool(Params p, Random r) {
        List<Integer> d = p.dims();
        int batches = 1 + r.nextInt(2), h = d.get(0) + r.nextInt(4), w = d.get(d.size() - 1) + r.nextInt(4), depth = 1 + r.nextInt(3);
        int padding = r.nextInt(2), sh = 1 + r.nextInt(3), sw = 1 + r.nextInt(3);
        int fh = 1 + r.nextInt(Math.min(3, h)), fw = 1 + r.nextInt(Math.min(3, w));
        int oh = padding == 0 ? (h + sh - 1) / sh : (h - fh + sh) / sh, ow = padding == 0 ? (w + sw - 1) / sw : (w - fw + sw) / sw;
        int n = batches * h * w * depth;
        ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) bb.putFloat(4 * i, r.nextInt(12) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (r.nextFloat() - 0.5f) * 12);
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("padding", (double) padding);
        attrs.put("stride_h", (double) sh);
        attrs.put("stride_w", (double) sw);
        attrs.put("filter_h", (double) fh);
        attrs.put("filter_w", (double) fw);
        attrs.put("activation", (double) r.nextInt(4));
        return new CReference.Case("l2_pool_2d", "L2_POOL_2D", attrs, CReference.list(
                new CReference.TensorSpec("input", DataType.FLOAT32, new int[] {batches, h, w, depth}, null, bb.array()),
                new CReference.TensorSpec("output", DataType.FLOAT32, new int[] {batches, oh, ow, depth}, null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void reductionsAndL2Pool(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
