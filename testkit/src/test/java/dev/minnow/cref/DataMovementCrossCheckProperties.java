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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The data-movement ops: RESHAPE, SQUEEZE, EXPAND_DIMS, TRANSPOSE, PAD, PADV2, CONCATENATION, PACK, STRIDED_SLICE,
 * SLICE, GATHER and SELECT_V2, on random valid shapes (size-1 dimensions, negative axes, paddings wider than the
 * input, reversed and clamped strided slices, masks, batch_dims) and raw random bytes (float NaN payloads included, which
 * TFLM copies bit for bit): the Java engine and the C reference agree byte for byte. Each property draws the op's
 * type, a shape and a seed; the seed fixes the op's other parameters.
 */
class DataMovementCrossCheckProperties {

    record Params(String op, DataType type, List<Integer> dims, long seed) {}

    static Arbitrary<Params> params(List<String> ops, List<DataType> types, int minRank, int maxRank, int maxDim) {
        return Combinators.combine(Arbitraries.of(ops), Arbitraries.of(types),
                        Arbitraries.integers().between(1, maxDim).list().ofMinSize(minRank).ofMaxSize(maxRank), Arbitraries.longs())
                .as(Params::new);
    }

    static int count(int[] shape) { return Arrays.stream(shape).reduce(1, (x, y) -> x * y); }

    static int[] shape(Params p) { return p.dims().stream().mapToInt(Integer::intValue).toArray(); }

    static byte[] data(DataType t, int n, Random r) {
        byte[] b = new byte[n * t.byteSize()];
        r.nextBytes(b);
        if (t == DataType.BOOL) for (int i = 0; i < n; i++) b[i] = (byte) r.nextInt(2);
        return b;
    }

    /** int values widened to int64, as little-endian bytes. */
    static byte[] int64s(int... v) {
        return LeArrays.longs(Arrays.stream(v).asLongStream().toArray());
    }

    /** The same quantization for every tensor of a case (int16: zero point 0, as TFLM requires for several ops). */
    static Quantization quant(DataType t, Random r) {
        if (t != DataType.INT8 && t != DataType.INT16) return null;
        int zp = t == DataType.INT16 ? 0 : new int[] {-128, 127, 0, r.nextInt(256) - 128}[r.nextInt(4)];
        return CrossCheck.q((float) Math.pow(2, r.nextInt(16) - 12) * 1.3f, zp);
    }

    static CReference.TensorSpec tensor(String role, DataType t, int[] shape, Quantization q, byte[] data) {
        return new CReference.TensorSpec(role, t, shape, q, data);
    }

    static String name(Params p) { return p.op().toLowerCase() + "_" + p.type().lowerName(); }

    // ---- RESHAPE, SQUEEZE, EXPAND_DIMS ----

