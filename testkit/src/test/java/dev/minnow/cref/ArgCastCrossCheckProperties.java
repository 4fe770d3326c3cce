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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * ARG_MAX and ARG_MIN (float32 with ties, signed zeros and NaNs; int8 with ties; every axis, negative too) and CAST
 * (int8, int16, int32, float32 and bool to int8, int16, int32 and float32, float inputs past the integer ranges
 * included): the Java engine and the C reference agree byte for byte.
 */
class ArgCastCrossCheckProperties {

    record ArgParams(String op, DataType type, List<Integer> dims, int axis, boolean negativeAxis, int valueRange, long seed) {}

    @Provide
    Arbitrary<ArgParams> argParams() {
        return Combinators.combine(Arbitraries.of("ARG_MAX", "ARG_MIN"), Arbitraries.of(DataType.FLOAT32, DataType.INT8),
                        Arbitraries.integers().between(1, 6).list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(0, 3),
                        Arbitraries.of(true, false), Arbitraries.of(2, 5, 256), Arbitraries.longs())
                .as((op, t, d, ax, neg, range, seed) -> new ArgParams(op, t, d, ax % d.size(), neg, range, seed));
    }

    static CReference.Case buildArg(ArgParams p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        byte[] data = new byte[n * t.byteSize()];
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            // few distinct values make ties likely
            int v = r.nextInt(p.valueRange()) - p.valueRange() / 2;
            if (t == DataType.INT8) { data[i] = (byte) v; continue; }
            int k = r.nextInt(10);
            bb.putFloat(4 * i, k == 0 ? Float.NaN : k == 1 ? -0.0f : k == 2 ? Float.NEGATIVE_INFINITY : v * 0.5f);
        }
        int axis = p.negativeAxis() ? p.axis() - shape.length : p.axis();
        int[] outShape = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) if (d != p.axis()) outShape[k++] = shape[d];
        byte[] axisBytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(axis).array();
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), Map.of(), CReference.list(
                new CReference.TensorSpec("input", t, shape, t == DataType.INT8 ? CrossCheck.q(0.5f, 3) : null, data),
                new CReference.TensorSpec("axis", DataType.INT32, new int[] {1}, null, axisBytes),
                new CReference.TensorSpec("output", DataType.INT32, outShape, null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void argMinMax(@ForAll("argParams") ArgParams p) throws Exception {
        assertNull(CrossCheck.compare(buildArg(p)));
    }

    record CastParams(DataType from, DataType to, List<Integer> dims, long seed) {}

    @Provide
    Arbitrary<CastParams> castParams() {
        return Combinators.combine(Arbitraries.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.FLOAT32, DataType.BOOL),
                        Arbitraries.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.FLOAT32),
                        Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(4), Arbitraries.longs())
                .as(CastParams::new);
    }

    static CReference.Case buildCast(CastParams p) {
        Random r = new Random(p.seed());
        int[] shape = p.dims().stream().mapToInt(Integer::intValue).toArray();
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        byte[] data = new byte[n * p.from().byteSize()];
        r.nextBytes(data);
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (p.from() == DataType.BOOL) data[i] = (byte) r.nextInt(2);
            if (p.from() == DataType.FLOAT32) {
                int k = r.nextInt(5);
                float v = k == 0 ? (r.nextFloat() - 0.5f) * 300 : k == 1 ? (r.nextFloat() - 0.5f) * 7e4f
                        : k == 2 ? (float) ((r.nextDouble() - 0.5) * 5e9) : k == 3 ? UnaryCrossCheckProperties.SPECIAL[r.nextInt(UnaryCrossCheckProperties.SPECIAL.length)]
                        : (r.nextFloat() - 0.5f) * 8;
                bb.putFloat(4 * i, v);
            }
        }
        return new CReference.Case("cast_" + p.from().lowerName() + "_" + p.to().lowerName(), "CAST", Map.of(), CReference.list(
                new CReference.TensorSpec("input", p.from(), shape, null, data),
                new CReference.TensorSpec("output", p.to(), shape, null, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void cast(@ForAll("castParams") CastParams p) throws Exception {
        assertNull(CrossCheck.compare(buildCast(p)));
    }
}
