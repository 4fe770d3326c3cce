package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FastDepthwiseConv2D against the reference loops, byte for byte, on the shapes real models use, beside
 * FastKernelProperties' small random ones: filters up to 10x8 (micro_speech's first layer) and 3x3/5x5 (KWS, VWW,
 * person_detect), channel counts up to 72 (so channel runs span several vectors with tails), depth multipliers
 * 1 to 8 (micro_speech: one input channel times 8), strides 1 and 2, dilations 1 and 2, both paddings; and a node
 * too wide for the scalar row form (its tiled weights over FastDepthwiseConv2D.ROW_FORM_LIMIT), which computes
 * pixel by pixel, with its output stage per pixel (a row over FastDepthwiseConv2D.ROW_OUTPUT_LIMIT values) or once
 * per row (a 9x9 filter on a row within it). The random shapes reach the Vector API's 3x3 interior loop
 * (VectorDepthwise.row3x3) whenever the filter is 3x3 and the channels a multiple of 8.
 */
class FastDepthwiseProperties {

    /** The output bytes with fast kernels on or off (a trusted budget: the widest case's arena is over the default's). */
    private static String run(CReference.Case c, boolean fast) {
        return HexFormat.of().formatHex(CrossCheck.runJava(c, new InterpreterOptions().setUseFastKernels(fast).setBudget(ModelBudget.TRUSTED)));
    }

