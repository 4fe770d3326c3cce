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

import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * ADD, SUB and MUL on equal shapes, and ADD, SUB, MUL, SQUARED_DIFFERENCE, MAXIMUM, MINIMUM and SELECT_V2 on
 * broadcast shapes (ranks 1 to 6; MAXIMUM and MINIMUM also int64), and DIV (float32, int32, int8) on broadcast shapes: the Java engine and the C reference agree byte for byte.
 */
class ElementwiseCrossCheckProperties {

    record Params(String op, DataType type, int length, float scaleA, int zpA, float scaleB, int zpB, float scaleOut,
                  int zpOut, int activation, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 3).map(e -> (float) Math.pow(2, e) * 1.21f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of("ADD", "SUB", "MUL"),
                        Arbitraries.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.FLOAT32),
                        Arbitraries.integers().between(1, 64), scale, zp, scale, zp, scale)
                .as((op, t, n, sa, za, sb, zb, so) -> new Object[] {op, t, n, sa, za, sb, zb, so})
                .flatMap(a -> Combinators.combine(zp, Arbitraries.of(0, 1, 3), Arbitraries.longs()).as((zo, act, seed) ->
                        new Params((String) a[0], (DataType) a[1], (int) a[2], (float) a[3], (int) a[4], (float) a[5],
                                (int) a[6], (float) a[7], zo, act, seed)));
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int bytes = p.length() * t.byteSize();
        byte[] a = new byte[bytes], b = new byte[bytes];
        r.nextBytes(a);
        r.nextBytes(b);
        if (t == DataType.FLOAT32) { FullyConnectedCrossCheckProperties.floats(a, r); FullyConnectedCrossCheckProperties.floats(b, r); }
        boolean quant = t == DataType.INT8 || t == DataType.INT16;
        boolean zeroZp = t == DataType.INT16;
        int[] shape = {p.length()};
        int act = t == DataType.INT32 && !p.op().equals("MUL") ? 0 : p.activation();
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), Map.of("activation", (double) act), CReference.list(
                new CReference.TensorSpec("input1", t, shape, quant ? CrossCheck.q(p.scaleA(), zeroZp ? 0 : p.zpA()) : null, a),
                new CReference.TensorSpec("input2", t, shape, quant ? CrossCheck.q(p.scaleB(), zeroZp ? 0 : p.zpB()) : null, b),
                new CReference.TensorSpec("output", t, shape, quant ? CrossCheck.q(p.scaleOut(), zeroZp ? 0 : p.zpOut()) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void addSubMul(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }

    record BroadcastParams(String op, DataType type, int rank, float scaleA, int zpA, float scaleB, int zpB, float scaleOut,
                           int zpOut, int activation, long seed) {}

    @Provide
    Arbitrary<BroadcastParams> broadcastParams() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 3).map(e -> (float) Math.pow(2, e) * 1.21f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of("ADD", "SUB", "MUL", "SQUARED_DIFFERENCE", "MAXIMUM", "MINIMUM", "SELECT_V2"),
                        Arbitraries.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.FLOAT32),
                        Arbitraries.integers().between(1, 6), scale, zp, scale, zp, scale)
                .as((op, t, rank, sa, za, sb, zb, so) -> new Object[] {op, t, rank, sa, za, sb, zb, so})
                .flatMap(a -> Combinators.combine(zp, Arbitraries.of(0, 1, 3), Arbitraries.longs()).as((zo, act, seed) ->
                        new BroadcastParams((String) a[0], (DataType) a[1], (int) a[2], (float) a[3], (int) a[4], (float) a[5],
                                (int) a[6], (float) a[7], zo, act, seed)));
    }

    /** A shape that broadcasts to {@code out}: some leading dimensions dropped, some others set to 1. */
    private static int[] broadcastable(int[] out, Random r) {
        int drop = r.nextInt(3) == 0 ? r.nextInt(out.length + 1) : 0;
        int[] s = java.util.Arrays.copyOfRange(out, drop, out.length);
        for (int d = 0; d < s.length; d++) if (r.nextInt(3) == 0) s[d] = 1;
        return s;
    }

    /** Whether two shapes agree once padded with leading 1s (TFLM's ProcessBroadcastShapes exact match). */
    private static boolean sameRightAligned(int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)], db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db) return false;
        }
        return true;
    }

    private static byte[] data(DataType t, int[] shape, Random r) {
        int n = 1;
        for (int d : shape) n *= d;
        byte[] b = new byte[n * t.byteSize()];
        r.nextBytes(b);
        if (t == DataType.FLOAT32) FullyConnectedCrossCheckProperties.floats(b, r);
        if (t == DataType.BOOL) for (int i = 0; i < b.length; i++) b[i] = (byte) (b[i] & 1);
        return b;
    }

    static CReference.Case buildBroadcast(BroadcastParams p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        if (t == DataType.INT64 && !p.op().equals("MAXIMUM") && !p.op().equals("MINIMUM")) t = DataType.INT32; // int64 only there
        if (p.op().equals("SELECT_V2") && (t == DataType.INT32 || t == DataType.INT64)) t = DataType.INT8; // TFLM's SELECT_V2: int8, int16, float32
        int[] out = new int[p.rank()];
        for (int d = 0; d < out.length; d++) out[d] = 1 + r.nextInt(4);
        int[] sa = broadcastable(out, r), sb = broadcastable(out, r);
        // TFLM's SUB and SQUARED_DIFFERENCE take their non-broadcast path when the inputs share a shape (SUB int8/int16:
        // once right-aligned), and that path needs the output to have it too; give input1 the output's shape then.
        if ((p.op().equals("SUB") || p.op().equals("SQUARED_DIFFERENCE")) && sameRightAligned(sa, sb)
                && !java.util.Arrays.equals(sa, out)) sa = out.clone();
        String name = p.op().toLowerCase() + "_broadcast_" + t.lowerName();
        if (p.op().equals("SELECT_V2")) {
            int[] sc = broadcastable(out, r);
            // TFLM's SELECT_V2: equal input shapes need that output shape, otherwise the output rank is the largest
            // input rank (CheckBroadcastShape).
            boolean same = java.util.Arrays.equals(sc, sa) && java.util.Arrays.equals(sa, sb);
            if ((same || Math.max(sc.length, Math.max(sa.length, sb.length)) < out.length) && !java.util.Arrays.equals(sa, out)) {
                sa = out.clone();
            }
            // ... and each output dimension is the largest of the inputs' (all-1 columns stay 1).
            for (int d = 0; d < out.length; d++) {
                int m = 1;
                for (int[] s : new int[][] {sc, sa, sb}) {
                    int k = d - (out.length - s.length);
                    if (k >= 0) m = Math.max(m, s[k]);
                }
                out[d] = m;
            }
            var qa = t == DataType.INT8 || t == DataType.INT16 ? CrossCheck.q(p.scaleA(), t == DataType.INT8 ? p.zpA() : 0) : null;
            return new CReference.Case(name, p.op(), Map.of(), CReference.list(
                    new CReference.TensorSpec("condition", DataType.BOOL, sc, null, data(DataType.BOOL, sc, r)),
                    new CReference.TensorSpec("x", t, sa, qa, data(t, sa, r)),
                    new CReference.TensorSpec("y", t, sb, qa, data(t, sb, r)),
                    new CReference.TensorSpec("output", t, out, qa, null)));
        }
        boolean quant = t == DataType.INT8 || t == DataType.INT16;
        boolean zeroZp = t == DataType.INT16;
        boolean fused = p.op().equals("ADD") || p.op().equals("SUB") || p.op().equals("MUL");
        int act = !fused || (t == DataType.INT32 && !p.op().equals("MUL")) ? 0 : p.activation();
        return new CReference.Case(name, p.op(), Map.of("activation", (double) act), CReference.list(
                new CReference.TensorSpec("input1", t, sa, quant ? CrossCheck.q(p.scaleA(), zeroZp ? 0 : p.zpA()) : null, data(t, sa, r)),
                new CReference.TensorSpec("input2", t, sb, quant ? CrossCheck.q(p.scaleB(), zeroZp ? 0 : p.zpB()) : null, data(t, sb, r)),
                new CReference.TensorSpec("output", t, out, quant ? CrossCheck.q(p.scaleOut(), zeroZp ? 0 : p.zpOut()) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void broadcastBinary(@ForAll("broadcastParams") BroadcastParams p) throws Exception {
        assertNull(CrossCheck.compare(buildBroadcast(p)));
    }

    record DivParams(DataType type, int rank, float scaleA, int zpA, float scaleB, int zpB, float scaleOut, int zpOut,
                     int activation, long seed) {}

    @Provide
    Arbitrary<DivParams> divParams() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-6, 2).map(e -> (float) Math.pow(2, e) * 1.21f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127, 0));
        return Combinators.combine(Arbitraries.of(DataType.INT8, DataType.INT32, DataType.FLOAT32),
                        Arbitraries.integers().between(1, 5), scale, zp, scale, zp, scale, zp)
                .as((t, rank, sa, za, sb, zb, so, zo) -> new Object[] {t, rank, sa, za, sb, zb, so, zo})
                .flatMap(a -> Combinators.combine(Arbitraries.of(0, 1, 2, 3), Arbitraries.longs()).as((act, seed) ->
                        new DivParams((DataType) a[0], (int) a[1], (float) a[2], (int) a[3], (float) a[4], (int) a[5],
                                (float) a[6], (int) a[7], act, seed)));
    }

    /** Divisors that are never zero (for int8: never the zero point), int32 values mostly small. */
    static CReference.Case buildDiv(DivParams p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int[] out = new int[p.rank()];
        for (int d = 0; d < out.length; d++) out[d] = 1 + r.nextInt(4);
        int[] sa = broadcastable(out, r), sb = broadcastable(out, r);
        byte[] a = data(t, sa, r), b = data(t, sb, r);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (t == DataType.INT32) {
            for (int i = 0; i < b.length / 4; i++) {
                int v = r.nextInt(4) == 0 ? bb.getInt(4 * i) : r.nextInt(201) - 100;
                bb.putInt(4 * i, v == 0 || v == -1 ? 7 : v);
            }
        }
        if (t == DataType.INT8) for (int i = 0; i < b.length; i++) if (b[i] == p.zpB()) b[i] = (byte) (p.zpB() == 127 ? 126 : p.zpB() + 1);
        boolean quant = t == DataType.INT8;
        return new CReference.Case("div_" + t.lowerName(), "DIV", Map.of("activation", (double) p.activation()), CReference.list(
                new CReference.TensorSpec("input1", t, sa, quant ? CrossCheck.q(p.scaleA(), p.zpA()) : null, a),
                new CReference.TensorSpec("input2", t, sb, quant ? CrossCheck.q(p.scaleB(), p.zpB()) : null, b),
                new CReference.TensorSpec("output", t, out, quant ? CrossCheck.q(p.scaleOut(), p.zpOut()) : null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void div(@ForAll("divParams") DivParams p) throws Exception {
        assertNull(CrossCheck.compare(buildDiv(p)));
    }
}
