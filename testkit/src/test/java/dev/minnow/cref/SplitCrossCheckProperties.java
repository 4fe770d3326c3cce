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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SPLIT (equal parts along a constant axis, negative axes too) and UNPACK (one output per index along the axis), ranks 1
 * to 5, float32/int8/int16/int32: the Java engine and the C reference agree on all outputs, concatenated.
 */
class SplitCrossCheckProperties {

    record Params(String op, DataType type, int rank, int axis, int parts, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        return Combinators.combine(Arbitraries.of("SPLIT", "UNPACK"),
                        Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32),
                        Arbitraries.integers().between(1, 5), Arbitraries.integers().between(-5, 4),
                        Arbitraries.integers().between(1, 5), Arbitraries.longs())
                .as(Params::new);
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int rank = p.rank(), axis = Math.floorMod(p.axis(), rank);
        int signedAxis = p.axis() < 0 ? axis - rank : axis;
        int[] shape = new int[rank];
        for (int d = 0; d < rank; d++) shape[d] = 1 + r.nextInt(4);
        boolean split = p.op().equals("SPLIT");
        shape[axis] = split ? p.parts() * (1 + r.nextInt(3)) : p.parts();
        int n = 1;
        for (int d : shape) n *= d;
        byte[] data = new byte[n * p.type().byteSize()];
        r.nextBytes(data);
        List<CReference.TensorSpec> ts = new ArrayList<>();
        if (split) {
            byte[] a = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(signedAxis).array();
            ts.add(new CReference.TensorSpec("axis", DataType.INT32, new int[0], null, a));
        }
        var q = p.type() == DataType.INT8 || p.type() == DataType.INT16 ? CrossCheck.q(0.5f, 0) : null;
        ts.add(new CReference.TensorSpec("input", p.type(), shape, q, data));
        int[] outShape;
        if (split) {
            outShape = shape.clone();
            outShape[axis] = shape[axis] / p.parts();
        } else {
            outShape = new int[rank - 1];
            for (int d = 0, k = 0; d < rank; d++) if (d != axis) outShape[k++] = shape[d];
        }
        for (int k = 0; k < p.parts(); k++) ts.add(new CReference.TensorSpec("output" + k, p.type(), outShape, q, null));
        Map<String, Double> attrs = split ? Map.of() : Map.of("axis", (double) signedAxis);
        return new CReference.Case(p.op().toLowerCase() + "_" + p.type().lowerName(), p.op(), attrs, ts);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void splitAndUnpack(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