    @Provide
    Arbitrary<WindowedCrossCheckProperties.Params> realShapes() {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 1).map(e -> (float) Math.pow(2, e) * 1.07f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127));
        Arbitrary<int[]> filter = Arbitraries.of(new int[] {3, 3}, new int[] {3, 3}, new int[] {5, 5}, new int[] {10, 8},
                new int[] {10, 4}, new int[] {1, 1}, new int[] {2, 7});
        Arbitrary<int[]> channels = Arbitraries.of(new int[] {64, 1}, new int[] {8, 1}, new int[] {1, 8}, new int[] {3, 2},
                new int[] {16, 1}, new int[] {24, 3}, new int[] {72, 1}, new int[] {5, 4}, new int[] {13, 1});
        return Combinators.combine(Arbitraries.of(DataType.INT8, DataType.INT8, DataType.FLOAT32), Arbitraries.integers().between(1, 14),
                        Arbitraries.integers().between(1, 12), filter, channels, Arbitraries.of(1, 1, 2), Arbitraries.of(1, 1, 1, 2),
                        Arbitraries.of(0, 1))
                .as((t, h, w, f, ch, s, dil, pad) -> new Object[] {t, h, w, f, ch, s, dil, pad})
                .flatMap(a -> Combinators.combine(scale, zp, scale, zp, Arbitraries.of(0, 1, 3), Arbitraries.longs())
                        .as((sc, z, os, oz, act, seed) -> {
                            int[] f = (int[]) a[3], ch = (int[]) a[4];
                            return new WindowedCrossCheckProperties.Params("DEPTHWISE_CONV_2D", (DataType) a[0], (int) a[1], (int) a[2],
                                    ch[0], ch[1], f[0], f[1], (int) a[5], (int) a[6], (int) a[7], sc, z, os, oz, act, seed);
                        }));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseRealShapes(@ForAll("realShapes") WindowedCrossCheckProperties.Params p) {
        CReference.Case c = WindowedCrossCheckProperties.build(p);
        if (c == null) return; // the window does not fit: no output to compare
        assertEquals(run(c, false), run(c, true), "fast depthwise output differs from the reference: " + p);
    }

    /**
     * int8 nodes of few channels over large images, where FastDepthwiseConv2D computes plane by plane
     * (DepthwisePlanes: at most 16 output channels, at least 16 taps or a depth multiplier of 4, and 256 cells per
     * plane): micro_speech's 49x40 input, one channel times 8, a 10x8 filter at stride 2; person_detect's 96x96 input,
     * one channel times 8, 3x3 at stride 2; multipliers 3 to 16 around the gate, so output stages of whole groups of
     * four channels, groups and single channels, and single channels only; and, on the row form over shifted rows (default path) or
     * the Vector API's pixels, VWW's and person_detect's 8-channel 3x3 layers; strides 1 to 3,
     * dilations 1 and 2, both paddings (so planes with and without padding cells, and dropped columns).
     */
    @Provide
    Arbitrary<WindowedCrossCheckProperties.Params> planeShapes() {
        Arbitrary<int[]> filter = Arbitraries.of(new int[] {10, 8}, new int[] {10, 8}, new int[] {3, 3}, new int[] {5, 5},
                new int[] {10, 4}, new int[] {1, 1}, new int[] {2, 7}, new int[] {4, 1});
        Arbitrary<int[]> channels = Arbitraries.of(new int[] {1, 8}, new int[] {1, 8}, new int[] {8, 1}, new int[] {16, 1},
                new int[] {4, 2}, new int[] {2, 8}, new int[] {1, 16}, new int[] {3, 5}, new int[] {1, 1}, new int[] {5, 3},
                new int[] {1, 4}, new int[] {4, 4}, new int[] {3, 4}, new int[] {1, 5}, new int[] {2, 6}, new int[] {2, 3});
        return int8Shapes(Arbitraries.integers().between(16, 52), Arbitraries.integers().between(16, 48), filter, channels,
                Arbitraries.of(1, 2, 2, 3), Arbitraries.of(0, 0, 1));
    }

    /**
     * int8 nodes of {@code heights} x {@code widths} (one batch), filter {@code [kh, kw]}, channels {@code [depth, multiplier]},
     * strides as given (both ways), dilations 1 (3 in 4) or 2, paddings as given, random scales and extreme or random
     * zero points, activations none, RELU or RELU6.
     */
    private static Arbitrary<WindowedCrossCheckProperties.Params> int8Shapes(Arbitrary<Integer> heights, Arbitrary<Integer> widths,
            Arbitrary<int[]> filter, Arbitrary<int[]> channels, Arbitrary<Integer> strides, Arbitrary<Integer> paddings) {
        Arbitrary<Float> scale = Arbitraries.doubles().between(-10, 1).map(e -> (float) Math.pow(2, e) * 1.07f);
        Arbitrary<Integer> zp = Arbitraries.oneOf(Arbitraries.integers().between(-128, 127), Arbitraries.of(-128, 127));
        return Combinators.combine(heights, widths, filter, channels, strides, Arbitraries.of(1, 1, 1, 2), paddings)
                .as((h, w, f, ch, s, dil, pad) -> new Object[] {h, w, f, ch, s, dil, pad})
                .flatMap(a -> Combinators.combine(scale, zp, scale, zp, Arbitraries.of(0, 1, 3), Arbitraries.longs())
                        .as((sc, z, os, oz, act, seed) -> {
                            int[] f = (int[]) a[2], ch = (int[]) a[3];
                            return new WindowedCrossCheckProperties.Params("DEPTHWISE_CONV_2D", DataType.INT8, (int) a[0], (int) a[1],
                                    ch[0], ch[1], f[0], f[1], (int) a[4], (int) a[5], (int) a[6], sc, z, os, oz, act, seed);
                        }));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwisePlaneShapes(@ForAll("planeShapes") WindowedCrossCheckProperties.Params p) {
        depthwiseRealShapes(p);
    }

    /**
     * int8, the row form over shifted rows in quads (default path: depth multiplier 1, channels a multiple of 4, rows
     * stored as four byte lanes): channel counts at and around the gate (4 to 36 by 4, and 5, 6, 7, 9, 13, which stay
     * on the plain shifted rows), so columns of 1 to 9 ints and the stride phase copy of 4 ints at a time (channels a
     * multiple of 16) and one at a time (and, 32 channels and more, whole columns copied); a depth multiplier of 2
     * beside; strides 1 to 3, dilations 1 and 2, both paddings, filters up to 7x7 (a 7x7 node's bound on its sums,
     * bias plus 255 times its weights' magnitudes, falls on both sides of the narrow output stage's 2^20; smaller
     * filters stay below it, and scales whose multiplier needs a left shift or a right shift over 16 take the general
     * passes), images from 1x1, extreme zero points and scales (clamped outputs).
     */
    @Provide
    Arbitrary<WindowedCrossCheckProperties.Params> quadShapes() {
        Arbitrary<int[]> filter = Arbitraries.of(new int[] {3, 3}, new int[] {3, 3}, new int[] {5, 5}, new int[] {1, 1},
                new int[] {2, 7}, new int[] {3, 1}, new int[] {1, 3}, new int[] {7, 7}, new int[] {6, 7});
        Arbitrary<int[]> channels = Arbitraries.of(new int[] {4, 1}, new int[] {8, 1}, new int[] {12, 1}, new int[] {16, 1},
                new int[] {20, 1}, new int[] {24, 1}, new int[] {28, 1}, new int[] {32, 1}, new int[] {36, 1}, new int[] {64, 1},
                new int[] {5, 1}, new int[] {6, 1}, new int[] {7, 1}, new int[] {9, 1}, new int[] {13, 1}, new int[] {4, 2});
        return int8Shapes(Arbitraries.integers().between(1, 20), Arbitraries.integers().between(1, 30), filter, channels,
                Arbitraries.of(1, 1, 2, 2, 3), Arbitraries.of(0, 1));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseQuadShapes(@ForAll("quadShapes") WindowedCrossCheckProperties.Params p) {
        depthwiseRealShapes(p);
    }

    /**
     * {@link #depthwiseQuadShapes} with channels of tiny filter scales ({@link FastKernelProperties#withTinyChannels}):
     * the quads' output stage with channels of multiplier 0 (narrow and low whatever their shift and bias), right
     * shifts above 16, and the small clamp.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseQuadTinyChannels(@ForAll("quadShapes") WindowedCrossCheckProperties.Params p, @ForAll long seed) {
        CReference.Case c = WindowedCrossCheckProperties.build(p);
        if (c == null) return;
        c = FastKernelProperties.withTinyChannels(c, seed);
        assertEquals(run(c, false), run(c, true), "fast depthwise output differs from the reference: " + p + " seed " + seed);
    }

    @Example
    void microSpeechFirstLayer() {
        // 49x40x1 times 8, 10x8 filter, stride 2, SAME: 25x20x8 out of planes of 25 x 23 cells
        WindowedCrossCheckProperties.Params p = new WindowedCrossCheckProperties.Params("DEPTHWISE_CONV_2D", DataType.INT8, 49, 40,
                1, 8, 10, 8, 2, 1, 0, 0.0039f, -128, 0.0117f, -128, 1, 11);
        depthwiseRealShapes(p);
    }

    @Example
    void personDetectFirstLayer() {
        // 96x96x1 times 8, 3x3 filter, stride 2, SAME: 48x48x8 out of planes of 49 x 49 cells
        WindowedCrossCheckProperties.Params p = new WindowedCrossCheckProperties.Params("DEPTHWISE_CONV_2D", DataType.INT8, 96, 96,
                1, 8, 3, 3, 2, 1, 0, 0.0078f, -128, 0.0235f, -128, 3, 12);
        depthwiseRealShapes(p);
    }

    /**
     * float32 only, on the real shapes: without the Vector API the row form's column segments (runs of output
     * columns with the same valid filter columns, up to three taps per pass) and its per-thread input rows; one node
     * in five at stride 3, so the stride phase copy runs with three phases as well as two, its columns of 8 and 16
     * channels four values a pass, of 13 one at a time and of 64 and 72 by whole-column copies.
     */
    @Provide
    Arbitrary<WindowedCrossCheckProperties.Params> realFloatShapes() {
        return realShapes().map(p -> new WindowedCrossCheckProperties.Params(p.op(), DataType.FLOAT32, p.h(), p.w(), p.depth(),
                p.multiplier(), p.kh(), p.kw(), Math.floorMod(p.seed(), 5) == 0 ? 3 : p.stride(), p.dilation(), p.padding(), p.scale(),
                p.zp(), p.outScale(), p.outZp(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseRealFloatShapes(@ForAll("realFloatShapes") WindowedCrossCheckProperties.Params p) {
        depthwiseRealShapes(p);
    }

    @Example
    void pixelFormBeyondTheRowFormLimit() {
        // 3 * 3 taps * 256 output columns * 512 channels = 1,179,648 tiled weights > 2^20
        for (DataType t : new DataType[] {DataType.INT8, DataType.FLOAT32}) {
            for (int stride = 1; stride <= 2; stride++) {
                WindowedCrossCheckProperties.Params p = new WindowedCrossCheckProperties.Params("DEPTHWISE_CONV_2D", t, 3,
                        256 * stride, 512, 1, 3, 3, stride, 1, 1, 0.05f, 3, 0.1f, -5, 0, 42 + stride);
                depthwiseRealShapes(p);
            }
        }
    }

    @Example
    void pixelFormWithTheRowOutputStage() {
        // 9 * 9 taps * 128 output columns * 128 channels = 1,327,104 tiled weights > 2^20, a row of 16,384 values
        for (DataType t : new DataType[] {DataType.INT8, DataType.FLOAT32}) {
            for (int stride = 1; stride <= 2; stride++) {
                WindowedCrossCheckProperties.Params p = new WindowedCrossCheckProperties.Params("DEPTHWISE_CONV_2D", t, 10,
                        128 * stride, 128, 1, 9, 9, stride, 1, 0, 0.05f, 3, 0.1f, -5, 0, 7 + stride);
                depthwiseRealShapes(p);
            }
        }
    }
}
