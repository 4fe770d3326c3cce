package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import dev.minnow.testkit.OpModels;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fast kernels of the non-MAC ops (FastArithmetic: ADD, SUB, MUL; FastPool2D: AVERAGE_POOL_2D, MAX_POOL_2D;
 * FastStridedSlice; FastLeakyRelu; FastSoftmax (int8 input); FastQuantize: QUANTIZE, DEQUANTIZE; FastPad: PAD, PADV2) against the reference kernels, byte for byte: the same single-op model run with fast kernels on
 * and off. A node the reference rejects must be rejected with the same message. The shapes are wider than the
 * Java-vs-C generators' (long element runs, many channels, broadcasts of a scalar, of the last dimension and of
 * random dimensions), the data includes the extremes of each type, and float data includes NaN, infinities and -0.
 */
class FastElementwiseProperties {

    /**
     * The output's bytes as hex, or the rejection's message. Float32 NaNs are written as one canonical NaN: Java
     * leaves a NaN result's sign and payload to the hardware and the JIT (x86 returns the first operand's NaN, and
     * C2 may swap the operands of a commutative add when it vectorises), so only "NaN or not" is reproducible.
     */
    private static String outcome(CReference.Case c, boolean fast, boolean opModel) {
        InterpreterOptions o = new InterpreterOptions().setUseFastKernels(fast);
        try {
            byte[] out = opModel ? OpModels.runJava(c, o) : CrossCheck.runJava(c, o);
            if (c.tensors().get(c.tensors().size() - 1).type() == DataType.FLOAT32) {
                ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i + 4 <= out.length; i += 4) if (Float.isNaN(bb.getFloat(i))) bb.putInt(i, 0x7FC00000);
            }
            return HexFormat.of().formatHex(out);
        } catch (RuntimeException e) {
            return "rejected: " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static void sameBytes(CReference.Case c) {
        if (c == null) return;
        boolean opModel = OpModels.handles(c.op());
        String ref = outcome(c, false, opModel), fast = outcome(c, true, opModel);
        Statistics.label("outcome").collect(ref.startsWith("rejected") ? "rejected by both" : "compared");
        if (ref.equals(fast)) return;
        int first = 0;
        while (first < Math.min(ref.length(), fast.length()) && ref.charAt(first) == fast.charAt(first)) first++;
        int from = Math.max(0, first - 16);
        assertEquals(ref.substring(from, Math.min(ref.length(), first + 32)), fast.substring(from, Math.min(fast.length(), first + 32)),
                "fast kernel output differs from the reference at hex digit " + first + " of " + ref.length() + ": " + c.op()
                        + " " + c.attrs() + " " + shapes(c));
    }

    private static String shapes(CReference.Case c) {
        StringBuilder s = new StringBuilder();
        for (CReference.TensorSpec t : c.tensors()) s.append(t.name()).append(java.util.Arrays.toString(t.shape())).append(' ');
        return s.toString();
    }

    /** Random elements of type t, with the type's extremes (and for float32 NaN, infinities, -0) mixed in. */
    static byte[] data(DataType t, int n, Random r) {
        byte[] b = new byte[n * t.byteSize()];
        r.nextBytes(b);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        boolean specials = r.nextInt(4) == 0;
        for (int i = 0; i < n; i++) {
            boolean special = specials && r.nextInt(8) == 0;
            switch (t) {
                case FLOAT32 -> {
                    float[] sp = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, Float.MAX_VALUE, -Float.MAX_VALUE};
                    bb.putFloat(4 * i, special ? sp[r.nextInt(sp.length)] : (r.nextFloat() - 0.5f) * 16);
                }
                case INT8 -> { if (special) b[i] = (byte) (r.nextBoolean() ? -128 : 127); }
                case INT16 -> { if (special) bb.putShort(2 * i, r.nextBoolean() ? Short.MIN_VALUE : Short.MAX_VALUE); }
                case INT32 -> { if (special) bb.putInt(4 * i, r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE); }
                default -> { }
            }
        }
        return b;
    }

    static int count(int[] s) {
        int n = 1;
        for (int d : s) n *= d;
        return n;
    }

    // ---------------------------------------------------------------- ADD, SUB, MUL

    /** How the inputs' shapes relate to the output's. */
    enum Pattern { SAME, SCALAR_A, SCALAR_B, LAST_DIM_A, LAST_DIM_B, RANDOM }

    record ArithCase(String op, DataType type, Pattern pattern, int rank, int maxDim, int activation, long seed) {}

