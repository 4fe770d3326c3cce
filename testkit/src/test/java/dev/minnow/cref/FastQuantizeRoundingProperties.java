package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * FastQuantize's float32 -> int8/int16 path against the reference QUANTIZE, byte for byte, on the inputs where its
 * rounding could differ: exact halves of the scale ({@code (k + 1/2) * scale}, where C's roundf rounds away from zero
 * and Java's Math.round up), their float neighbours, quotients around 2^22 and 2^31 (where the fast rounding hands
 * over to the reference's, whose conversion leaves the int32 range), huge, infinite and NaN inputs, quotients at and
 * around 1/2 (0.49999997f, whose float sum with 1/2 rounds up to 1), tiny quotients around 2^-101 (where the fast
 * path's sign term {@code q * 2^100} stops saturating) and arbitrary float bit patterns; tensors of up to 2,100 values,
 * across the fast path's 1,024-value chunks.
 */
class FastQuantizeRoundingProperties {
    @Provide
    Arbitrary<Float> scales() {
        return Arbitraries.of(1f, 0.5f, 0.25f, 1f / 256, 0.1f, 3f, 0.0078125f, 1.37e-3f, 2.5f);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void halvesAndEdges(@ForAll("scales") float scale, @ForAll @IntRange(min = -128, max = 127) int zp,
                        @ForAll boolean int16, @ForAll long seed) {
        Random r = new Random(seed);
        int n = r.nextInt(4) == 0 ? 1000 + r.nextInt(1100) : 1 + r.nextInt(64);
        ByteBuffer data = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            float v = switch (r.nextInt(10)) {
                case 0 -> (r.nextInt(800) - 400 + 0.5f) * scale;                       // halves (of the small quotients)
                case 1 -> Math.nextUp((r.nextInt(800) - 400 + 0.5f) * scale);
                case 2 -> Math.nextDown((r.nextInt(800) - 400 + 0.5f) * scale);
                case 3 -> (float) ((r.nextBoolean() ? 1 : -1) * (0x1p22 + r.nextInt(5) - 2) * scale); // around 2^22
                case 4 -> new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 3e38f, -3e38f,
                        0x1.fffffep21f * scale, -0x1.fffffep21f * scale}[r.nextInt(8)];
                case 5 -> (r.nextBoolean() ? 1 : -1) * scale * new float[] {0.49999997f, 0.5f, 0.50000006f, 0.49999994f,
                        1.4999999f, 1.5f, 0x1p-30f, Float.MIN_VALUE, 0f}[r.nextInt(9)];                  // around 1/2
                case 6 -> {                                                                       // around 2^31
                    float edge = (r.nextBoolean() ? 1 : -1) * 0x1p31f * scale;
                    for (int k = r.nextInt(5) - 2; k != 0; k += k > 0 ? -1 : 1) edge = k > 0 ? Math.nextUp(edge) : Math.nextDown(edge);
                    yield edge;
                }
                case 7 -> (r.nextBoolean() ? 1 : -1) * scale * new float[] {0x1p-101f, 0x1.fffffep-102f, 0x1p-100f,
                        0x1.000002p-101f, 0x1p-126f, 0x1p-149f}[r.nextInt(6)];                            // tiny
                case 8 -> Float.intBitsToFloat(r.nextInt());                                       // any bit pattern
                default -> (float) r.nextGaussian() * 300 * scale;
            };
            data.putFloat(v);
        }
        int[] shape = {1, n};
        DataType out = int16 ? DataType.INT16 : DataType.INT8;
        CReference.Case c = new CReference.Case("quantize_float32", "QUANTIZE", new LinkedHashMap<>(), CReference.list(
                new CReference.TensorSpec("input", DataType.FLOAT32, shape, null, data.array()),
                new CReference.TensorSpec("output", out, shape, CrossCheck.q(scale, int16 ? 0 : zp), null)));
        assertArrayEquals(CrossCheck.runJava(c, new InterpreterOptions().setUseFastKernels(false)),
                CrossCheck.runJava(c, new InterpreterOptions().setUseFastKernels(true)));
    }
}
