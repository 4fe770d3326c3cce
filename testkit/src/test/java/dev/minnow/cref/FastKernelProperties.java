package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
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

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast kernels (FastFullyConnected, FastConv2D, FastDepthwiseConv2D) against the reference loops, byte for byte:
 * the same single-op model (weights and bias constant, so the fast loops qualify) run with fast kernels on and off.
 * The cases are the Java-vs-C generators' with wider channel counts, so the channel loops run past a vector's width
 * and the four-at-a-time unrolling has tails.
 */
class FastKernelProperties {

    private static String run(CReference.Case c, boolean fast) {
        return HexFormat.of().formatHex(CrossCheck.runJava(c, new InterpreterOptions().setUseFastKernels(fast)));
    }

    private static void sameBytes(CReference.Case c) {
        if (c == null) return; // an empty output: nothing to compare
        assertEquals(run(c, false), run(c, true), "fast kernel output differs from the reference: " + c.op() + " " + c.attrs());
    }

    record FcCase(DataType type, FullyConnectedCrossCheckProperties.Params p) {}

    @Provide
    Arbitrary<FcCase> fullyConnected() {
        return Combinators.combine(Arbitraries.of(DataType.INT8, DataType.FLOAT32), new FullyConnectedCrossCheckProperties().params(),
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 3)).as((t, p, wideOut, wideIn) ->
                new FcCase(t, new FullyConnectedCrossCheckProperties.Params(p.batches(), p.inDepth() * wideIn, p.outDepth() * wideOut,
                        p.inScale(), p.inZp(), p.wScale(), p.outScale(), p.outZp(), p.perChannel(), p.bias(), p.activation(), p.seed())));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void fullyConnected(@ForAll("fullyConnected") FcCase c) {
        sameBytes(FullyConnectedCrossCheckProperties.build("fc_" + c.type().lowerName(), c.type(), c.p()));
    }

    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2d() {
        return Combinators.combine(new Conv2DCrossCheckProperties().params().filter(p -> p.type() != DataType.INT16),
                Arbitraries.of(1, 2, 3, 4, 5, 6, 10, 16), Arbitraries.integers().between(1, 3), Arbitraries.of(1, 1, 1, 2)).as((p, wideOut, wideIn, groups) -> {
            Conv2DCrossCheckProperties.Geometry g = p.g();
            // mostly one group (what the fast loops take); grouped convolutions check the fallback to the reference
            Conv2DCrossCheckProperties.Geometry wide = new Conv2DCrossCheckProperties.Geometry(g.h(), g.w(), g.inDepth() * wideIn,
                    groups, g.perGroup() * wideOut, g.kh(), g.kw(), g.stride(), g.dilation(), g.padding());
            return new Conv2DCrossCheckProperties.Params(p.type(), wide, p.inScale(), p.inZp(), p.wScale(), p.outScale(), p.outZp(),
                    p.bias(), p.activation(), p.seed());
        });
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2d(@ForAll("conv2d") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * The real models' convolution shapes: 1x1 pointwise and 3x3 (stride 1 or 2, same or valid padding) with 8 to 64
     * input and output channels on rows wide enough for the Vector API's four- and two-pixel passes and their tails.
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dModelShapes() {
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(1, 11),
                Arbitraries.integers().between(1, 13), Arbitraries.of(1, 3, 8, 16, 32, 64), Arbitraries.of(8, 16, 24, 32, 64),
                Arbitraries.of(1, 3), Arbitraries.of(1, 2), Arbitraries.of(0, 1)).as((h, w, in, out, k, stride, pad) ->
                new Conv2DCrossCheckProperties.Geometry(h, w, in, 1, out, k, k, stride, 1, pad));
        return Combinators.combine(new Conv2DCrossCheckProperties().params().filter(p -> p.type() != DataType.INT16), g)
                .as((p, geometry) -> withGeometry(p, p.type(), geometry));
    }

    /** Random CONV_2D parameters {@code p} with the data type and geometry a family chooses (the rest kept). */
    private static Conv2DCrossCheckProperties.Params withGeometry(Conv2DCrossCheckProperties.Params p, DataType type,
                                                                  Conv2DCrossCheckProperties.Geometry geometry) {
        return new Conv2DCrossCheckProperties.Params(type, geometry, p.inScale(), p.inZp(), p.wScale(), p.outScale(),
                p.outZp(), p.bias(), p.activation(), p.seed());
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dModelShapes(@ForAll("conv2dModelShapes") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * int8 convolutions around FastConv2D's scalar forms (without the Vector API): the planar form (at least
     * 32 output pixels and as many as output channels; filters above 1x1 fill their planes from the stride-phase input
     * copy, so strides 1 to 3, dilations 1 and 2, both paddings, rectangular filters) and the channel form on few
     * pixels and many channels (its packed weights take multiples of 4 input channels, the others the int rows). The
     * planar form's pointwise layers without stride or padding read four input channels an int (5 and 7 channels
     * leave one and three over), its output stage runs four channels at once and its sums two (2, 3, 6, 17 and the
     * other output channel counts leave none to three over), three terms a pass (any remainder).
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dInt8Forms() {
        Arbitrary<int[]> filter = Combinators.combine(Arbitraries.of(1, 2, 3, 5), Arbitraries.of(1, 2, 3, 5), Arbitraries.of(1, 1, 2))
                .as((kh, kw, dil) -> new int[] {kh, kw, dil});
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(1, 26),
                Arbitraries.integers().between(1, 26), Arbitraries.of(1, 3, 4, 5, 7, 8, 12, 16, 20, 32, 40), Arbitraries.of(1, 2, 3, 6, 8, 16, 17, 24, 32, 64, 96, 128),
                filter, Arbitraries.of(1, 1, 2, 3), Arbitraries.of(0, 1)).as((h, w, in, out, f, stride, pad) ->
                new Conv2DCrossCheckProperties.Geometry(h, w, in, 1, out, f[0], f[1], stride, f[2], pad));
        return Combinators.combine(new Conv2DCrossCheckProperties().params().filter(p -> p.type() != DataType.INT16), g)
                .as((p, geometry) -> withGeometry(p, DataType.INT8, geometry));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dInt8Forms(@ForAll("conv2dInt8Forms") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * int8 convolutions on FastConv2D's channel form (fewer output pixels than channels) around its row-wide output
     * stage's limit: rows of {@code outW * outD} values at and around {@code FastConv2D.ROW_STAGE_LIMIT} (16,384: one
     * stage over the row at or below it, one per pixel above), 1x1 filters (the row stage) and 1x3 (per pixel), packed
     * (multiples of 4 input channels) and int weight rows, one to three rows.
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dInt8RowStage() {
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(1, 3),
                Arbitraries.of(new int[] {63, 256}, new int[] {64, 256}, new int[] {65, 256}, new int[] {127, 128}, new int[] {128, 128},
                        new int[] {129, 128}, new int[] {6, 128}, new int[] {3, 256}, new int[] {1, 24}, new int[] {5, 40}),
                Arbitraries.of(3, 4, 8, 12), Arbitraries.of(1, 3), Arbitraries.of(0, 1)).as((h, wd, in, kw, pad) ->
                new Conv2DCrossCheckProperties.Geometry(h, wd[0] + (pad == 1 ? kw - 1 : 0), in, 1, wd[1], 1, kw, 1, 1, pad));
        return Combinators.combine(new Conv2DCrossCheckProperties().params().filter(p -> p.type() != DataType.INT16), g)
                .as((p, geometry) -> withGeometry(p, DataType.INT8, geometry));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dInt8RowStage(@ForAll("conv2dInt8RowStage") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * int8 convolutions of both scalar forms whose filter has channels of tiny scales ({@link #withTinyChannels}): the
     * output stage's narrow passes (ChannelRequant with FastConv2D's sum bounds) on channels of multiplier 0 (any sum
     * rescales to 0), right shifts above 16 and sums on both sides of 2^20 (weights scaled down or not).
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dInt8TinyChannels(@ForAll("conv2dInt8Forms") Conv2DCrossCheckProperties.Params p, @ForAll long seed) {
        CReference.Case c = Conv2DCrossCheckProperties.build(p);
        if (c != null) sameBytes(withTinyChannels(c, seed));
    }

    /** {@link #conv2dInt8TinyChannels} on the channel form's row-wide output stage. */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dInt8RowStageTinyChannels(@ForAll("conv2dInt8RowStage") Conv2DCrossCheckProperties.Params p, @ForAll long seed) {
        CReference.Case c = Conv2DCrossCheckProperties.build(p);
        if (c != null) sameBytes(withTinyChannels(c, seed));
    }

    /**
     * Case {@code c} with its per-channel filter scales changed, each channel in turn kept or scaled by 2^-40 (TFLM
     * quantizes its effective scale to multiplier 0, shift 0), 2^-20 or 2^-12 (right shifts above 16, outputs near the
     * zero point), and, for one seed in two, the weights divided by 8 (the sums' bounds below 2^20 more often).
     */
    static CReference.Case withTinyChannels(CReference.Case c, long seed) {
        java.util.Random r = new java.util.Random(seed);
        boolean shrink = r.nextBoolean();
        java.util.List<CReference.TensorSpec> tensors = new java.util.ArrayList<>();
        for (CReference.TensorSpec t : c.tensors()) {
            if (t.name().equals("filter") && t.quantization() != null) {
                float[] scales = t.quantization().scales().clone();
                for (int i = 0; i < scales.length; i++) {
                    int k = r.nextInt(5);
                    scales[i] *= k == 0 ? 0x1p-40f : k == 1 ? 0x1p-20f : k == 2 ? 0x1p-12f : 1f;
                }
                byte[] data = t.data().clone();
                if (shrink) for (int i = 0; i < data.length; i++) data[i] = (byte) (data[i] / 8);
                t = new CReference.TensorSpec(t.name(), t.type(), t.shape(), new dev.minnow.model.Quantization(scales,
                        t.quantization().zeroPoints(), t.quantization().quantizedDimension()), data);
            }
            tensors.add(t);
        }
        return new CReference.Case(c.name(), c.op(), c.attrs(), tensors);
    }

    /**
     * float32 convolutions on rows and columns long enough for FastConv2D's planar form without the Vector API (at
     * most 64 output channels, at least 64 output pixels and twice the channels): 1x1 to 5x5 filters, strides 1 to 3
     * (the stride-phase channel copies), dilations 1 and 2, both paddings (so edge pixels with invalid taps are
     * recomputed), 1 to 65 channels, images up to 36x36 (more than one block of 1,024 pixels, each block's output tile
     * written at once), and some with too few pixels or too many channels for it (the channel form). The input
     * channels cover the channel copies' four-channel passes and their tails (1 to 8), the filter terms the channel
     * pairs' tails of one and two terms, the output channels the output tile's four-channel passes and tails.
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dFloatPlanar() {
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(4, 36),
                Arbitraries.integers().between(4, 36), Arbitraries.of(1, 2, 3, 4, 5, 6, 7, 8, 16, 32), Arbitraries.of(1, 2, 3, 6, 8, 16, 17, 32, 33, 40, 63, 64, 65),
                Arbitraries.of(1, 2, 3, 5), Arbitraries.of(1, 1, 2, 3), Arbitraries.of(1, 1, 1, 2), Arbitraries.of(0, 1)).as((h, w, in, out, k, stride, dil, pad) -> {
                    // at most about two million multiply-adds, so 1,000 tries stay quick
                    int cap = (int) Math.max(4, Math.sqrt(2_000_000.0 / ((double) in * out * k * k)));
                    return new Conv2DCrossCheckProperties.Geometry(Math.min(h, cap), Math.min(w, cap), in, 1, out, k, k, stride, dil, pad);
                });
        return Combinators.combine(new Conv2DCrossCheckProperties().params(), g)
                .as((p, geometry) -> withGeometry(p, DataType.FLOAT32, geometry));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dFloatPlanar(@ForAll("conv2dFloatPlanar") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * float32 pointwise convolutions at FastConv2D's planar gate on the per-channel sums ({@code outD * pixels} at
     * most 2^20): 64 output channels over 128 x 128 pixels (planar) and 129 x 128 (the channel form), one or two
     * input channels; under {@link ModelBudget#TRUSTED}, since the default budget of so small a model refuses the
     * planar form's 4 MB of planes and sums.
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dFloatPlanarGate() {
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.of(128, 129), Arbitraries.of(1, 2))
                .as((h, in) -> new Conv2DCrossCheckProperties.Geometry(h, 128, in, 1, 64, 1, 1, 1, 1, 0));
        return Combinators.combine(new Conv2DCrossCheckProperties().params(), g)
                .as((p, geometry) -> withGeometry(p, DataType.FLOAT32, geometry));
    }

    @Property(tries = 8, shrinking = ShrinkingMode.FULL)
    void conv2dFloatPlanarGate(@ForAll("conv2dFloatPlanarGate") Conv2DCrossCheckProperties.Params p) {
        CReference.Case c = Conv2DCrossCheckProperties.build(p);
        InterpreterOptions reference = new InterpreterOptions().setUseFastKernels(false).setBudget(ModelBudget.TRUSTED);
        InterpreterOptions fast = new InterpreterOptions().setUseFastKernels(true).setBudget(ModelBudget.TRUSTED);
        assertEquals(HexFormat.of().formatHex(CrossCheck.runJava(c, reference)), HexFormat.of().formatHex(CrossCheck.runJava(c, fast)),
                "fast kernel output differs from the reference: " + c.op() + " " + c.attrs());
    }

    /** A float CONV_2D case with special values planted in its input and weights (see {@link #conv2dFloatSpecial}). */
    record SpecialCase(Conv2DCrossCheckProperties.Params p, int mode) {}

    /**
     * float32 convolutions around FastConv2D's float gates (planar form up to 64 output channels, or pixels at least
     * the channel count; the channel form's pixel pairs, odd widths, tails of its three-channel passes; 1 to 300
     * output channels, 1x1 and 3x3, strides 1 and 2, dilation, both paddings, all activations) with NaN, infinities,
     * -0.0, the smallest and largest floats planted in the input and weights. Mode 0 plants a few in the input only
     * (the planar form then adds padding zeros times finite weights), mode 1 sets the whole input to +-0.0 (sums of
     * signed zeros), mode 2 plants them in the weights too (a non-finite weight makes edge pixels be computed again).
     */
    @Provide
    Arbitrary<SpecialCase> conv2dFloatSpecial() {
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(1, 14),
                Arbitraries.integers().between(1, 14), Arbitraries.of(1, 3, 4, 8, 16, 33, 64), Arbitraries.of(1, 2, 8, 17, 32, 33, 64, 65, 128, 300),
                Arbitraries.of(1, 3), Arbitraries.of(1, 1, 2), Arbitraries.of(1, 1, 1, 2), Arbitraries.of(0, 1)).as((h, w, in, out, k, stride, dil, pad) -> {
                    // at most about a million multiply-adds, so 1,000 tries stay quick
                    int cap = (int) Math.max(1, Math.sqrt(1_000_000.0 / ((double) in * out * k * k)));
                    return new Conv2DCrossCheckProperties.Geometry(Math.min(h, cap), Math.min(w, cap), in, 1, out, k, k, stride, dil, pad);
                });
        return Combinators.combine(new Conv2DCrossCheckProperties().params(), g, Arbitraries.integers().between(0, 2))
                .as((p, geometry, mode) -> new SpecialCase(withGeometry(p, DataType.FLOAT32, geometry), mode));
    }

    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dFloatSpecial(@ForAll("conv2dFloatSpecial") SpecialCase sc) {
        sameWithSpecials(Conv2DCrossCheckProperties.build(sc.p()), sc.p().seed(), sc.mode());
    }

    /**
     * Case {@code c} (null: nothing to check) with special values planted by {@code mode} (0: a few in the input, 1:
     * the whole input +-0.0, 2: a few in the input and the weights), fast against reference, NaNs compared as NaN.
     */
    private static void sameWithSpecials(CReference.Case c, long seed, int mode) {
        if (c == null) return;
        java.util.Random r = new java.util.Random(seed ^ 0x5eed);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(c.tensors().get(0).data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer w = java.nio.ByteBuffer.wrap(c.tensors().get(1).data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (mode == 1) {
            for (int i = 0; i < in.capacity(); i += 4) in.putFloat(i, r.nextBoolean() ? -0.0f : 0.0f);
        } else {
            plant(in, r, 1 + r.nextInt(4));
        }
        if (mode == 2) plant(w, r, 1 + r.nextInt(3));
        String ref = canonicalNaNs(CrossCheck.runJava(c, new InterpreterOptions().setUseFastKernels(false)));
        String fast = canonicalNaNs(CrossCheck.runJava(c, new InterpreterOptions().setUseFastKernels(true)));
        assertEquals(ref, fast, "fast kernel output differs from the reference: " + c.op() + " " + c.attrs() + " mode " + mode);
    }

    /** {@code count} special values at random float positions of {@code b}. */
    private static void plant(java.nio.ByteBuffer b, java.util.Random r, int count) {
        for (int k = 0; k < count && b.capacity() >= 4; k++) b.putFloat(4 * r.nextInt(b.capacity() / 4), SPECIALS[r.nextInt(SPECIALS.length)]);
    }

    /** Little-endian float32 bytes as hex, every NaN as one pattern (Java leaves a NaN's sign and payload to the JIT). */
    private static String canonicalNaNs(byte[] out) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= b.capacity(); i += 4) if (Float.isNaN(b.getFloat(i))) b.putInt(i, 0x7fc00000);
        return HexFormat.of().formatHex(b.array());
    }

    @Provide
    Arbitrary<WindowedCrossCheckProperties.Params> depthwise() {
        return Combinators.combine(new WindowedCrossCheckProperties().params()
                        .filter(p -> p.op().equals("DEPTHWISE_CONV_2D") && p.type() != DataType.INT16),
                Arbitraries.integers().between(1, 8)).as((p, wide) -> new WindowedCrossCheckProperties.Params(p.op(), p.type(),
                p.h(), p.w(), p.depth() * wide, p.multiplier(), p.kh(), p.kw(), p.stride(), p.dilation(), p.padding(),
                p.scale(), p.zp(), p.outScale(), p.outZp(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseConv2d(@ForAll("depthwise") WindowedCrossCheckProperties.Params p) {
        sameBytes(WindowedCrossCheckProperties.build(p));
    }

    /**
     * float32 DEPTHWISE_CONV_2D (row and pixel forms, all activations) with NaN, infinities, -0.0, the smallest and
     * largest floats planted in the input (mode 0), the whole input +-0.0 (mode 1), or in the weights too (mode 2):
     * the output stage clamps with
     * Math.min/max, equal to the reference's compare-selects only because its sums are never -0.0.
     */
    @Provide
    Arbitrary<SpecialDepthwise> depthwiseFloatSpecial() {
        return Combinators.combine(depthwise().filter(p -> p.type() == DataType.FLOAT32), Arbitraries.integers().between(0, 2))
                .as(SpecialDepthwise::new);
    }

    /** A float DEPTHWISE_CONV_2D case and where its special values go (see {@link #depthwiseFloatSpecial}). */
    record SpecialDepthwise(WindowedCrossCheckProperties.Params p, int mode) {}

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void depthwiseFloatSpecial(@ForAll("depthwiseFloatSpecial") SpecialDepthwise sd) {
        sameWithSpecials(WindowedCrossCheckProperties.build(sd.p()), sd.p().seed(), sd.mode());
    }
}