    @Provide
    Arbitrary<ArithCase> arithmetic() {
        return Combinators.combine(Arbitraries.of("ADD", "SUB", "MUL"),
                Arbitraries.of(DataType.INT8, DataType.INT8, DataType.INT16, DataType.FLOAT32, DataType.INT32),
                Arbitraries.of(Pattern.values()), Arbitraries.integers().between(1, 4), Arbitraries.of(1, 3, 8, 40),
                Arbitraries.of(0, 1, 2, 3), Arbitraries.longs()).as(ArithCase::new);
    }

    static CReference.Case buildArithmetic(ArithCase p) {
        Random r = new Random(p.seed());
        DataType t = p.type();
        int[] out = new int[p.rank()];
        for (int d = 0; d < out.length; d++) out[d] = 1 + r.nextInt(p.maxDim());
        while (count(out) > 50_000) { // at most 50,000 elements: halve the largest dimension
            int k = 0;
            for (int d = 1; d < out.length; d++) if (out[d] > out[k]) k = d;
            out[k] = (out[k] + 1) / 2;
        }
        int[] sa = out.clone(), sb = out.clone();
        int[] last = {out[out.length - 1]};
        switch (p.pattern()) {
            case SAME -> { }
            case SCALAR_A -> sa = r.nextBoolean() ? new int[] {1} : new int[0];
            case SCALAR_B -> sb = r.nextBoolean() ? new int[] {1} : new int[0];
            case LAST_DIM_A -> sa = last;
            case LAST_DIM_B -> sb = last;
            case RANDOM -> {
                for (int d = 0; d < out.length; d++) {
                    if (r.nextInt(3) == 0) sa[d] = 1;
                    if (r.nextInt(3) == 0) sb[d] = 1;
                }
            }
        }
        boolean quant = t == DataType.INT8 || t == DataType.INT16;
        // int16: zero points 0 (TFLM's int16 MUL and unbroadcast SUB require it); scales from tiny to large, equal sometimes
        float sA = scale(r), sB = r.nextInt(4) == 0 ? sA : scale(r), sO = r.nextInt(4) == 0 ? sA : scale(r);
        int zA = zp(t, r), zB = zp(t, r), zO = zp(t, r);
        int act = t == DataType.INT32 && !p.op().equals("MUL") ? 0 : p.activation();
        return new CReference.Case(p.op().toLowerCase() + "_" + t.lowerName(), p.op(), Map.of("activation", (double) act), CReference.list(
                new CReference.TensorSpec("input1", t, sa, quant ? CrossCheck.q(sA, zA) : null, data(t, count(sa), r)),
                new CReference.TensorSpec("input2", t, sb, quant ? CrossCheck.q(sB, zB) : null, data(t, count(sb), r)),
                new CReference.TensorSpec("output", t, out, quant ? CrossCheck.q(sO, zO) : null, null)));
    }

    private static float scale(Random r) { return (float) Math.pow(2, r.nextInt(14) - 10) * (1f + r.nextFloat()); }

