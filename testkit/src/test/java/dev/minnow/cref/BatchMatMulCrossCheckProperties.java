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

import static dev.minnow.cref.DataMovementCrossCheckProperties.count;
import static dev.minnow.cref.DataMovementCrossCheckProperties.data;
import static dev.minnow.cref.DataMovementCrossCheckProperties.tensor;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * BATCH_MATMUL in float32, int8 and int16: ranks 2 to 5 for each operand, 0 to 3 batch dimensions broadcasting
 * (size 1 against any, missing leading ones), adj_x and adj_y, rhs constant or a runtime input; int8 zero points
 * anywhere in the range (the ends included), int16 with zero points 0 and effective scales below 128 (TFLM asserts
 * that), multipliers above and below 1: the Java engine and the C reference agree byte for byte.
 */
class BatchMatMulCrossCheckProperties {

    record Params(DataType type, int lhsRank, int rhsRank, int adj, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        return Combinators.combine(Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), Arbitraries.integers().between(2, 5),
                Arbitraries.integers().between(2, 5), Arbitraries.integers().between(0, 3), Arbitraries.longs()).as(Params::new);
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int a = 1 + r.nextInt(5), b = 1 + r.nextInt(8), c = 1 + r.nextInt(5);
        boolean adjX = (p.adj() & 1) != 0, adjY = (p.adj() & 2) != 0;
        int rank = Math.max(p.lhsRank(), p.rhsRank());
        int[] batch = new int[rank - 2];
        for (int i = 0; i < batch.length; i++) batch[i] = 1 + r.nextInt(3);
        int[] lhs = operand(r, batch, p.lhsRank(), adjX ? new int[] {b, a} : new int[] {a, b});
        int[] rhs = operand(r, batch, p.rhsRank(), adjY ? new int[] {c, b} : new int[] {b, c});
        int[] out = new int[rank];
        for (int i = 0; i < rank - 2; i++) {
            int l = dim(lhs, rank, i), rr = dim(rhs, rank, i);
            out[i] = l != 1 ? l : rr;
        }
        out[rank - 2] = a;
        out[rank - 1] = c;
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("adj_x", adjX ? 1.0 : 0.0);
        attrs.put("adj_y", adjY ? 1.0 : 0.0);
        attrs.put("rhs_constant", r.nextBoolean() ? 1.0 : 0.0);
        DataType t = p.type();
        Quantization ql = null, qr = null, qo = null;
        byte[] ld, rd;
        if (t == DataType.FLOAT32) {
            ld = floats(r, count(lhs));
            rd = floats(r, count(rhs));
        } else {
            float ls = scale(r), rs = scale(r);
            // effective scale ls * rs / os between 2^-12 and 2^5 (int16: below 128, as TFLM asserts)
            float os = ls * rs / (float) Math.pow(2, r.nextInt(18) - 12) * (1 + r.nextFloat());
            int[] ends = {-128, 127, 0};
            ql = CrossCheck.q(ls, t == DataType.INT16 ? 0 : r.nextInt(3) == 0 ? ends[r.nextInt(3)] : r.nextInt(256) - 128);
            qr = CrossCheck.q(rs, t == DataType.INT16 ? 0 : r.nextInt(3) == 0 ? ends[r.nextInt(3)] : r.nextInt(256) - 128);
            qo = CrossCheck.q(os, t == DataType.INT16 ? 0 : r.nextInt(256) - 128);
            ld = data(t, count(lhs), r);
            rd = data(t, count(rhs), r);
        }
        return new CReference.Case("batch_matmul_" + t.lowerName(), "BATCH_MATMUL", attrs, dev.minnow.testkit.CReference.list(
                tensor("lhs", t, lhs, ql, ld), tensor("rhs", t, rhs, qr, rd), tensor("output", t, out, qo, null)));
    }

    /** An operand of the given rank: its share of the batch dimensions (right-aligned, some set to 1), then the matrix. */
    private static int[] operand(Random r, int[] batch, int rank, int[] matrix) {
        int[] s = new int[rank];
        for (int i = 0; i < rank - 2; i++) {
            int b = batch[batch.length - (rank - 2) + i];
            s[i] = r.nextInt(3) == 0 ? 1 : b;
        }
        s[rank - 2] = matrix[0];
        s[rank - 1] = matrix[1];
        return s;
    }

    /** Dimension i of a shape right-aligned to {@code rank} dimensions (1 before its start). */
    private static int dim(int[] s, int rank, int i) {
        int k = i - (rank - s.length);
        return k < 0 ? 1 : s[k];
    }

    private static float scale(Random r) { return (float) Math.pow(2, r.nextInt(12) - 8) * (1 + r.nextFloat()); }

    private static byte[] floats(Random r, int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(r.nextInt(10) == 0 ? (r.nextBoolean() ? -0.0f : 0.0f) : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2)));
        return b.array();
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void batchMatMul(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
