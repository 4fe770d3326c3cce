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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SVDF, one step from a random activation state (as if after earlier steps): float32 with every fused activation the
 * schema has, with or without bias; int8 input and feature weights with int16 or int8 time weights and state (state
 * zero points anywhere in range, so the state's new column may wrap as in TFLM): the Java engine and the C reference
 * agree byte for byte.
 */
class SvdfCrossCheckProperties {

    record Params(String kind, int batch, int inputSize, int units, int rank, int memory, float inScale, int inZp, float wfScale,
                  float stateScale, int stateZp, float wtScale, float outScale, int outZp, int activation, boolean bias, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-12, 3).map(e -> (float) Math.pow(2, e) * 1.17f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        Arbitrary<Object[]> shape = Combinators.combine(Arbitraries.of("float32", "int16_state", "int8_state"),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 6))
                .as((k, b, i, u, r, m) -> new Object[] {k, b, i, u, r, m});
        Arbitrary<Object[]> quant = Combinators.combine(scale, zp, scale, scale, zp, scale, scale, zp)
                .as((is, iz, wf, ss, sz, wt, os, oz) -> new Object[] {is, iz, wf, ss, sz, wt, os, oz});
        return Combinators.combine(shape, quant, Arbitraries.integers().between(0, 5), Arbitraries.of(true, false), Arbitraries.longs())
                .as((s, q, act, bias, seed) -> new Params((String) s[0], (int) s[1], (int) s[2], (int) s[3], (int) s[4], (int) s[5],
                        (float) q[0], (int) q[1], (float) q[2], (float) q[3], (int) q[4], (float) q[5], (float) q[6], (int) q[7],
                        act, bias, seed));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        boolean f = p.kind().equals("float32");
        DataType st = f ? DataType.FLOAT32 : p.kind().equals("int16_state") ? DataType.INT16 : DataType.INT8;
        DataType in = f ? DataType.FLOAT32 : DataType.INT8;
        int filters = p.units() * p.rank();
        byte[] x = new byte[p.batch() * p.inputSize() * in.byteSize()];
        byte[] wf = new byte[filters * p.inputSize() * in.byteSize()];
        byte[] wt = new byte[filters * p.memory() * st.byteSize()];
        byte[] state = new byte[p.batch() * filters * p.memory() * st.byteSize()];
        for (byte[] b : new byte[][] {x, wf, wt, state}) {
            r.nextBytes(b);
            if (f) FullyConnectedCrossCheckProperties.floats(b, r);
        }
        CReference.TensorSpec bias = new CReference.TensorSpec("bias", null, new int[0], null, null);
        int stateZp = st == DataType.INT16 ? p.stateZp() * 37 : p.stateZp();
        if (f && p.bias()) {
            byte[] bb = new byte[p.units() * 4];
            FullyConnectedCrossCheckProperties.floats(bb, r);
            bias = new CReference.TensorSpec("bias", DataType.FLOAT32, new int[] {p.units()}, null, bb);
        } else if (!f) { // TFLM reads the int8 bias's scale, so the bias is not optional there
            ByteBuffer bb = ByteBuffer.allocate(p.units() * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int u = 0; u < p.units(); u++) bb.putInt(r.nextInt(1 << 18) - (1 << 17));
            bias = new CReference.TensorSpec("bias", DataType.INT32, new int[] {p.units()}, CrossCheck.q(p.stateScale() * p.wtScale(), 0), bb.array());
        }
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("rank", (double) p.rank());
        attrs.put("activation", (double) (f ? p.activation() : 0));
        return new CReference.Case("svdf_" + p.kind(), "SVDF", attrs, CReference.list(
                new CReference.TensorSpec("input", in, new int[] {p.batch(), p.inputSize()}, f ? null : CrossCheck.q(p.inScale(), p.inZp()), x),
                new CReference.TensorSpec("weights_feature", in, new int[] {filters, p.inputSize()}, f ? null : CrossCheck.q(p.wfScale(), 0), wf),
                new CReference.TensorSpec("weights_time", st, new int[] {filters, p.memory()}, f ? null : CrossCheck.q(p.wtScale(), 0), wt),
                bias,
                new CReference.TensorSpec("state", st, new int[] {p.batch(), filters * p.memory()}, f ? null : CrossCheck.q(p.stateScale(), stateZp), state),
                new CReference.TensorSpec("output", in, new int[] {p.batch(), p.units()}, f ? null : CrossCheck.q(p.outScale(), p.outZp()), null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void svdf(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