    private static int zp(DataType t, Random r) {
        if (t != DataType.INT8) return 0;
        return new int[] {-128, 127, 0, r.nextInt(256) - 128}[r.nextInt(4)];
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void addSubMul(@ForAll("arithmetic") ArithCase p) {
        CReference.Case c = buildArithmetic(p);
        // int8 outputs of 4,096 elements and more take FastArithmetic's pair table
        Statistics.label("output").collect(p.type() + (count(c.tensors().get(2).shape()) >= 4096 ? " >= 4096 elements" : " < 4096 elements"));
        sameBytes(c);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void addSubMulBroadcastRanksToSix(@ForAll("broadcast") ElementwiseCrossCheckProperties.BroadcastParams p) {
        sameBytes(ElementwiseCrossCheckProperties.buildBroadcast(p));
    }

    /**
     * float32 ADD/SUB/MUL of same-shape inputs (FastArithmetic's chunked loop): lengths at and around its 1,024-value
     * chunk, every activation (the ReLUs' lower bound +0.0 takes the sign-correcting form), and data dense in zeros of
     * both signs, NaN, infinities and values on either side of the bounds (-1, 0, 1, 6), so that -0.0 + -0.0, -0.0 * x
     * and x - x meet each clamp.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void floatSameShape(@ForAll("floatOps") ArithCase p) {
        Random r = new Random(p.seed());
        int[] lengths = {1, 7, 8, 31, 1023, 1024, 1025, 2048, 2049, 3000, 1 + r.nextInt(5000)};
        int n = lengths[r.nextInt(lengths.length)];
        int[] shape = p.rank() == 1 ? new int[] {n} : new int[] {1, n};
        float[] sp = {-0f, 0f, -0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, 1f, -1f, 6f, -6f, 6.0000005f, 5.9999995f, 0.99999994f, -1.0000001f};
        int density = 1 + r.nextInt(4);
        byte[][] data = new byte[2][4 * n];
        for (byte[] d : data) {
            ByteBuffer bb = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                bb.putFloat(4 * i, r.nextInt(density) == 0 ? sp[r.nextInt(sp.length)] : (r.nextFloat() - 0.5f) * 16);
            }
        }
        CReference.Case c = new CReference.Case(p.op().toLowerCase() + "_float32", p.op(), Map.of("activation", (double) p.activation()),
                CReference.list(new CReference.TensorSpec("input1", DataType.FLOAT32, shape, null, data[0]),
                        new CReference.TensorSpec("input2", DataType.FLOAT32, shape.clone(), null, data[1]),
                        new CReference.TensorSpec("output", DataType.FLOAT32, shape.clone(), null, null)));
        Statistics.label("length").collect(n > 1024 ? "> 1024" : n == 1024 ? "1024" : "< 1024");
        sameBytes(c);
    }

    @Provide
    Arbitrary<ArithCase> floatOps() {
        return Combinators.combine(Arbitraries.of("ADD", "SUB", "MUL"), Arbitraries.of(1, 2), Arbitraries.of(0, 1, 2, 3),
                Arbitraries.longs()).as((op, rank, act, seed) -> new ArithCase(op, DataType.FLOAT32, Pattern.SAME, rank, 0, act, seed));
    }

    @Provide
    Arbitrary<ElementwiseCrossCheckProperties.BroadcastParams> broadcast() {
        return new ElementwiseCrossCheckProperties().broadcastParams().filter(p -> List.of("ADD", "SUB", "MUL").contains(p.op()));
    }

    // ---------------------------------------------------------------- AVERAGE_POOL_2D, MAX_POOL_2D

    @Provide
    Arbitrary<WindowedCrossCheckProperties.Params> pooling() {
        return Combinators.combine(Arbitraries.of("AVERAGE_POOL_2D", "MAX_POOL_2D"),
                Arbitraries.of(DataType.FLOAT32, DataType.INT8, DataType.INT8, DataType.INT16),
                Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 12), Arbitraries.of(1, 3, 8, 17, 64),
                Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 6), Arbitraries.longs())
                .as((op, t, h, w, d, kh, kw, seed) -> {
                    Random r = new Random(seed);
                    int zp = new int[] {-128, 127, 0, r.nextInt(256) - 128}[r.nextInt(4)];
                    float s = (float) Math.pow(2, r.nextInt(12) - 10) * 1.07f;
                    return new WindowedCrossCheckProperties.Params(op, t, h, w, d, 1, kh, kw, 1 + r.nextInt(3), 1, r.nextInt(2),
                            s, zp, s, zp, new int[] {0, 1, 2, 3}[r.nextInt(4)], r.nextLong());
                });
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void pooling(@ForAll("pooling") WindowedCrossCheckProperties.Params p) {
        CReference.Case c = WindowedCrossCheckProperties.build(p);
        if (c == null) return;
        if (p.type() == DataType.FLOAT32 && new Random(p.seed()).nextInt(3) == 0) {
            // float data with NaN, infinities and -0 in it (MAX_POOL's comparison and the clamps)
            CReference.TensorSpec in = c.tensors().get(0);
            c.tensors().set(0, new CReference.TensorSpec(in.name(), in.type(), in.shape(), in.quantization(),
                    data(DataType.FLOAT32, count(in.shape()), new Random(p.seed() + 1))));
        }
        sameBytes(c);
    }

    // ---------------------------------------------------------------- STRIDED_SLICE

    @Provide
    Arbitrary<DataMovementCrossCheckProperties.Params> stridedSlice() {
        return DataMovementCrossCheckProperties.params(List.of("STRIDED_SLICE"),
                List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.BOOL), 1, 4, 24);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void stridedSlice(@ForAll("stridedSlice") DataMovementCrossCheckProperties.Params p) {
        sameBytes(DataMovementCrossCheckProperties.buildStridedSlice(p));
    }

    // ---------------------------------------------------------------- LEAKY_RELU

    @Provide
    Arbitrary<ActivationCrossCheckProperties.Params> leakyRelu() {
        return new ActivationCrossCheckProperties().params().map(p -> new ActivationCrossCheckProperties.Params("LEAKY_RELU",
                p.quantized(), p.rows(), p.depth() * 3, p.scale(), p.zp(), p.outScale(), p.outZp(), p.param(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void leakyReluInt8AndFloat(@ForAll("leakyRelu") ActivationCrossCheckProperties.Params p) {
        sameBytes(ActivationCrossCheckProperties.build(p));
    }

    @Provide
    Arbitrary<ActivationCrossCheckProperties.Int16Params> leakyReluInt16() {
        return new ActivationCrossCheckProperties().int16Params().map(p -> new ActivationCrossCheckProperties.Int16Params("LEAKY_RELU",
                p.rows(), p.depth() * 3, p.scaleExp(), p.scaleMantissa(), p.zp(), p.outScale(), p.outZp(), p.param(), p.narrow(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void leakyReluInt16(@ForAll("leakyReluInt16") ActivationCrossCheckProperties.Int16Params p) {
        sameBytes(ActivationCrossCheckProperties.buildInt16(p));
    }

    // ---------------------------------------------------------------- SOFTMAX (int8 input)

    /** int8 SOFTMAX rows of 1 to 120 values: every difference from the row maximum, cut-offs (diffMin) from large beta x scale. */
    @Provide
    Arbitrary<ActivationCrossCheckProperties.Params> softmaxInt8() {
        return new ActivationCrossCheckProperties().params().map(p -> new ActivationCrossCheckProperties.Params("SOFTMAX",
                true, p.rows(), p.depth() * 3, p.scale(), p.zp(), p.outScale(), p.outZp(), p.param(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void softmaxInt8(@ForAll("softmaxInt8") ActivationCrossCheckProperties.Params p) {
        sameBytes(ActivationCrossCheckProperties.build(p));
    }

    /** int8 input, int16 output (zero point -32768, scale 1/65536). */
    @Provide
    Arbitrary<ActivationCrossCheckProperties.Int16Params> softmaxInt8ToInt16() {
        return new ActivationCrossCheckProperties().int16Params().map(p -> new ActivationCrossCheckProperties.Int16Params("SOFTMAX_INT8",
                p.rows(), p.depth() * 3, p.scaleExp(), p.scaleMantissa(), p.zp(), p.outScale(), p.outZp(), p.param(), p.narrow(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void softmaxInt8ToInt16(@ForAll("softmaxInt8ToInt16") ActivationCrossCheckProperties.Int16Params p) {
        sameBytes(ActivationCrossCheckProperties.buildInt16(p));
    }

    // ---------------------------------------------------------------- QUANTIZE, DEQUANTIZE

    @Provide
    Arbitrary<ActivationCrossCheckProperties.Params> quantize() {
        return new ActivationCrossCheckProperties().params().map(p -> new ActivationCrossCheckProperties.Params(
                (p.seed() & 1) == 0 ? "QUANTIZE" : "DEQUANTIZE", p.quantized(), p.rows(), p.depth() * 3, p.scale(), p.zp(),
                p.outScale(), p.outZp(), p.param(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void quantizeDequantize8Bit(@ForAll("quantize") ActivationCrossCheckProperties.Params p) {
        sameBytes(ActivationCrossCheckProperties.build(p));
    }

    @Provide
    Arbitrary<ActivationCrossCheckProperties.Int16Params> quantize16() {
        return new ActivationCrossCheckProperties().int16Params().map(p -> new ActivationCrossCheckProperties.Int16Params(
                (p.seed() & 1) == 0 ? "QUANTIZE" : "DEQUANTIZE", p.rows(), p.depth() * 3, p.scaleExp(), p.scaleMantissa(), p.zp(),
                p.outScale(), p.outZp(), p.param(), p.narrow(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void quantizeDequantize16And32Bit(@ForAll("quantize16") ActivationCrossCheckProperties.Int16Params p) {
        sameBytes(ActivationCrossCheckProperties.buildInt16(p));
    }

    // ---------------------------------------------------------------- PAD, PADV2

    @Provide
    Arbitrary<DataMovementCrossCheckProperties.Params> pad() {
        return DataMovementCrossCheckProperties.params(List.of("PAD", "PADV2"),
                List.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32), 1, 5, 9);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void padPadV2(@ForAll("pad") DataMovementCrossCheckProperties.Params p) {
        sameBytes(DataMovementCrossCheckProperties.buildPad(p));
    }
}
