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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * LOGISTIC, TANH, RELU, RELU6, LEAKY_RELU, HARD_SWISH, SOFTMAX, QUANTIZE and DEQUANTIZE: the Java engine and the C reference (whose
 * float paths call this machine's glibc expf/tanhf) agree byte for byte; a second property covers the int16 paths
 * (LOGISTIC/TANH through the sigmoid table, SOFTMAX through the exp and 1/(1+x) tables and int8 to int16, the ReLUs,
 * (de)quantize to and from int16 and int32).
 */
class ActivationCrossCheckProperties {

    record Params(String op, boolean quantized, int rows, int depth, float scale, int zp, float outScale, int outZp,
                  float param, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-9, 2).map(e -> (float) Math.pow(2, e) * 1.19f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127));
        return Combinators.combine(Arbitraries.of("LOGISTIC", "TANH", "RELU", "RELU6", "LEAKY_RELU", "HARD_SWISH", "SOFTMAX", "QUANTIZE", "DEQUANTIZE"),
                        Arbitraries.of(true, false), Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 40),
                        scale, zp, scale, zp)
                .as((op, q, r, d, s, z, os, oz) -> new Object[] {op, q, r, d, s, z, os, oz})
                .flatMap(a -> Combinators.combine(Arbitraries.floats().between(-2f, 2f), Arbitraries.longs()).as((param, seed) ->
                        new Params((String) a[0], (boolean) a[1], (int) a[2], (int) a[3], (float) a[4], (int) a[5], (float) a[6],
                                (int) a[7], param, seed)));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int n = p.rows() * p.depth();
        int[] shape = {p.rows(), p.depth()};
        String op = p.op();
        DataType in, out;
        boolean quant = p.quantized();
        if (op.equals("QUANTIZE")) { in = quant ? DataType.INT8 : DataType.FLOAT32; out = DataType.INT8; quant = true; }
        else if (op.equals("DEQUANTIZE")) { in = DataType.INT8; out = DataType.FLOAT32; quant = true; }
        else { in = out = quant ? DataType.INT8 : DataType.FLOAT32; }
        byte[] data = new byte[n * in.byteSize()];
        r.nextBytes(data);
        if (in == DataType.FLOAT32) FullyConnectedCrossCheckProperties.floats(data, r);
        float outScale = p.outScale();
        int outZp = p.outZp();
        if (op.equals("LOGISTIC") || op.equals("SOFTMAX")) { outScale = 1f / 256; outZp = -128; }
        if (op.equals("TANH")) { outScale = 1f / 128; outZp = 0; }
        if (op.equals("RELU6")) { outScale = p.scale(); outZp = p.zp(); }
        // TFLM rejects int8 HARD_SWISH whose output multiplier (input scale / 128 / output scale) exceeds 1
        if (op.equals("HARD_SWISH")) outScale = Math.max(outScale, p.scale() / 64);
        Map<String, Double> attrs = new LinkedHashMap<>();
        if (op.equals("SOFTMAX")) attrs.put("beta", (double) (Math.abs(p.param()) + 0.1f));
        if (op.equals("LEAKY_RELU")) attrs.put("alpha", (double) p.param());
        return new CReference.Case(op.toLowerCase() + "_" + in.lowerName(), op, attrs, CReference.list(
                new CReference.TensorSpec("input", in, shape, in == DataType.INT8 ? CrossCheck.q(p.scale(), p.zp()) : null, data),
                new CReference.TensorSpec("output", out, shape, out == DataType.INT8 ? CrossCheck.q(outScale, outZp) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void activations(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }

    record Int16Params(String op, int rows, int depth, int scaleExp, float scaleMantissa, int zp, float outScale, int outZp,
                       float param, boolean narrow, long seed) {}

    @Provide
    Arbitrary<Int16Params> int16Params() {
        return Combinators.combine(Arbitraries.of("LOGISTIC", "TANH", "RELU", "RELU6", "LEAKY_RELU", "SOFTMAX", "SOFTMAX_INT8",
                                "QUANTIZE", "DEQUANTIZE"),
                        Arbitraries.integers().between(1, 4), Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(-16, -4), Arbitraries.oneOf(Arbitraries.just(1f), Arbitraries.floats().between(1f, 2f)),
                        Arbitraries.oneOf(Arbitraries.integers().between(-300, 300), Arbitraries.of(0, -128, 127)),
                        Arbitraries.doubles().between(-16, -2).map(e -> (float) Math.pow(2, e) * 1.37f),
                        Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(0)))
                .as((op, r, d, se, sm, z, os, oz) -> new Object[] {op, r, d, se, sm, z, os, oz})
                .flatMap(a -> Combinators.combine(Arbitraries.floats().between(-2f, 2f), Arbitraries.of(true, false), Arbitraries.longs())
                        .as((param, narrow, seed) -> new Int16Params((String) a[0], (int) a[1], (int) a[2], (int) a[3], (float) a[4],
                                (int) a[5], (float) a[6], (int) a[7], param, narrow, seed)));
    }

    static CReference.Case buildInt16(Int16Params p) {
        Random r = new Random(p.seed());
        int n = p.rows() * p.depth();
        int[] shape = {p.rows(), p.depth()};
        String op = p.op();
        float scale = (float) Math.scalb((double) p.scaleMantissa(), p.scaleExp());
        DataType in = DataType.INT16, out = DataType.INT16;
        int zp = 0, outZp = 0;
        float outScale = p.outScale();
        Map<String, Double> attrs = new LinkedHashMap<>();
        switch (op) {
            case "LOGISTIC", "TANH" -> outScale = 1f / 32768;
            case "RELU6" -> { outScale = scale; zp = p.zp(); outZp = zp; }
            case "LEAKY_RELU" -> { attrs.put("alpha", (double) p.param()); zp = p.zp(); outZp = p.outZp(); } // TFLM takes any zero points
            case "SOFTMAX" -> { outScale = 1f / 32768; attrs.put("beta", (double) (Math.abs(p.param()) + 0.1f)); }
            case "SOFTMAX_INT8" -> {
                op = "SOFTMAX";
                in = DataType.INT8;
                zp = p.outZp();
                outScale = 1f / 65536;
                outZp = -32768;
                attrs.put("beta", (double) (Math.abs(p.param()) + 0.1f));
            }
            case "QUANTIZE" -> {
                // float, int8, int16 or int32 to int16; int16 to int8 or int32
                DataType[][] pairs = {{DataType.FLOAT32, DataType.INT16}, {DataType.INT8, DataType.INT16}, {DataType.INT16, DataType.INT16},
                        {DataType.INT32, DataType.INT16}, {DataType.INT16, DataType.INT8}, {DataType.INT16, DataType.INT32}};
                DataType[] pair = pairs[r.nextInt(pairs.length)];
                in = pair[0];
                out = pair[1];
                zp = in == DataType.INT8 ? p.outZp() : in == DataType.INT16 ? p.zp() : 0;
                outZp = out == DataType.INT8 ? p.outZp() : out == DataType.INT16 ? p.zp() : 0;
            }
            case "DEQUANTIZE" -> { out = DataType.FLOAT32; zp = p.zp(); }
            default -> { }
        }
        byte[] data = new byte[n * in.byteSize()];
        r.nextBytes(data);
        if (in == DataType.FLOAT32) FullyConnectedCrossCheckProperties.floats(data, r);
        if (in == DataType.INT16 && p.narrow()) {
            for (int i = 0; i < n; i++) {
                int v = r.nextInt(4001) - 2000;
                data[2 * i] = (byte) v;
                data[2 * i + 1] = (byte) (v >> 8);
            }
        }
        boolean quantIn = in != DataType.FLOAT32, quantOut = out != DataType.FLOAT32;
        return new CReference.Case(op.toLowerCase() + "_" + in.lowerName() + "_" + out.lowerName(), op, attrs, CReference.list(
                new CReference.TensorSpec("input", in, shape, quantIn ? CrossCheck.q(scale, zp) : null, data),
                new CReference.TensorSpec("output", out, shape, quantOut ? CrossCheck.q(outScale, outZp) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int16Activations(@ForAll("int16Params") Int16Params p) throws Exception {
        assertNull(CrossCheck.compare(buildInt16(p)));
    }
}