    @Provide
    Arbitrary<Params> reshapeParams() {
        return params(List.of("RESHAPE", "SQUEEZE", "EXPAND_DIMS"),
                List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.BOOL), 0, 5, 4);
    }

    static CReference.Case buildReshape(Params p) {
        // TFLM's EXPAND_DIMS copies float32, int8 and int16 only
        if (p.op().equals("EXPAND_DIMS") && (p.type() == DataType.INT32 || p.type() == DataType.BOOL)) p = new Params(p.op(), DataType.INT16, p.dims(), p.seed());
        Random r = new Random(p.seed());
        int[] in = shape(p);
        Quantization q = quant(p.type(), r);
        byte[] data = data(p.type(), count(in), r);
        Map<String, Double> attrs = new LinkedHashMap<>();
        switch (p.op()) {
            case "RESHAPE" -> {
                // the input's elements regrouped: its dimensions shuffled into new groups, with size-1 dimensions
                List<Integer> factors = new ArrayList<>();
                for (int d : in) factors.add(d);
                Collections.shuffle(factors, r);
                List<Integer> out = new ArrayList<>();
                int i = 0;
                while (i < factors.size()) {
                    int take = 1 + r.nextInt(Math.min(2, factors.size() - i)), prod = 1;
                    for (int k = 0; k < take; k++) prod *= factors.get(i++);
                    out.add(prod);
                    if (r.nextInt(4) == 0 && out.size() + factors.size() - i < 6) out.add(1); // rank stays <= 6
                }
                int[] os = out.stream().mapToInt(Integer::intValue).toArray();
                int[] spec = os.clone();
                if (spec.length > 0 && r.nextBoolean()) spec[r.nextInt(spec.length)] = -1;
                return new CReference.Case(name(p), "RESHAPE", attrs, CReference.list(tensor("input", p.type(), in, q, data),
                        tensor("shape", DataType.INT32, new int[] {spec.length}, null, LeArrays.ints(spec)), tensor("output", p.type(), os, q, null)));
            }
            case "SQUEEZE" -> {
                // size-1 dimensions inserted at random places; squeeze all of them or a listed subset (negative too)
                List<Integer> dims = new ArrayList<>(p.dims());
                int ones = r.nextInt(3);
                for (int k = 0; k < ones && dims.size() < 6; k++) dims.add(r.nextInt(dims.size() + 1), 1);
                int rank = dims.size();
                List<Integer> squeeze = new ArrayList<>();
                if (r.nextBoolean()) for (int d = 0; d < rank; d++) if (dims.get(d) == 1 && r.nextBoolean()) squeeze.add(d);
                List<Integer> out = new ArrayList<>();
                for (int d = 0; d < rank; d++) {
                    boolean gone = squeeze.isEmpty() ? dims.get(d) == 1 : squeeze.contains(d);
                    if (!gone) out.add(dims.get(d));
                }
                attrs.put("squeeze_dims", (double) squeeze.size());
                for (int k = 0; k < squeeze.size(); k++) attrs.put("squeeze_dim" + k, (double) (r.nextBoolean() ? squeeze.get(k) - rank : squeeze.get(k)));
                int[] is = dims.stream().mapToInt(Integer::intValue).toArray();
                return new CReference.Case(name(p), "SQUEEZE", attrs, CReference.list(tensor("input", p.type(), is, q, data),
                        tensor("output", p.type(), out.stream().mapToInt(Integer::intValue).toArray(), q, null)));
            }
            default -> {
                int rank = in.length, axis = r.nextInt(rank + 1);
                List<Integer> out = new ArrayList<>(p.dims());
                out.add(axis, 1);
                int given = r.nextBoolean() ? axis - rank - 1 : axis;
                return new CReference.Case(name(p), "EXPAND_DIMS", attrs, CReference.list(tensor("input", p.type(), in, q, data),
                        tensor("axis", DataType.INT32, new int[] {1}, null, LeArrays.ints(given)),
                        tensor("output", p.type(), out.stream().mapToInt(Integer::intValue).toArray(), q, null)));
            }
        }
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void reshapeSqueezeExpandDims(@ForAll("reshapeParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildReshape(p)));
    }

    // ---- TRANSPOSE ----

    @Provide
    Arbitrary<Params> transposeParams() {
        return params(List.of("TRANSPOSE"), List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), 1, 5, 4); // TFLM: 1-5 dimensions
    }

    static CReference.Case buildTranspose(Params p) {
        Random r = new Random(p.seed());
        int[] in = shape(p);
        int rank = in.length;
        List<Integer> perm = new ArrayList<>();
        for (int d = 0; d < rank; d++) perm.add(d);
        Collections.shuffle(perm, r);
        int[] pm = perm.stream().mapToInt(Integer::intValue).toArray(), out = new int[rank];
        Map<String, Double> attrs = new LinkedHashMap<>();
        for (int d = 0; d < rank; d++) { out[d] = in[pm[d]]; attrs.put("perm" + d, (double) pm[d]); }
        Quantization q = quant(p.type(), r);
        return new CReference.Case(name(p), "TRANSPOSE", attrs, CReference.list(tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                tensor("perm", DataType.INT32, new int[] {rank}, null, LeArrays.ints(pm)), tensor("output", p.type(), out, q, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void transpose(@ForAll("transposeParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildTranspose(p)));
    }

    // ---- PAD, PADV2 ----

    @Provide
    Arbitrary<Params> padParams() {
        return params(List.of("PAD", "PADV2"), List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32), 1, 5, 4);
    }

    static CReference.Case buildPad(Params p) {
        Random r = new Random(p.seed());
        int[] in = shape(p);
        int rank = in.length;
        int[] pads = new int[2 * rank], out = new int[rank];
        for (int d = 0; d < rank; d++) {
            pads[2 * d] = r.nextInt(3) == 0 ? 0 : r.nextInt(5);
            pads[2 * d + 1] = r.nextInt(3) == 0 ? 0 : r.nextInt(5);
            out[d] = in[d] + pads[2 * d] + pads[2 * d + 1];
        }
        Quantization q = quant(p.type(), r);
        List<CReference.TensorSpec> ts = CReference.list(tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                tensor("paddings", DataType.INT32, new int[] {rank, 2}, null, LeArrays.ints(pads)));
        if (p.op().equals("PADV2")) ts.add(tensor("constant", p.type(), r.nextBoolean() ? new int[] {1} : new int[0], q, data(p.type(), 1, r)));
        ts.add(tensor("output", p.type(), out, q, null));
        return new CReference.Case(name(p), p.op(), new LinkedHashMap<>(), ts);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void padPadV2(@ForAll("padParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildPad(p)));
    }

    // ---- CONCATENATION, PACK ----

    @Provide
    Arbitrary<Params> concatParams() {
        return params(List.of("CONCATENATION", "PACK"),
                List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.BOOL), 1, 4, 3);
    }

    static CReference.Case buildConcat(Params p) {
        Random r = new Random(p.seed());
        DataType t = p.op().equals("PACK") && p.type() == DataType.BOOL ? DataType.INT32 : p.type(); // PACK has no bool
        int[] base = shape(p);
        int rank = base.length, n = 1 + r.nextInt(4);
        Quantization q = quant(t, r);
        List<CReference.TensorSpec> ts = new ArrayList<>();
        Map<String, Double> attrs = new LinkedHashMap<>();
        int[] out;
        if (p.op().equals("CONCATENATION")) {
            int axis = r.nextInt(rank);
            out = base.clone();
            out[axis] = 0;
            for (int i = 0; i < n; i++) {
                int[] s = base.clone();
                s[axis] = 1 + r.nextInt(3);
                out[axis] += s[axis];
                ts.add(tensor("input" + i, t, s, q, data(t, count(s), r)));
            }
            attrs.put("axis", (double) (r.nextBoolean() ? axis - rank : axis));
        } else {
            int axis = r.nextInt(rank + 1);
            List<Integer> o = new ArrayList<>(p.dims());
            o.add(axis, n);
            out = o.stream().mapToInt(Integer::intValue).toArray();
            for (int i = 0; i < n; i++) ts.add(tensor("input" + i, t, base, q, data(t, count(base), r)));
            attrs.put("axis", (double) (r.nextBoolean() ? axis - rank - 1 : axis));
        }
        ts.add(tensor("output", t, out, q, null));
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), attrs, ts);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void concatenationPack(@ForAll("concatParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildConcat(p)));
    }

    // ---- STRIDED_SLICE ----

    @Provide
    Arbitrary<Params> stridedSliceParams() {
        return params(List.of("STRIDED_SLICE"), List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.BOOL), 1, 4, 6);
    }

    static int clamp(int v, int lo, int hi) { return Math.max(lo, Math.min(hi, v)); }

    static CReference.Case buildStridedSlice(Params p) {
        Random r = new Random(p.seed());
        int[] in = shape(p);
        int rank = in.length;
        int[] begin = new int[rank], end = new int[rank], strides = new int[rank];
        int beginMask = 0, endMask = 0, shrinkMask = 0;
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            int size = in[d];
            boolean shrink = r.nextInt(5) == 0;
            if (shrink) {
                shrinkMask |= 1 << d;
                begin[d] = r.nextInt(2 * size) - size; // a valid index, negative or not
                end[d] = r.nextInt(2 * size + 5) - size - 2; // ignored
                strides[d] = 1;
                continue;
            }
            int len;
            do { // TFLM rejects outputs with a zero dimension, so draw until the axis keeps an element
            strides[d] = (r.nextBoolean() ? 1 : -1) * (1 + r.nextInt(r.nextBoolean() ? 1 : 3));
            begin[d] = r.nextInt(2 * size + 5) - size - 2;
            end[d] = r.nextInt(2 * size + 5) - size - 2;
            beginMask &= ~(1 << d);
            endMask &= ~(1 << d);
            if (r.nextInt(4) == 0) beginMask |= 1 << d;
            if (r.nextInt(4) == 0) endMask |= 1 << d;
            // TFLM's StartForAxis / StopForAxis
            int s = begin[d], e = end[d], st = strides[d];
            if ((beginMask & (1 << d)) != 0) s = st > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            else if (s < 0) s += size;
            if (s < 0 && s == Integer.MIN_VALUE) s = 0;
            s = st > 0 ? clamp(s, 0, size) : clamp(s, -1, size - 1);
            if ((endMask & (1 << d)) != 0) e = st > 0 ? size : -1;
            else {
                if (e < 0) e += size;
                e = st > 0 ? clamp(e, 0, size) : clamp(e, -1, size - 1);
            }
            len = (int) Math.ceil((e - s) / (float) st);
            } while (len <= 0);
            out.add(len);
        }
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("begin_mask", (double) beginMask);
        attrs.put("end_mask", (double) endMask);
        attrs.put("shrink_axis_mask", (double) shrinkMask);
        Quantization q = quant(p.type(), r);
        return new CReference.Case(name(p), "STRIDED_SLICE", attrs, CReference.list(
                tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                tensor("begin", DataType.INT32, new int[] {rank}, null, LeArrays.ints(begin)),
                tensor("end", DataType.INT32, new int[] {rank}, null, LeArrays.ints(end)),
                tensor("strides", DataType.INT32, new int[] {rank}, null, LeArrays.ints(strides)),
                tensor("output", p.type(), out.stream().mapToInt(Integer::intValue).toArray(), q, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void stridedSlice(@ForAll("stridedSliceParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildStridedSlice(p)));
    }

    // ---- SLICE ----

    @Provide
    Arbitrary<Params> sliceParams() {
        return params(List.of("SLICE"), List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.BOOL), 1, 5, 5);
    }

    static CReference.Case buildSlice(Params p) {
        Random r = new Random(p.seed());
        int[] in = shape(p);
        int rank = in.length;
        int[] begin = new int[rank], size = new int[rank], out = new int[rank];
        for (int d = 0; d < rank; d++) {
            begin[d] = r.nextInt(in[d]);
            boolean rest = r.nextInt(4) == 0;
            size[d] = rest ? -1 : 1 + r.nextInt(in[d] - begin[d]);
            out[d] = rest ? in[d] - begin[d] : size[d];
        }
        boolean wide = r.nextBoolean();
        DataType bt = wide ? DataType.INT64 : DataType.INT32;
        Quantization q = quant(p.type(), r);
        return new CReference.Case(name(p), "SLICE", new LinkedHashMap<>(), CReference.list(
                tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                tensor("begin", bt, new int[] {rank}, null, wide ? int64s(begin) : LeArrays.ints(begin)),
                tensor("size", bt, new int[] {rank}, null, wide ? int64s(size) : LeArrays.ints(size)),
                tensor("output", p.type(), out, q, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void slice(@ForAll("sliceParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildSlice(p)));
    }

    // ---- GATHER ----

    @Provide
    Arbitrary<Params> gatherParams() {
        return params(List.of("GATHER"), List.of(DataType.FLOAT32, DataType.INT8), 1, 4, 4);
    }

    static CReference.Case buildGather(Params p) {
        Random r = new Random(p.seed());
        int[] in = shape(p);
        int rank = in.length, axis = r.nextInt(rank), bd = r.nextInt(axis + 1);
        List<Integer> pos = new ArrayList<>();
        for (int d = 0; d < bd; d++) pos.add(in[d]);
        int extra = r.nextInt(3);
        for (int k = 0; k < extra; k++) pos.add(1 + r.nextInt(3));
        int[] ps = pos.stream().mapToInt(Integer::intValue).toArray();
        int[] positions = new int[count(ps)];
        for (int i = 0; i < positions.length; i++) positions[i] = r.nextInt(in[axis]);
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < axis; d++) out.add(in[d]);
        for (int d = bd; d < ps.length; d++) out.add(ps[d]);
        for (int d = axis + 1; d < rank; d++) out.add(in[d]);
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("axis", (double) (r.nextBoolean() ? axis - rank : axis));
        attrs.put("batch_dims", (double) (bd > 0 && bd < ps.length && r.nextBoolean() ? bd - ps.length : bd));
        Quantization q = quant(p.type(), r);
        return new CReference.Case(name(p), "GATHER", attrs, CReference.list(
                tensor("input", p.type(), in, q, data(p.type(), count(in), r)),
                tensor("positions", DataType.INT32, ps, null, LeArrays.ints(positions)),
                tensor("output", p.type(), out.stream().mapToInt(Integer::intValue).toArray(), q, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void gather(@ForAll("gatherParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildGather(p)));
    }

    // ---- SELECT_V2 ----

    @Provide
    Arbitrary<Params> selectParams() {
        return params(List.of("SELECT_V2"), List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), 1, 4, 4); // TFLM has no int32 select
    }

    static CReference.Case buildSelect(Params p) {
        Random r = new Random(p.seed());
        int[] s = shape(p);
        int n = count(s);
        Quantization q = quant(p.type(), r);
        return new CReference.Case(name(p), "SELECT_V2", new LinkedHashMap<>(), CReference.list(
                tensor("condition", DataType.BOOL, s, null, data(DataType.BOOL, n, r)),
                tensor("x", p.type(), s, q, data(p.type(), n, r)), tensor("y", p.type(), s, q, data(p.type(), n, r)),
                tensor("output", p.type(), s, q, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void selectV2(@ForAll("selectParams") Params p) throws Exception {
        assertNull(CrossCheck.compare(buildSelect(p)));
    }
}
