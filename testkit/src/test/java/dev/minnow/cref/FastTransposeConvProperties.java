package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.OpModels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FastTransposeConv against TransposeConv's reference loops, byte for byte: the same single-op model (filter and bias
 * constant, so the fast loops qualify) run with fast kernels off, on, and on with the output rows split over two
 * threads of a shared executor (every node split: minimum split work 1). One family per input type (float32, int8,
 * int16), each over the Java-vs-C generator's cases (strides 1 to 3, SAME and VALID, per-channel and per-tensor
 * filters, bias absent or present, clipped edges) with channel counts widened past a vector's width; one family of
 * the conv autoencoder's shapes (one row of up to 32 columns, 7-tap filters, stride 1 or 2, up to 40 channels).
 */
class FastTransposeConvProperties {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(1, r -> {
        Thread t = new Thread(r, "fast-tconv-properties");
        t.setDaemon(true);
        return t;
    });

    @AfterContainer
    static void stopPool() { POOL.shutdownNow(); }

    private static String run(CReference.Case c, InterpreterOptions options) {
        return HexFormat.of().formatHex(OpModels.runJava(c, options));
    }

    private static void sameBytes(TransposeConvCrossCheckProperties.Params p) {
        CReference.Case c = TransposeConvCrossCheckProperties.build(p);
        String reference = run(c, new InterpreterOptions().setUseFastKernels(false));
        assertEquals(reference, run(c, new InterpreterOptions().setUseFastKernels(true)), "fast TRANSPOSE_CONV differs from the reference: " + p);
        assertEquals(reference, run(c, new InterpreterOptions().setUseFastKernels(true).setNumThreads(2).setMinSplitWork(1).setExecutor(POOL)),
                "fast TRANSPOSE_CONV on 2 threads differs from the reference: " + p);
    }

    /** The cross-check generator's cases of one type, input and output channels widened 1-8x. */
    private static Arbitrary<TransposeConvCrossCheckProperties.Params> widened(DataType type) {
        return Combinators.combine(new TransposeConvCrossCheckProperties().params().filter(p -> p.type() == type),
                Arbitraries.integers().between(1, 8), Arbitraries.integers().between(1, 4)).as((p, wideOut, wideIn) -> {
            TransposeConvCrossCheckProperties.Geometry g = p.g();
            TransposeConvCrossCheckProperties.Geometry wide = new TransposeConvCrossCheckProperties.Geometry(g.batches(), g.h(), g.w(),
                    g.inDepth() * wideIn, g.outDepth() * wideOut, g.kh(), g.kw(), g.strideH(), g.strideW(), g.padding(), g.extraH(), g.extraW());
            return new TransposeConvCrossCheckProperties.Params(p.type(), wide, p.inScale(), p.inZp(), p.wScale(), p.outScale(), p.outZp(),
                    p.bias(), p.perChannel(), p.activation(), p.seed());
        });
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void float32(@ForAll("float32Cases") TransposeConvCrossCheckProperties.Params p) {
        sameBytes(p);
    }

    @Provide
    Arbitrary<TransposeConvCrossCheckProperties.Params> float32Cases() { return widened(DataType.FLOAT32); }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int8(@ForAll("int8Cases") TransposeConvCrossCheckProperties.Params p) {
        sameBytes(p);
    }

    @Provide
    Arbitrary<TransposeConvCrossCheckProperties.Params> int8Cases() { return widened(DataType.INT8); }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int16(@ForAll("int16Cases") TransposeConvCrossCheckProperties.Params p) {
        sameBytes(p);
    }

    @Provide
    Arbitrary<TransposeConvCrossCheckProperties.Params> int16Cases() { return widened(DataType.INT16); }

    /** Conv-autoencoder-like shapes: one or two rows, up to 32 columns, 7-tap filters, 8-40 channels, all three types. */
    @Provide
    Arbitrary<TransposeConvCrossCheckProperties.Params> autoencoderCases() {
        Arbitrary<TransposeConvCrossCheckProperties.Geometry> geometry = Combinators.combine(Arbitraries.integers().between(1, 2),
                Arbitraries.integers().between(1, 32), Arbitraries.integers().between(1, 40), Arbitraries.integers().between(1, 40),
                Arbitraries.integers().between(1, 7), Arbitraries.integers().between(1, 2), Arbitraries.of(0, 1),
                Arbitraries.integers().between(0, 1)).as((h, w, id, od, kw, sw, pad, ew) ->
                new TransposeConvCrossCheckProperties.Geometry(1, h, w, id, od, 1, kw, 1, sw, pad, 0, ew));
        return Combinators.combine(new TransposeConvCrossCheckProperties().params(), geometry).as((p, g) ->
                new TransposeConvCrossCheckProperties.Params(p.type(), g, p.inScale(), p.inZp(), p.wScale(), p.outScale(), p.outZp(),
                        p.bias(), p.perChannel(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void autoencoderShapes(@ForAll("autoencoderCases") TransposeConvCrossCheckProperties.Params p) {
        sameBytes(p);
    }
}
