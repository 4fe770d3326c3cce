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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.minnow.cref.DataMovementCrossCheckProperties.count;
import static dev.minnow.cref.DataMovementCrossCheckProperties.data;
import static dev.minnow.cref.DataMovementCrossCheckProperties.quant;
import static dev.minnow.cref.DataMovementCrossCheckProperties.tensor;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * RESIZE_BILINEAR (float32, int8) and RESIZE_NEAREST_NEIGHBOR (float32, int8, int16), up- and down-scaling to 1 to 12
 * pixels, with align_corners, half_pixel_centers (both at once for nearest neighbour, which TFLM allows) or neither:
 * the Java engine and the C reference agree byte for byte. Bilinear float inputs are finite, signed zeros included.
 */
class ResizeCrossCheckProperties {

    record Params(String op, DataType type, int flags, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        return Combinators.combine(Arbitraries.of("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"),
                Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT16), Arbitraries.integers().between(0, 3),
                Arbitraries.longs()).as(Params::new);
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        boolean bilinear = p.op().equals("RESIZE_BILINEAR");
        DataType t = bilinear && p.type() == DataType.INT16 ? DataType.INT8 : p.type();
        int flags = bilinear && p.flags() == 3 ? r.nextInt(3) : p.flags();
        Map<String, Double> attrs = new LinkedHashMap<>();
        attrs.put("align_corners", (flags & 1) != 0 ? 1.0 : 0.0);
        attrs.put("half_pixel_centers", (flags & 2) != 0 ? 1.0 : 0.0);
        int[] in = {1 + r.nextInt(2), 1 + r.nextInt(6), 1 + r.nextInt(6), 1 + r.nextInt(4)};
        int oh = 1 + r.nextInt(12), ow = 1 + r.nextInt(12);
        Quantization q = quant(t, r);
        byte[] bytes;
        if (t == DataType.FLOAT32) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * count(in)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count(in); i++) b.putFloat(r.nextInt(10) == 0 ? (r.nextBoolean() ? -0.0f : 0.0f) : (float) (r.nextGaussian() * Math.pow(10, r.nextInt(5) - 2)));
            bytes = b.array();
        } else {
            bytes = data(t, count(in), r);
        }
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), attrs, CReference.list(
                tensor("input", t, in, q, bytes), tensor("size", DataType.INT32, new int[] {2}, null, LeArrays.ints(oh, ow)),
                tensor("output", t, new int[] {in[0], oh, ow, in[3]}, q, null)));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void resize(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
