package dev.minnow.cref;

import dev.minnow.writer.LeArrays;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.minnow.cref.DataMovementCrossCheckProperties.count;
import static dev.minnow.cref.DataMovementCrossCheckProperties.data;
import static dev.minnow.cref.DataMovementCrossCheckProperties.int64s;
import static dev.minnow.cref.DataMovementCrossCheckProperties.quant;
import static dev.minnow.cref.DataMovementCrossCheckProperties.tensor;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Issue 12's shapes and data movement (SHAPE, FILL, ZEROS_LIKE, BROADCAST_TO, BROADCAST_ARGS, SPLIT_V, REVERSE_V2,
 * MIRROR_PAD, SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, GATHER_ND, EMBEDDING_LOOKUP,
 * DYNAMIC_UPDATE_SLICE, CUMSUM) on random TFLM-valid cases: the Java engine (run copies, TFLM's index formulas) and
 * the C reference (element by element from coordinates) agree byte for byte. Data are raw random bytes (NaN payloads
 * included, copied bit for bit) except for CUMSUM's float sums. Each property draws an op, a type, a rank and a seed
 * that fixes the rest: shapes with size-1 dimensions, negative axes, int32/int64 parameter tensors, GATHER_ND index
 * rows that step outside one dimension while their flat start stays inside the params (TFLM checks only that), start
 * indices DYNAMIC_UPDATE_SLICE clamps, CUMSUM's int8 rescaling with zero points at the ends of the range.
 */
class DataMovement2CrossCheckProperties {

    record Params(String op, DataType type, int rank, long seed) {}

    static Arbitrary<Params> params(List<String> ops, List<DataType> types, int minRank, int maxRank) {
        return Combinators.combine(Arbitraries.of(ops), Arbitraries.of(types), Arbitraries.integers().between(minRank, maxRank),
                Arbitraries.longs()).as(Params::new);
    }

    static int[] dims(Random r, int rank, int max) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) d[i] = 1 + r.nextInt(max);
        return d;
    }

    static byte[] ints(DataType t, int... v) {
        return switch (t) {
            case INT64 -> int64s(v);
            case INT32 -> LeArrays.ints(v);
            case INT16 -> {
                ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                for (int x : v) b.putShort((short) x);
                yield b.array();
            }
            default -> {
                byte[] b = new byte[v.length];
                for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
                yield b;
            }
        };
    }

    static String name(Params p) { return p.op().toLowerCase() + "_" + p.type().lowerName(); }

    static CReference.Case make(Params p, Map<String, Double> attrs, CReference.TensorSpec... tensors) {
        return new CReference.Case(name(p), p.op(), attrs, CReference.list(tensors));
    }

    // ---- SHAPE, FILL, ZEROS_LIKE, BROADCAST_TO, BROADCAST_ARGS ----

    @Provide
    Arbitrary<Params> shapeParams() {
        return params(List.of("SHAPE", "FILL", "ZEROS_LIKE", "BROADCAST_TO", "BROADCAST_ARGS"),
                List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.BOOL), 0, 5);
    }

    static CReference.Case buildShape(Params p) {
        Random r = new Random(p.seed());
        int rank = p.rank();
        Map<String, Double> attrs = new LinkedHashMap<>();
        switch (p.op()) {
            case "SHAPE" -> {
                int[] in = dims(r, rank, 5);
                return make(p, attrs, tensor("input", p.type(), in, quant(p.type(), r), data(p.type(), count(in), r)),
                        tensor("output", DataType.INT32, new int[] {rank}, null, null));
            }
            case "FILL" -> {
                // TFLM's Eval fills float32, int32 and int8; the dims tensor may be any integer type
                DataType t = List.of(DataType.FLOAT32, DataType.INT32, DataType.INT8).get(r.nextInt(3));
                DataType dt = List.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64).get(r.nextInt(4));
                int[] out = dims(r, Math.max(1, rank), 5); // an empty dims buffer is no constant
                Quantization q = quant(t, r);
                return make(p, attrs, tensor("dims", dt, new int[] {out.length}, null, ints(dt, out)),
                        tensor("value", t, new int[0], q, data(t, 1, r)), tensor("output", t, out, q, null));
            }
            case "ZEROS_LIKE" -> {
                DataType t = List.of(DataType.FLOAT32, DataType.INT32, DataType.INT8, DataType.INT64).get(r.nextInt(4));
                int[] in = dims(r, rank, 5);
                Quantization q = quant(t, r);
                return make(p, attrs, tensor("input", t, in, q, data(t, count(in), r)), tensor("output", t, in, q, null));
            }
            case "BROADCAST_TO" -> {
                int outRank = Math.max(1, rank), inRank = r.nextInt(outRank + 1);
                int[] out = dims(r, outRank, 4), in = new int[inRank];
                for (int i = 0; i < inRank; i++) in[i] = r.nextInt(3) == 0 ? out[outRank - inRank + i] : 1;
                DataType st = r.nextBoolean() ? DataType.INT32 : DataType.INT64;
                Quantization q = quant(p.type(), r);
                return make(p, attrs, tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                        tensor("shape", st, new int[] {outRank}, null, ints(st, out)), tensor("output", p.type(), out, q, null));
            }
            default -> {
                // two shape vectors of different lengths that broadcast; sometimes a longer output (1s in front)
                DataType t = r.nextBoolean() ? DataType.INT32 : DataType.INT64;
                int n1 = 1 + r.nextInt(5), n2 = 1 + r.nextInt(5), n = Math.max(n1, n2) + (r.nextInt(5) == 0 ? 1 : 0);
                int[] a = new int[n1], b = new int[n2];
                int[] full = dims(r, Math.max(n1, n2), 6);
                for (int i = 0; i < n1; i++) a[i] = r.nextInt(3) == 0 ? 1 : full[full.length - n1 + i];
                for (int i = 0; i < n2; i++) b[i] = r.nextInt(3) == 0 ? 1 : full[full.length - n2 + i];
                return make(p, attrs, tensor("shape1", t, new int[] {n1}, null, ints(t, a)), tensor("shape2", t, new int[] {n2}, null, ints(t, b)),
                        tensor("output", t, new int[] {n}, null, null));
            }
        }
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void shapeFillZerosBroadcast(@ForAll("shapeParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildShape(p)));
    }

    // ---- SPLIT_V, REVERSE_V2, MIRROR_PAD ----

    @Provide
    Arbitrary<Params> splitParams() {
        return params(List.of("SPLIT_V", "REVERSE_V2", "MIRROR_PAD"), List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16,
                DataType.INT32, DataType.INT64, DataType.BOOL, DataType.UINT8), 1, 5);
    }

    static CReference.Case buildSplit(Params p) {
        Random r = new Random(p.seed());
        int rank = p.rank();
        Map<String, Double> attrs = new LinkedHashMap<>();
        switch (p.op()) {
            case "SPLIT_V" -> {
                DataType t = List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32).get(r.nextInt(4));
                int[] in = dims(r, rank, 4);
                int axis = r.nextInt(rank), parts = 1 + r.nextInt(4);
                in[axis] = parts + r.nextInt(5);
                int[] sizes = new int[parts];
                int left = in[axis];
                for (int k = 0; k < parts - 1; k++) { sizes[k] = 1 + r.nextInt(left - (parts - 1 - k)); left -= sizes[k]; }
                sizes[parts - 1] = left;
                int[] splits = sizes.clone();
                if (r.nextBoolean()) splits[r.nextInt(parts)] = -1; // TFLM reads neither size_splits nor num_splits
                Quantization q = quant(t, r);
                List<CReference.TensorSpec> ts = CReference.list(tensor("input", t, in, q, data(t, count(in), r)),
                        tensor("size_splits", DataType.INT32, new int[] {parts}, null, LeArrays.ints(splits)),
                        tensor("axis", DataType.INT32, r.nextBoolean() ? new int[0] : new int[] {1}, null,
                                LeArrays.ints(r.nextBoolean() ? axis - rank : axis)));
                for (int k = 0; k < parts; k++) {
                    int[] out = in.clone();
                    out[axis] = sizes[k];
                    ts.add(tensor("output" + k, t, out, q, null));
                }
                return new CReference.Case(name(p), p.op(), attrs, ts);
            }
            case "REVERSE_V2" -> {
                int[] in = dims(r, rank, 4);
                int lo = r.nextInt(rank), hi = lo + r.nextInt(rank - lo);
                List<Integer> axes = new ArrayList<>();
                for (int a = lo; a <= hi; a++) axes.add(r.nextBoolean() ? a - rank : a);
                java.util.Collections.shuffle(axes, r);
                Quantization q = quant(p.type(), r);
                return make(p, attrs, tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                        tensor("axis", DataType.INT32, new int[] {axes.size()}, null, LeArrays.ints(axes.stream().mapToInt(Integer::intValue).toArray())),
                        tensor("output", p.type(), in, q, null));
            }
            default -> {
                DataType t = r.nextBoolean() ? DataType.FLOAT32 : DataType.INT8;
                int r4 = Math.min(rank, 4);
                int[] in = dims(r, r4, 5), pads = new int[2 * r4], out = new int[r4];
                int mode = r.nextInt(2); // 0 REFLECT (pads up to dim - 1), 1 SYMMETRIC (up to dim)
                attrs.put("mode", (double) mode);
                for (int d = 0; d < r4; d++) {
                    int most = mode == 0 ? in[d] - 1 : in[d];
                    pads[2 * d] = r.nextInt(most + 1);
                    pads[2 * d + 1] = r.nextInt(most + 1);
                    out[d] = in[d] + pads[2 * d] + pads[2 * d + 1];
                }
                DataType pt = r.nextBoolean() ? DataType.INT32 : DataType.INT64;
                Quantization q = quant(t, r);
                return make(p, attrs, tensor("input", t, in, q, data(t, count(in), r)),
                        tensor("paddings", pt, new int[] {r4, 2}, null, ints(pt, pads)), tensor("output", t, out, q, null));
            }
        }
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void splitReverseMirrorPad(@ForAll("splitParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildSplit(p)));
    }

    // ---- SPACE_TO_DEPTH, DEPTH_TO_SPACE, SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND ----

    @Provide
    Arbitrary<Params> blockParams() {
        return params(List.of("SPACE_TO_DEPTH", "DEPTH_TO_SPACE", "SPACE_TO_BATCH_ND", "BATCH_TO_SPACE_ND"),
                List.of(DataType.FLOAT32, DataType.INT8), 3, 4);
    }

    static CReference.Case buildBlocks(Params p) {
        Random r = new Random(p.seed());
        Quantization q = quant(p.type(), r);
        Map<String, Double> attrs = new LinkedHashMap<>();
        int b = 1 + r.nextInt(2), c = 1 + r.nextInt(3);
        switch (p.op()) {
            case "SPACE_TO_DEPTH", "DEPTH_TO_SPACE" -> {
                int bs = 1 + r.nextInt(3), h = 1 + r.nextInt(3), w = 1 + r.nextInt(3);
                attrs.put("block_size", (double) bs);
                int[] space = {b, h * bs, w * bs, c}, depth = {b, h, w, c * bs * bs};
                boolean toDepth = p.op().equals("SPACE_TO_DEPTH");
                int[] in = toDepth ? space : depth, out = toDepth ? depth : space;
                return make(p, attrs, tensor("input", p.type(), in, q, data(p.type(), count(in), r)), tensor("output", p.type(), out, q, null));
            }
            case "SPACE_TO_BATCH_ND" -> {
                boolean four = p.rank() == 4;
                int bh = 1 + r.nextInt(3), bw = four ? 1 + r.nextInt(3) : 1;
                int kh = 1 + r.nextInt(3), kw = four ? 1 + r.nextInt(3) : 1;
                int ih = 1 + r.nextInt(bh * kh), iw = 1 + r.nextInt(bw * kw);
                int top = r.nextInt(bh * kh - ih + 1), left = r.nextInt(bw * kw - iw + 1);
                int[] pads = {top, bh * kh - ih - top, left, bw * kw - iw - left};
                int[] in = four ? new int[] {b, ih, iw, c} : new int[] {b, ih, c};
                int[] out = four ? new int[] {b * bh * bw, kh, kw, c} : new int[] {b * bh, kh, c};
                int[] block = four ? new int[] {bh, bw} : new int[] {bh};
                int[] padMatrix = four ? pads : new int[] {pads[0], pads[1]};
                return make(p, attrs, tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                        tensor("block_shape", DataType.INT32, new int[] {block.length}, null, LeArrays.ints(block)),
                        tensor("paddings", DataType.INT32, new int[] {block.length, 2}, null, LeArrays.ints(padMatrix)),
                        tensor("output", p.type(), out, q, null));
            }
            default -> {
                boolean four = p.rank() == 4;
                int bh = 1 + r.nextInt(3), bw = four ? 1 + r.nextInt(3) : 1;
                int ih = 1 + r.nextInt(3), iw = four ? 1 + r.nextInt(3) : 1;
                // crops leave at least one row and column
                int ch = r.nextInt(ih * bh), cw = r.nextInt(iw * bw);
                int top = r.nextInt(ch + 1), left = r.nextInt(cw + 1);
                int[] crops = {top, ch - top, left, cw - left};
                int[] in = four ? new int[] {b * bh * bw, ih, iw, c} : new int[] {b * bh, ih, c};
                int[] out = four ? new int[] {b, ih * bh - ch, iw * bw - cw, c} : new int[] {b, ih * bh - ch, c};
                int[] block = four ? new int[] {bh, bw} : new int[] {bh};
                int[] cropMatrix = four ? crops : new int[] {crops[0], crops[1]};
                return make(p, attrs, tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                        tensor("block_shape", DataType.INT32, new int[] {block.length}, null, LeArrays.ints(block)),
                        tensor("crops", DataType.INT32, new int[] {block.length, 2}, null, LeArrays.ints(cropMatrix)),
                        tensor("output", p.type(), out, q, null));
            }
        }
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthSpaceBatch(@ForAll("blockParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildBlocks(p)));
    }

    // ---- GATHER_ND, EMBEDDING_LOOKUP, DYNAMIC_UPDATE_SLICE ----

    @Provide
    Arbitrary<Params> gatherParams() {
        return params(List.of("GATHER_ND", "EMBEDDING_LOOKUP", "DYNAMIC_UPDATE_SLICE"),
                List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32), 1, 4);
    }

    static CReference.Case buildGather(Params p) {
        Random r = new Random(p.seed());
        Map<String, Double> attrs = new LinkedHashMap<>();
        switch (p.op()) {
            case "GATHER_ND" -> {
                DataType t = r.nextBoolean() ? DataType.FLOAT32 : DataType.INT8;
                int[] params = dims(r, p.rank(), 4);
                int nd = r.nextInt(p.rank() + 1);
                int batchRank = r.nextInt(3);
                int[] ishape = new int[batchRank + 1];
                for (int i = 0; i < batchRank; i++) ishape[i] = 1 + r.nextInt(3);
                ishape[batchRank] = nd;
                int rows = 1;
                for (int i = 0; i < batchRank; i++) rows *= ishape[i];
                int[] idx = new int[rows * nd];
                for (int s = 0; s < rows; s++) {
                    for (int j = 0; j < nd; j++) idx[s * nd + j] = r.nextInt(params[j]);
                    // step outside one dimension, keeping the flat start: TFLM checks only that
                    if (nd >= 2 && r.nextInt(5) == 0) {
                        int j = r.nextInt(nd - 1);
                        if (idx[s * nd + j] > 0) { idx[s * nd + j]--; idx[s * nd + j + 1] += params[j + 1]; }
                        else if (idx[s * nd + j] < params[j] - 1) { idx[s * nd + j]++; idx[s * nd + j + 1] -= params[j + 1]; }
                    }
                }
                List<Integer> out = new ArrayList<>();
                for (int i = 0; i < batchRank; i++) out.add(ishape[i]);
                for (int i = nd; i < params.length; i++) out.add(params[i]);
                Quantization q = quant(t, r);
                return make(p, attrs, tensor("params", t, params, q, data(t, count(params), r)),
                        tensor("indices", DataType.INT32, ishape, null, LeArrays.ints(idx)),
                        tensor("output", t, out.stream().mapToInt(Integer::intValue).toArray(), q, null));
            }
            case "EMBEDDING_LOOKUP" -> {
                DataType t = r.nextBoolean() ? DataType.FLOAT32 : DataType.INT8;
                boolean hybrid = t == DataType.INT8 && r.nextBoolean();
                int[] table = dims(r, 2 + r.nextInt(2), 5);
                int n = 1 + r.nextInt(6);
                int[] ids = new int[n];
                for (int i = 0; i < n; i++) ids[i] = r.nextInt(table[0]);
                int[] out = table.clone();
                out[0] = n;
                Quantization q = hybrid ? CrossCheck.q((float) Math.pow(2, r.nextInt(12) - 8) * 1.7f, 0) : quant(t, r);
                DataType ot = hybrid ? DataType.FLOAT32 : t;
                return make(p, attrs, tensor("ids", DataType.INT32, new int[] {n}, null, LeArrays.ints(ids)),
                        tensor("table", t, table, q, data(t, count(table), r)), tensor("output", ot, out, hybrid ? null : q, null));
            }
            default -> {
                int[] operand = dims(r, p.rank(), 5), update = new int[p.rank()], start = new int[p.rank()];
                for (int d = 0; d < p.rank(); d++) {
                    update[d] = 1 + r.nextInt(operand[d]);
                    start[d] = r.nextInt(operand[d] + 5) - 2; // clamped to [0, operand - update]
                }
                DataType st = r.nextBoolean() ? DataType.INT32 : DataType.INT64;
                Quantization q = quant(p.type(), r);
                return make(p, attrs, tensor("operand", p.type(), operand, q, data(p.type(), count(operand), r)),
                        tensor("update", p.type(), update, q, data(p.type(), count(update), r)),
                        tensor("start", st, new int[] {p.rank()}, null, ints(st, start)), tensor("output", p.type(), operand, q, null));
            }
        }
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void gatherNdLookupUpdateSlice(@ForAll("gatherParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildGather(p)));
    }

    // ---- CUMSUM ----

    @Provide
    Arbitrary<Params> cumsumParams() {
        return params(List.of("CUMSUM"), List.of(DataType.FLOAT32, DataType.INT8), 1, 4);
    }

    static CReference.Case buildCumsum(Params p) {
        Random r = new Random(p.seed());
        int rank = p.rank();
        int[] in = dims(r, rank, 6);
        int axis = r.nextInt(rank);
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("exclusive", r.nextBoolean() ? 1.0 : 0.0);
        attrs.put("reverse", r.nextBoolean() ? 1.0 : 0.0);
        Quantization qi = null, qo = null;
        byte[] data;
        if (p.type() == DataType.FLOAT32) {
            // finite values (the float sums' NaN payloads are not what is compared), signed zeros included
            ByteBuffer b = ByteBuffer.allocate(4 * count(in)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count(in); i++) b.putFloat(r.nextInt(8) == 0 ? (r.nextBoolean() ? -0.0f : 0.0f) : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(7) - 3)));
            data = b.array();
        } else {
            float s = (float) Math.pow(2, r.nextInt(12) - 8) * (1 + r.nextFloat());
            int[] ends = {-128, 127, 0};
            qi = CrossCheck.q(s, r.nextInt(3) == 0 ? ends[r.nextInt(3)] : r.nextInt(256) - 128);
            // the output rescale 2 s_in / (2^20 s_out) must stay below 1: output scales from s_in / 4 to 16 s_in
            qo = CrossCheck.q(s * (float) Math.pow(2, r.nextInt(7) - 2) * (1 + r.nextFloat()), r.nextInt(3) == 0 ? ends[r.nextInt(3)] : r.nextInt(256) - 128);
            data = data(DataType.INT8, count(in), r);
        }
        return make(p, attrs, tensor("input", p.type(), in, qi, data),
                tensor("axis", DataType.INT32, new int[0], null, LeArrays.ints(r.nextBoolean() ? axis - rank : axis)),
                tensor("output", p.type(), in, qo, null));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void cumsum(@ForAll("cumsumParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildCumsum(p)));
    }
}
