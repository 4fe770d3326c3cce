package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
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
                .as((p, geometry) -> new Conv2DCrossCheckProperties.Params(p.type(), geometry, p.inScale(), p.inZp(), p.wScale(),
                        p.outScale(), p.outZp(), p.bias(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dModelShapes(@ForAll("conv2dModelShapes") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * int8 convolutions around FastConv2D's scalar forms (JDK 17-20 without the Vector API): the planar form (at least
     * 32 output pixels and as many as output channels; filters above 1x1 fill their planes from the stride-phase input
     * copy, so strides 1 to 3, dilations 1 and 2, both paddings, rectangular filters) and the channel form on few
     * pixels and many channels (its packed weights take multiples of 4 input channels, the others the int rows).
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dInt8Forms() {
        Arbitrary<int[]> filter = Combinators.combine(Arbitraries.of(1, 2, 3, 5), Arbitraries.of(1, 2, 3, 5), Arbitraries.of(1, 1, 2))
                .as((kh, kw, dil) -> new int[] {kh, kw, dil});
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(1, 26),
                Arbitraries.integers().between(1, 26), Arbitraries.of(1, 3, 4, 8, 12, 16, 20, 32, 40), Arbitraries.of(1, 8, 16, 17, 24, 32, 64, 96, 128),
                filter, Arbitraries.of(1, 1, 2, 3), Arbitraries.of(0, 1)).as((h, w, in, out, f, stride, pad) ->
                new Conv2DCrossCheckProperties.Geometry(h, w, in, 1, out, f[0], f[1], stride, f[2], pad));
        return Combinators.combine(new Conv2DCrossCheckProperties().params().filter(p -> p.type() != DataType.INT16), g)
                .as((p, geometry) -> new Conv2DCrossCheckProperties.Params(DataType.INT8, geometry, p.inScale(), p.inZp(), p.wScale(),
                        p.outScale(), p.outZp(), p.bias(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dInt8Forms(@ForAll("conv2dInt8Forms") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
    }

    /**
     * float32 convolutions on rows and columns long enough for FastConv2D's planar form without the Vector API (at
     * most 32 output channels, at least 64 output pixels): 1x1 to 5x5 filters, strides and dilations 1 and 2, both
     * paddings (so edge pixels with invalid taps are recomputed), 1 to 40 channels, and some with too few pixels or
     * too many channels for it (the channel form).
     */
    @Provide
    Arbitrary<Conv2DCrossCheckProperties.Params> conv2dFloatPlanar() {
        Arbitrary<Conv2DCrossCheckProperties.Geometry> g = Combinators.combine(Arbitraries.integers().between(4, 26),
                Arbitraries.integers().between(4, 26), Arbitraries.of(1, 2, 3, 4, 5, 8, 16, 32), Arbitraries.of(1, 3, 8, 16, 17, 32, 33, 40),
                Arbitraries.of(1, 2, 3, 5), Arbitraries.of(1, 1, 2), Arbitraries.of(1, 1, 1, 2), Arbitraries.of(0, 1)).as((h, w, in, out, k, stride, dil, pad) ->
                new Conv2DCrossCheckProperties.Geometry(h, w, in, 1, out, k, k, stride, dil, pad));
        return Combinators.combine(new Conv2DCrossCheckProperties().params(), g)
                .as((p, geometry) -> new Conv2DCrossCheckProperties.Params(DataType.FLOAT32, geometry, p.inScale(), p.inZp(), p.wScale(),
                        p.outScale(), p.outZp(), p.bias(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void conv2dFloatPlanar(@ForAll("conv2dFloatPlanar") Conv2DCrossCheckProperties.Params p) {
        sameBytes(Conv2DCrossCheckProperties.build(p));
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
}
