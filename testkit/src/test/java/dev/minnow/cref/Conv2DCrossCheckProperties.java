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

/** CONV_2D (float32, int8 per-channel, int16): Java engine and C reference agree on random valid cases. */
class Conv2DCrossCheckProperties {

    record Geometry(int h, int w, int inDepth, int groups, int perGroup, int kh, int kw, int stride, int dilation, int padding) {}

    record Params(DataType type, Geometry g, float inScale, int inZp, float wScale, float outScale, int outZp,
                  boolean bias, int activation, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Geometry> geometry = Combinators.combine(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(1, 9),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 4),
                Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 3))
                .as((h, w, d, g, pg, kh, kw, s) -> new Object[] {h, w, d, g, pg, kh, kw, s})
                .flatMap(a -> Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.of(0, 1)).as((dil, pad) ->
                        new Geometry((int) a[0], (int) a[1], (int) a[2], (int) a[3], (int) a[4], (int) a[5], (int) a[6], (int) a[7], dil, pad)));
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 1).map(e -> (float) Math.pow(2, e) * 1.13f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127));
        return Combinators.combine(Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), geometry, scale, zp, scale, scale, zp,
                        Arbitraries.of(true, false))
                .as((t, g, is, iz, ws, os, oz, b) -> new Object[] {t, g, is, iz, ws, os, oz, b})
                .flatMap(a -> Combinators.combine(Arbitraries.of(0, 1, 3), Arbitraries.longs()).as((act, seed) -> new Params(
                        (DataType) a[0], (Geometry) a[1], (float) a[2], (int) a[3], (float) a[4], (float) a[5], (int) a[6],
                        (boolean) a[7], act, seed)));
    }

    static int outSize(int padding, int in, int k, int stride, int dilation) {
        int eff = (k - 1) * dilation + 1;
        return padding == 0 ? (in + stride - 1) / stride : Math.max(0, (in + stride - eff) / stride);
    }

    static CReference.Case build(Params p) {
        Geometry g = p.g();
        int oh = outSize(g.padding(), g.h(), g.kh(), g.stride(), g.dilation());
        int ow = outSize(g.padding(), g.w(), g.kw(), g.stride(), g.dilation());
        if (oh == 0 || ow == 0) return null;
        int inDepth = g.inDepth() * g.groups(), outDepth = g.perGroup() * g.groups();
        Random r = new Random(p.seed());
        DataType t = p.type();
        boolean quant = t != DataType.FLOAT32;
        int actBytes = t.byteSize();
        byte[] input = new byte[g.h() * g.w() * inDepth * actBytes];
        byte[] weights = new byte[outDepth * g.kh() * g.kw() * g.inDepth() * (quant ? 1 : 4)];
        r.nextBytes(input);
        r.nextBytes(weights);
        if (!quant) { FullyConnectedCrossCheckProperties.floats(input, r); FullyConnectedCrossCheckProperties.floats(weights, r); }
        float[] ws = new float[outDepth];
        for (int i = 0; i < outDepth; i++) ws[i] = p.wScale() * (0.5f + r.nextFloat());
        Quantization wq = new Quantization(ws, new long[outDepth], 0);
        CReference.TensorSpec bias = new CReference.TensorSpec("bias", null, new int[0], null, null);
        if (p.bias()) {
            DataType bt = !quant ? DataType.FLOAT32 : t == DataType.INT8 ? DataType.INT32 : DataType.INT64;
            ByteBuffer bb = ByteBuffer.allocate(outDepth * bt.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < outDepth; i++) {
                if (bt == DataType.FLOAT32) bb.putFloat((r.nextFloat() - 0.5f) * 4);
                else if (bt == DataType.INT32) bb.putInt(r.nextInt(1 << 16) - (1 << 15));
                else bb.putLong(r.nextInt(1 << 16) - (1 << 15));
            }
            bias = new CReference.TensorSpec("bias", bt, new int[] {outDepth}, null, bb.array());
        }
        int inZp = t == DataType.INT16 ? 0 : p.inZp(), outZp = t == DataType.INT16 ? 0 : p.outZp();
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("activation", (double) p.activation());
        attrs.put("padding", (double) g.padding());
        attrs.put("stride_h", (double) g.stride());
        attrs.put("stride_w", (double) g.stride());
        attrs.put("dilation_h", (double) g.dilation());
        attrs.put("dilation_w", (double) g.dilation());
        return new CReference.Case("conv_" + t.lowerName(), "CONV_2D", attrs, CReference.list(
                new CReference.TensorSpec("input", t, new int[] {1, g.h(), g.w(), inDepth}, quant ? CrossCheck.q(p.inScale(), inZp) : null, input),
                new CReference.TensorSpec("filter", quant ? DataType.INT8 : DataType.FLOAT32, new int[] {outDepth, g.kh(), g.kw(), g.inDepth()}, quant ? wq : null, weights),
                bias,
                new CReference.TensorSpec("output", t, new int[] {1, oh, ow, outDepth}, quant ? CrossCheck.q(p.outScale(), outZp) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2d(@ForAll("params") Params p) throws Exception {
        // int16 with an int64 accumulator: TFLM's int64 MultiplyByQuantizedMultiplier asserts shift < 8, so effective
        // scales of 128 and more abort it (and minnow rejects them); per-channel weight scales go up to 1.5 x wScale
        net.jqwik.api.Assume.that(p.type() != DataType.INT16 || (double) p.inScale() * p.wScale() * 1.5 / p.outScale() < 127);
        CReference.Case c = build(p);
        if (c == null) return; // a window larger than a VALID-padded image gives an empty output
        assertNull(CrossCheck.compare(c));
    }
}
