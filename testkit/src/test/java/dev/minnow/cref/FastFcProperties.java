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
 * without the module, int8 dot rows below 16 outputs, float register sums up to 12 outputs in 4, 8 or 12
 * accumulators), on the dense autoencoders' layer shapes and classifier heads with 1-4 batches, and
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
        sameBytes(c, false);
    }

    /** As {@link #sameBytes(CReference.Case)}; with {@code canonicalNaNs} every float NaN is compared as one pattern. */
    private static void sameBytes(CReference.Case c, boolean canonicalNaNs) {
        java.util.function.Function<InterpreterOptions, String> run = o -> canonicalNaNs ? canonicalNaNs(CrossCheck.runJava(c, o)) : run(c, o);
        String reference = run.apply(new InterpreterOptions().setUseFastKernels(false));
        String what = c.name() + " " + c.tensors().get(0).shape()[0] + "x" + c.tensors().get(0).shape()[1] + " -> " + c.tensors().get(1).shape()[0];
        assertEquals(reference, run.apply(new InterpreterOptions().setUseFastKernels(true)), "fast, 1 thread: " + what);
        assertEquals(reference, run.apply(new InterpreterOptions().setUseFastKernels(true).setNumThreads(3).setMinSplitWork(1)),
                "fast, 3 threads: " + what);
        assertEquals(reference, run.apply(new InterpreterOptions().setUseFastKernels(true).setNumThreads(3).setMinSplitWork(1)
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
                new int[] {16, 16}, new int[] {15, 15}, new int[] {14, 15}, new int[] {640, 1},
                // classifier heads (mnist_lstm 560x10, ResNet 64x10, VWW 256x2) and the float register sums' widths
                new int[] {560, 10}, new int[] {64, 10}, new int[] {256, 2}, new int[] {33, 12}, new int[] {7, 13},
                new int[] {5, 9}, new int[] {1, 4}, new int[] {9, 5}, new int[] {200, 11});
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

    private static final float[] SPECIALS = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
            Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};

    /**
     * float32 with special values planted (NaN, infinities, zeros of both signs, the smallest and largest floats), on
     * the wide and dense shapes and every activation: the fast path's sums from 0f, its bias and activation clamp (a
     * change to {@code Math.min}/{@code max} differs from the reference's compare-selects at -0.0 and NaN) and its
     * reads and writes. Mode 0 plants a few in the input, 1 in the input and weights, 2 also
     * in the bias, 3 makes the whole input zeros of random sign (sums of zero products, then the bias, then RELU's 0
     * bound), 4 also makes every weight a zero of random sign. NaNs compare as one pattern (Java leaves a NaN's sign
     * and payload to the JIT).
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void float32Special(@ForAll("wide") FullyConnectedCrossCheckProperties.Params p, @ForAll boolean denseShape,
                        @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 4) int mode) {
        FullyConnectedCrossCheckProperties.Params q = !denseShape ? p : new FullyConnectedCrossCheckProperties.Params(p.batches(),
                p.seed() % 2 == 0 ? 128 : 640, p.seed() % 3 == 0 ? 8 : 128, p.inScale(), p.inZp(), p.wScale(), p.outScale(),
                p.outZp(), p.perChannel(), p.bias(), p.activation(), p.seed());
        CReference.Case c = FullyConnectedCrossCheckProperties.build("fc_float32", DataType.FLOAT32, q);
        java.util.Random r = new java.util.Random(q.seed() ^ mode);
        java.util.List<CReference.TensorSpec> ts = new java.util.ArrayList<>(c.tensors());
        for (int t = 0; t < 3; t++) {
            CReference.TensorSpec spec = ts.get(t);
            if (spec.data() == null) continue;
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(spec.data().clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            if (mode >= 3 && t < mode - 2) {
                for (int i = 0; i < b.capacity(); i += 4) b.putFloat(i, r.nextBoolean() ? -0.0f : 0.0f);
            } else if (t <= Math.min(mode, 2)) {
                int count = 1 + r.nextInt(4);
                for (int k = 0; k < count; k++) b.putFloat(4 * r.nextInt(b.capacity() / 4), SPECIALS[r.nextInt(SPECIALS.length)]);
            }
            ts.set(t, new CReference.TensorSpec(spec.name(), spec.type(), spec.shape(), spec.quantization(), b.array()));
        }
        sameBytes(new CReference.Case(c.name(), c.op(), c.attrs(), ts), true);
    }

    /**
     * float32 with a share of the inputs zeros of random sign (none, a quarter, half, three quarters, all but one, all),
     * the inputs the scalar path leaves out of its passes when their weight columns are finite: the live count around
     * every multiple of four (the passes' tail), zero inputs whose columns hold an Inf, a NaN or the largest float
     * (mode 1: planted anywhere; 2: in the columns of zero inputs, where 0 * Inf is NaN), specials among the live inputs
     * (mode 3), and sums that cancel to zero before a skipped input (mode 4: pairs of opposite products). NaNs compare as
     * one pattern.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void float32ZeroInputs(@ForAll("wide") FullyConnectedCrossCheckProperties.Params p, @ForAll boolean denseShape,
                           @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int share,
                           @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 4) int mode) {
        FullyConnectedCrossCheckProperties.Params q = !denseShape ? p : new FullyConnectedCrossCheckProperties.Params(p.batches(),
                p.seed() % 2 == 0 ? 128 : 640, p.seed() % 3 == 0 ? 8 : 128, p.inScale(), p.inZp(), p.wScale(), p.outScale(),
                p.outZp(), p.perChannel(), p.bias(), p.activation(), p.seed());
        CReference.Case c = FullyConnectedCrossCheckProperties.build("fc_float32", DataType.FLOAT32, q);
        java.util.Random r = new java.util.Random(q.seed() ^ (share * 8 + mode));
        java.util.List<CReference.TensorSpec> ts = new java.util.ArrayList<>(c.tensors());
        int in = q.inDepth(), out = q.outDepth();
        java.nio.ByteBuffer x = java.nio.ByteBuffer.wrap(ts.get(0).data().clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        java.nio.ByteBuffer w = java.nio.ByteBuffer.wrap(ts.get(1).data().clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int n = x.capacity() / 4;
        double[] shares = {0, 0.25, 0.5, 0.75, 0, 1};
        java.util.List<Integer> zeroColumns = new java.util.ArrayList<>();
        int kept = 0;   // share 4: the one live input of the row
        for (int i = 0; i < n; i++) {
            if (i % in == 0) kept = r.nextInt(in);
            if (share == 4 ? i % in != kept : r.nextDouble() < shares[share]) {
                x.putFloat(4 * i, r.nextBoolean() ? -0.0f : 0.0f);
                zeroColumns.add(i % in);
            } else if (mode == 3 && r.nextInt(8) == 0) {
                x.putFloat(4 * i, SPECIALS[r.nextInt(SPECIALS.length)]);
            }
        }
        if (mode == 4 && in >= 2) {   // the first two live products of each output cancel: the sum is +0.0 mid-row
            for (int b = 0; b < n / in; b++) x.putFloat(4 * (b * in + 1), -x.getFloat(4 * (b * in)));
            for (int o = 0; o < out; o++) w.putFloat(4 * (o * in + 1), w.getFloat(4 * (o * in)));
        }
        if (mode == 1 || mode == 2 && !zeroColumns.isEmpty()) {
            int count = 1 + r.nextInt(4);
            for (int k = 0; k < count; k++) {
                int d = mode == 1 ? r.nextInt(in) : zeroColumns.get(r.nextInt(zeroColumns.size()));
                w.putFloat(4 * (r.nextInt(out) * in + d), SPECIALS[r.nextInt(3)]);
                if (r.nextBoolean()) w.putFloat(4 * (r.nextInt(out) * in + d), Float.MAX_VALUE);
            }
        }
        ts.set(0, new CReference.TensorSpec(ts.get(0).name(), ts.get(0).type(), ts.get(0).shape(), ts.get(0).quantization(), x.array()));
        ts.set(1, new CReference.TensorSpec(ts.get(1).name(), ts.get(1).type(), ts.get(1).shape(), ts.get(1).quantization(), w.array()));
        sameBytes(new CReference.Case(c.name(), c.op(), c.attrs(), ts), true);
    }

    /**
     * int8 with the input zero point at -128 (a ReLU's output), the nodes the scalar path runs on int weights by input,
     * skipping the inputs at the zero point, when they have at most {@code LIVE_OUTPUTS_MAX} (256) outputs: output counts
     * around that gate and the dot rows' 16, a share of the inputs at -128 (none, a quarter, half, three quarters, all
     * but one a row, all: the live count around every multiple of four, and on both sides of the quarter below which
     * such a node runs the packed loop instead), the others random or (extreme) 127 with every weight -128 or 127.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int8ZeroInputs(@ForAll("wide") FullyConnectedCrossCheckProperties.Params p,
                        @ForAll("liveOutputs") int outDepth, @ForAll boolean denseShape,
                        @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int share, @ForAll boolean extreme) {
        int inDepth = denseShape ? (p.seed() % 3 == 0 ? 8 : p.seed() % 3 == 1 ? 128 : 640) : p.inDepth();
        FullyConnectedCrossCheckProperties.Params q = new FullyConnectedCrossCheckProperties.Params(p.batches(), inDepth,
                outDepth, p.inScale(), -128, p.wScale(), p.outScale(), p.outZp(), p.perChannel(), p.bias(), p.activation(), p.seed());
        CReference.Case c = FullyConnectedCrossCheckProperties.build("fc_int8", DataType.INT8, q);
        java.util.Random r = new java.util.Random(q.seed() ^ share);
        java.util.List<CReference.TensorSpec> ts = new java.util.ArrayList<>(c.tensors());
        byte[] x = ts.get(0).data().clone(), w = ts.get(1).data().clone();
        double[] shares = {0, 0.25, 0.5, 0.75, 0, 1};
        int kept = 0;   // share 4: the one live input of the row
        for (int i = 0; i < x.length; i++) {
            if (i % inDepth == 0) kept = r.nextInt(inDepth);
            boolean zero = share == 4 ? i % inDepth != kept : r.nextDouble() < shares[share];
            x[i] = zero ? (byte) -128 : extreme ? 127 : x[i];
        }
        if (extreme) for (int i = 0; i < w.length; i++) w[i] = r.nextBoolean() ? (byte) -128 : 127;
        ts.set(0, new CReference.TensorSpec(ts.get(0).name(), ts.get(0).type(), ts.get(0).shape(), ts.get(0).quantization(), x));
        ts.set(1, new CReference.TensorSpec(ts.get(1).name(), ts.get(1).type(), ts.get(1).shape(), ts.get(1).quantization(), w));
        sameBytes(new CReference.Case(c.name(), c.op(), c.attrs(), ts));
    }

    @Provide
    Arbitrary<Integer> liveOutputs() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 300), Arbitraries.of(15, 16, 17, 128, 255, 256, 257, 640));
    }

    /** Little-endian float32 bytes as hex, every NaN as one pattern. */
    private static String canonicalNaNs(byte[] out) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(out.clone()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= b.capacity(); i += 4) if (Float.isNaN(b.getFloat(i))) b.putInt(i, 0x7fc00000);
        return HexFormat.of().formatHex(b.array());
    }
}
