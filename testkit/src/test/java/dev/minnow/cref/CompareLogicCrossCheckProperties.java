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
 * The comparisons (EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL on float32, int32, int64, int8 and, for
 * the equalities, bool) and LOGICAL_AND, LOGICAL_OR, LOGICAL_NOT on bool, with each input either of the output's shape
 * or broadcast (size-1 dimensions, fewer leading dimensions), equal elements, signed zeros, infinities and NaNs mixed in,
 * and int8 inputs of different scales and zero points (TFLM's rescaled comparison): the Java engine and the C reference
 * agree byte for byte.
 */
class CompareLogicCrossCheckProperties {
    static final String[] COMPARISONS = {"EQUAL", "NOT_EQUAL", "GREATER", "GREATER_EQUAL", "LESS", "LESS_EQUAL"};
    static final float[] SPECIAL = {0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.MIN_VALUE, -Float.MAX_VALUE};

    record Params(String op, DataType type, List<Integer> dims, float scaleA, int zpA, float scaleB, int zpB, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        // int8 comparison scales must lie in (0, 1): TFLM aborts otherwise
        Arbitrary<Float> scale = Arbitraries.doubles().between(-14, -0.05).map(e -> (float) Math.pow(2, e));
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        Arbitrary<Object[]> opType = Arbitraries.oneOf(
                Combinators.combine(Arbitraries.of(COMPARISONS),
                        Arbitraries.of(DataType.FLOAT32, DataType.INT32, DataType.INT64, DataType.INT8)).as((o, t) -> new Object[] {o, t}),
                Arbitraries.of("EQUAL", "NOT_EQUAL").map(o -> new Object[] {o, DataType.BOOL}),
                Arbitraries.of("LOGICAL_AND", "LOGICAL_OR", "LOGICAL_NOT").map(o -> new Object[] {o, DataType.BOOL}));
        return Combinators.combine(opType, Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(5), scale, zp, scale, zp,
                        Arbitraries.longs())
                .as((ot, d, sa, za, sb, zb, seed) -> new Params((String) ot[0], (DataType) ot[1], d, sa, za, sb, zb, seed));
    }

    /** {@code out} with some dimensions set to 1 and sometimes leading dimensions dropped (a shape that broadcasts to it). */
    static int[] broadcastable(int[] out, Random r) {
        if (r.nextInt(3) == 0) return out.clone();
        int drop = r.nextInt(out.length);
        int[] s = new int[out.length - drop];
        for (int d = 0; d < s.length; d++) s[d] = r.nextInt(3) == 0 ? 1 : out[d + drop];
        return s;
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int[] out = p.dims().stream().mapToInt(Integer::intValue).toArray();
        boolean unary = p.op().equals("LOGICAL_NOT");
        int[] sa = unary ? out : broadcastable(out, r), sb = broadcastable(out, r);
        // the output takes the broadcast shape of the two inputs
        if (!unary) out = broadcastShape(sa, sb);
        byte[] a = data(t, sa, r), b = data(t, sb, r);
        // copy some elements across so equal values meet (the broadcast index maps make most pairs line up by chance)
        int es = t.byteSize();
        for (int i = 0; i < Math.min(a.length, b.length) / es; i++) if (r.nextInt(4) == 0) System.arraycopy(a, i * es, b, i * es, es);
        boolean quant = t == DataType.INT8;
        String name = p.op().toLowerCase() + "_" + t.lowerName();
        if (unary) {
            return new CReference.Case(name, p.op(), Map.of(), CReference.list(
                    new CReference.TensorSpec("input", t, sa, null, a),
                    new CReference.TensorSpec("output", DataType.BOOL, out, null, null)));
        }
        return new CReference.Case(name, p.op(), Map.of(), CReference.list(
                new CReference.TensorSpec("input1", t, sa, quant ? CrossCheck.q(p.scaleA(), p.zpA()) : null, a),
                new CReference.TensorSpec("input2", t, sb, quant ? CrossCheck.q(p.scaleB(), p.zpB()) : null, b),
                new CReference.TensorSpec("output", DataType.BOOL, out, null, null)));
    }

    static int[] broadcastShape(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] s = new int[rank];
        for (int d = 0; d < rank; d++) {
            int x = d - (rank - a.length) >= 0 ? a[d - (rank - a.length)] : 1, y = d - (rank - b.length) >= 0 ? b[d - (rank - b.length)] : 1;
            s[d] = Math.max(x, y);
        }
        return s;
    }

    static byte[] data(DataType t, int[] shape, Random r) {
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * t.byteSize()];
        r.nextBytes(data);
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            switch (t) {
                case BOOL -> data[i] = (byte) r.nextInt(2);
                case FLOAT32 -> bb.putFloat(4 * i, r.nextInt(5) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) r.nextInt(7) - 3 + (r.nextBoolean() ? 0 : r.nextFloat()));
                case INT32 -> bb.putInt(4 * i, r.nextBoolean() ? r.nextInt(7) - 3 : r.nextInt());
                case INT64 -> bb.putLong(8 * i, r.nextBoolean() ? r.nextInt(7) - 3 : r.nextLong());
                default -> { } // int8: every byte value
            }
        }
        return data;
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void comparisonsAndLogic(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
