package dev.minnow.cref;

import dev.minnow.model.DataType;
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
 * float paths call this machine's glibc expf/tanhf) agree byte for byte.
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
}
