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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FastFullyConnected against the reference loops, byte for byte, on rows long and short enough for each of its loops
 * (Vector API row dot products from 256 weights a row, channel blocks below; the scalar output-innermost columns
 * without the module, dot rows below 16 outputs), on the dense autoencoders' layer shapes with 1-4 batches, and
 * with the rows split over intra-op threads: 3 interpreter threads, and 2 on a caller's executor, every node split
 * (minimum split work 1) so that ranges end mid-batch and on a partial channel group.
 */
class FastFcProperties {
    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "fast-fc-properties");
        t.setDaemon(true);
        return t;
    });

    private static String run(CReference.Case c, InterpreterOptions o) {
        return HexFormat.of().formatHex(CrossCheck.runJava(c, o));
    }

    private static void sameBytes(CReference.Case c) {
        String reference = run(c, new InterpreterOptions().setUseFastKernels(false));
        String what = c.name() + " " + c.tensors().get(0).shape()[0] + "x" + c.tensors().get(0).shape()[1] + " -> " + c.tensors().get(1).shape()[0];
        assertEquals(reference, run(c, new InterpreterOptions().setUseFastKernels(true)), "fast, 1 thread: " + what);
        assertEquals(reference, run(c, new InterpreterOptions().setUseFastKernels(true).setNumThreads(3).setMinSplitWork(1)),
                "fast, 3 threads: " + what);
        assertEquals(reference, run(c, new InterpreterOptions().setUseFastKernels(true).setNumThreads(3).setMinSplitWork(1)
                .setExecutor(EXECUTOR)), "fast, caller's executor: " + what);
    }

    @Provide
    Arbitrary<FullyConnectedCrossCheckProperties.Params> wide() {
        // input depths around the loops' thresholds and lane multiples, up to ToyCar's 640 and past it
        Arbitrary<Integer> inDepth = Arbitraries.oneOf(Arbitraries.integers().between(1, 700),
                Arbitraries.of(15, 16, 17, 31, 32, 33, 128, 255, 256, 257, 640, 641));
        Arbitrary<Integer> outDepth = Arbitraries.oneOf(Arbitraries.integers().between(1, 70), Arbitraries.of(1, 3, 4, 5, 16, 17, 33, 64, 65));
        return Combinators.combine(new FullyConnectedCrossCheckProperties().params(), inDepth, outDepth)
                .as((p, in, out) -> new FullyConnectedCrossCheckProperties.Params(p.batches(), in, out, p.inScale(), p.inZp(),
                        p.wScale(), p.outScale(), p.outZp(), p.perChannel(), p.bias(), p.activation(), p.seed()));
    }

    @Provide
    Arbitrary<FullyConnectedCrossCheckProperties.Params> dense() {
        // the dense autoencoders' layers (in x out): 640x128, 128x128, 128x8, 8x128, 128x640, and their neighbours
        Arbitrary<int[]> shape = Arbitraries.of(new int[] {640, 128}, new int[] {128, 128}, new int[] {128, 8},
                new int[] {8, 128}, new int[] {128, 640}, new int[] {127, 129}, new int[] {129, 15}, new int[] {3, 640},
                // around the dot rows' gate (fewer than 16 outputs, at least as many inputs)
                new int[] {16, 16}, new int[] {15, 15}, new int[] {14, 15}, new int[] {640, 1});
        return Combinators.combine(new FullyConnectedCrossCheckProperties().params(), shape)
                .as((p, s) -> new FullyConnectedCrossCheckProperties.Params(p.batches(), s[0], s[1], p.inScale(), p.inZp(),
                        p.wScale(), p.outScale(), p.outZp(), p.perChannel(), p.bias(), p.activation(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int8(@ForAll("wide") FullyConnectedCrossCheckProperties.Params p) {
        sameBytes(FullyConnectedCrossCheckProperties.build("fc_int8", DataType.INT8, p));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int8Dense(@ForAll("dense") FullyConnectedCrossCheckProperties.Params p) {
        sameBytes(FullyConnectedCrossCheckProperties.build("fc_int8", DataType.INT8, p));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void float32Dense(@ForAll("dense") FullyConnectedCrossCheckProperties.Params p) {
        sameBytes(FullyConnectedCrossCheckProperties.build("fc_float32", DataType.FLOAT32, p));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int16(@ForAll("wide") FullyConnectedCrossCheckProperties.Params p, @ForAll boolean int32Bias) {
        // as FullyConnectedCrossCheckProperties.int16: effective scales of 128 and more are rejected by both sides
        net.jqwik.api.Assume.that((double) p.inScale() * p.wScale() * 1.5 / p.outScale() < 127);
        CReference.Case c = FullyConnectedCrossCheckProperties.build("fc_int16", DataType.INT16, p);
        sameBytes(int32Bias && p.bias() ? withInt32Bias(c) : c);
    }

    /** The case with its int64 bias narrowed to int32: the int16 variant with int32 accumulators. */
    private static CReference.Case withInt32Bias(CReference.Case c) {
        java.util.List<CReference.TensorSpec> ts = new java.util.ArrayList<>(c.tensors());
        CReference.TensorSpec b = ts.get(2);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(b.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(b.data().length / 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) out.putInt((int) in.getLong());
        ts.set(2, new CReference.TensorSpec(b.name(), DataType.INT32, b.shape(), b.quantization(), out.array()));
        return new CReference.Case(c.name(), c.op(), c.attrs(), ts);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void float32(@ForAll("wide") FullyConnectedCrossCheckProperties.Params p) {
        sameBytes(FullyConnectedCrossCheckProperties.build("fc_float32", DataType.FLOAT32, p));
    }
}
