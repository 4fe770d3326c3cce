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

/**
 * TRANSPOSE_CONV (float32; int8 with per-channel or per-tensor filters and int32 bias; int16 with int64 or int16 bias):
 * the Java engine and the C reference agree on random valid cases. The output size is any size the forward
 * convolution maps back onto the input (SAME or VALID, strides 1 to 3), so the scatter's edges are clipped.
 */
class TransposeConvCrossCheckProperties {

    record Geometry(int batches, int h, int w, int inDepth, int outDepth, int kh, int kw, int strideH, int strideW, int padding,
                    int extraH, int extraW) {}

    record Params(DataType type, Geometry g, float inScale, int inZp, float wScale, float outScale, int outZp,
                  int bias, boolean perChannel, int activation, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Geometry> geometry = Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 6),
                        Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 5), Arbitraries.integers().between(1, 3))
                .as((b, h, w, id, od, kh, kw, sh) -> new int[] {b, h, w, id, od, kh, kw, sh})
                .flatMap(a -> Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.of(0, 1),
                        Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2)).as((sw, pad, eh, ew) ->
                        new Geometry(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], sw, pad, eh, ew)));
        Arbitrary<Float> scale = Arbitraries.doubles().between(-12, 3).map(e -> (float) Math.pow(2, e) * 1.13f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), geometry, scale, zp, scale, scale, zp,
                        Arbitraries.integers().between(0, 2))
                .as((t, g, is, iz, ws, os, oz, b) -> new Object[] {t, g, is, iz, ws, os, oz, b})
                .flatMap(a -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(0, 1, 3), Arbitraries.longs()).as((pc, act, seed) ->
                        new Params((DataType) a[0], (Geometry) a[1], (float) a[2], (int) a[3], (float) a[4], (float) a[5], (int) a[6],
                                (int) a[7], pc, act, seed)));
    }

    /** An output size whose forward convolution (SAME or VALID) has {@code in} positions. */
    static int outSize(int padding, int in, int k, int stride, int extra) {
        int lo = padding == 0 ? (in - 1) * stride + 1 : (in - 1) * stride + k;
        return lo + extra % stride;
    }

    static CReference.Case build(Params p) {
        Geometry g = p.g();
        int oh = outSize(g.padding(), g.h(), g.kh(), g.strideH(), g.extraH());
        int ow = outSize(g.padding(), g.w(), g.kw(), g.strideW(), g.extraW());
        Random r = new Random(p.seed());
        DataType t = p.type();
        boolean quant = t != DataType.FLOAT32;
        int od = g.outDepth();
        byte[] input = new byte[g.batches() * g.h() * g.w() * g.inDepth() * t.byteSize()];
        byte[] weights = new byte[od * g.kh() * g.kw() * g.inDepth() * (quant ? 1 : 4)];
        r.nextBytes(input);
        r.nextBytes(weights);
        if (!quant) { FullyConnectedCrossCheckProperties.floats(input, r); FullyConnectedCrossCheckProperties.floats(weights, r); }
        float[] ws = new float[p.perChannel() ? od : 1];
        for (int i = 0; i < ws.length; i++) ws[i] = p.wScale() * (0.5f + r.nextFloat());
        Quantization wq = new Quantization(ws, new long[ws.length], 0);
        CReference.TensorSpec bias = new CReference.TensorSpec("bias", null, new int[0], null, null);
        if (p.bias() > 0) {
            DataType bt = !quant ? DataType.FLOAT32 : t == DataType.INT8 ? DataType.INT32 : p.bias() == 1 ? DataType.INT64 : DataType.INT16;
            ByteBuffer bb = ByteBuffer.allocate(od * bt.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < od; i++) {
                if (bt == DataType.FLOAT32) bb.putFloat((r.nextFloat() - 0.5f) * 4);
                else if (bt == DataType.INT32) bb.putInt(r.nextInt(1 << 16) - (1 << 15));
                else if (bt == DataType.INT16) bb.putShort((short) r.nextInt());
                else bb.putLong(r.nextInt(1 << 20) - (1 << 19));
            }
            float[] bs = new float[ws.length];
            for (int i = 0; i < bs.length; i++) bs[i] = p.inScale() * ws[i];
            bias = new CReference.TensorSpec("bias", bt, new int[] {od}, quant ? new Quantization(bs, new long[bs.length], 0) : null, bb.array());
        }
        int inZp = t == DataType.INT16 ? 0 : p.inZp(), outZp = t == DataType.INT16 ? 0 : p.outZp();
        int[] outShape = {g.batches(), oh, ow, od};
        ByteBuffer sb = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int d : outShape) sb.putInt(d);
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("activation", (double) p.activation());
        attrs.put("padding", (double) g.padding());
        attrs.put("stride_h", (double) g.strideH());
        attrs.put("stride_w", (double) g.strideW());
        return new CReference.Case("tconv_" + t.lowerName(), "TRANSPOSE_CONV", attrs, CReference.list(
                new CReference.TensorSpec("output_shape", DataType.INT32, new int[] {4}, null, sb.array()),
                new CReference.TensorSpec("filter", quant ? DataType.INT8 : DataType.FLOAT32, new int[] {od, g.kh(), g.kw(), g.inDepth()}, quant ? wq : null, weights),
                new CReference.TensorSpec("input", t, new int[] {g.batches(), g.h(), g.w(), g.inDepth()}, quant ? CrossCheck.q(p.inScale(), inZp) : null, input),
                bias,
                new CReference.TensorSpec("output", t, outShape, quant ? CrossCheck.q(p.outScale(), outZp) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void transposeConv(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
