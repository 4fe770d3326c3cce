package dev.minnow.cref;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/** DEPTHWISE_CONV_2D and the pooling ops: Java engine and C reference agree on random valid cases. */
class WindowedCrossCheckProperties {

    record Params(String op, DataType type, int h, int w, int depth, int multiplier, int kh, int kw, int stride,
                  int dilation, int padding, float scale, int zp, float outScale, int outZp, int activation, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 1).map(e -> (float) Math.pow(2, e) * 1.07f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127));
        Arbitrary<Integer> small = Arbitraries.integers().between(1, 4);
        return Combinators.combine(Arbitraries.of("DEPTHWISE_CONV_2D", "AVERAGE_POOL_2D", "MAX_POOL_2D"),
                        Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), Arbitraries.integers().between(1, 9),
                        Arbitraries.integers().between(1, 9), Arbitraries.integers().between(1, 5), small, small, small)
                .as((op, t, h, w, d, m, kh, kw) -> new Object[] {op, t, h, w, d, m, kh, kw})
                .flatMap(a -> Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 2),
                        Arbitraries.of(0, 1), scale, zp, scale, zp, Arbitraries.of(0, 1, 3))
                        .as((s, dil, pad, sc, z, os, oz, act) -> new Object[] {s, dil, pad, sc, z, os, oz, act})
                        .flatMap(b -> Arbitraries.longs().map(seed -> new Params((String) a[0], (DataType) a[1], (int) a[2], (int) a[3],
                                (int) a[4], (int) a[5], (int) a[6], (int) a[7], (int) b[0], (int) b[1], (int) b[2], (float) b[3],
                                (int) b[4], (float) b[5], (int) b[6], (int) b[7], seed))));
    }

    static CReference.Case build(Params p) {
        boolean dw = p.op().equals("DEPTHWISE_CONV_2D");
        int dilation = dw ? p.dilation() : 1, mult = dw ? p.multiplier() : 1;
        int oh = Conv2DCrossCheckProperties.outSize(p.padding(), p.h(), p.kh(), p.stride(), dilation);
        int ow = Conv2DCrossCheckProperties.outSize(p.padding(), p.w(), p.kw(), p.stride(), dilation);
        if (oh == 0 || ow == 0) return null;
        DataType t = p.type();
        boolean quant = t != DataType.FLOAT32;
        Random r = new Random(p.seed());
        byte[] input = new byte[p.h() * p.w() * p.depth() * t.byteSize()];
        r.nextBytes(input);
        if (!quant) FullyConnectedCrossCheckProperties.floats(input, r);
        int zp = t == DataType.INT16 ? 0 : p.zp();
        int outDepth = p.depth() * mult;
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("activation", (double) p.activation());
        attrs.put("padding", (double) p.padding());
        attrs.put("stride_h", (double) p.stride());
        attrs.put("stride_w", (double) p.stride());
        CReference.TensorSpec in = new CReference.TensorSpec("input", t, new int[] {1, p.h(), p.w(), p.depth()}, quant ? CrossCheck.q(p.scale(), zp) : null, input);
        if (!dw) {
            // pooling keeps the input's quantization
            attrs.put("filter_h", (double) p.kh());
            attrs.put("filter_w", (double) p.kw());
            return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), attrs, CReference.list(in,
                    new CReference.TensorSpec("output", t, new int[] {1, oh, ow, p.depth()}, quant ? CrossCheck.q(p.scale(), zp) : null, null)));
        }
        attrs.put("dilation_h", (double) dilation);
        attrs.put("dilation_w", (double) dilation);
        attrs.put("depth_multiplier", (double) mult);
        byte[] weights = new byte[p.kh() * p.kw() * outDepth * (quant ? 1 : 4)];
        r.nextBytes(weights);
        if (!quant) FullyConnectedCrossCheckProperties.floats(weights, r);
        float[] ws = new float[outDepth];
        for (int i = 0; i < outDepth; i++) ws[i] = 0.01f * (0.5f + r.nextFloat());
        DataType bt = !quant ? DataType.FLOAT32 : t == DataType.INT8 ? DataType.INT32 : DataType.INT64;
        ByteBuffer bb = ByteBuffer.allocate(outDepth * bt.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < outDepth; i++) {
            if (bt == DataType.FLOAT32) bb.putFloat((r.nextFloat() - 0.5f) * 4);
            else if (bt == DataType.INT32) bb.putInt(r.nextInt(1 << 14) - (1 << 13));
            else bb.putLong(r.nextInt(1 << 14) - (1 << 13));
        }
        int outZp = t == DataType.INT16 ? 0 : p.outZp();
        return new CReference.Case("dw_" + t.lowerName(), p.op(), attrs, CReference.list(in,
                new CReference.TensorSpec("filter", quant ? DataType.INT8 : DataType.FLOAT32, new int[] {1, p.kh(), p.kw(), outDepth},
                        quant ? new Quantization(ws, new long[outDepth], 3) : null, weights),
                new CReference.TensorSpec("bias", bt, new int[] {outDepth}, null, bb.array()),
                new CReference.TensorSpec("output", t, new int[] {1, oh, ow, outDepth}, quant ? CrossCheck.q(p.outScale(), outZp) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseAndPooling(@ForAll("params") Params p) throws Exception {
        CReference.Case c = build(p);
        if (c == null) return;
        assertNull(CrossCheck.compare(c));
    }
}
