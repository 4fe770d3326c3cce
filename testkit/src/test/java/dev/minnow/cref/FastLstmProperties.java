package dev.minnow.cref;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.LstmCases;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FastLstm against UnidirectionalSequenceLstm's reference loops, byte for byte: the Java-vs-C generator's LSTMs
 * (int8 and float32; batch- and time-major; state carried over 1 to 3 invokes; clipping; random scales and zero
 * points) with wider inputs and cells, so the stacked gate matrices run past a vector's width, on both the channel
 * blocks and (inputs of 256 and more) the row dot products of the Vector API path.
 */
class FastLstmProperties {

    private static String run(CReference.Case c, boolean fast) {
        return HexFormat.of().formatHex(LstmCases.runJava(c, new InterpreterOptions().setUseFastKernels(fast)));
    }

    @Provide
    Arbitrary<LstmCrossCheckProperties.Params> wide() {
        Arbitrary<Integer> inputs = Arbitraries.oneOf(Arbitraries.integers().between(1, 60), Arbitraries.of(16, 17, 28, 50, 255, 256, 300));
        Arbitrary<Integer> cells = Arbitraries.oneOf(Arbitraries.integers().between(1, 40), Arbitraries.of(4, 16, 20, 47, 48, 49, 50, 65));
        return Combinators.combine(new LstmCrossCheckProperties().params()
                        .filter(p -> p.variant() == LstmCrossCheckProperties.Variant.STANDARD && p.act() != DataType.INT16),
                inputs, cells).as((p, i, c) -> new LstmCrossCheckProperties.Params(p.act(), p.batch(), p.steps(), i, c,
                p.timeMajor(), p.invokes(), p.inScale(), p.inZp(), p.hScale(), p.hZp(), p.cellPower(), p.cellPow2(), p.clip(),
                p.freshState(), p.variant(), p.seed()));
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void sameBytesAsReference(@ForAll("wide") LstmCrossCheckProperties.Params p) {
        CReference.Case c = LstmCrossCheckProperties.build("fast_lstm", p);
        assertEquals(run(c, false), run(c, true), "fast LSTM differs from the reference: " + p);
    }

    /**
     * Int8 LSTMs only (1,000 of them): the int8 cell's passes (the four gates looked up into their own rows, the cell
     * update with the halving products and the clip as int masks when prepare proves the products' clamps no-ops, else
     * the clamped products; the cell's tanh looked up, then the hidden state) on cell counts around and past a
     * vector's width, with and without clipping and with power-of-two and other cell scales.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void int8SameBytesAsReference(@ForAll("wideInt8") LstmCrossCheckProperties.Params p) {
        CReference.Case c = LstmCrossCheckProperties.build("fast_lstm_i8", p);
        assertEquals(run(c, false), run(c, true), "fast int8 LSTM differs from the reference: " + p);
    }

    /**
     * Float32 LSTMs only (1,000 of them): the float cell's passes (sigmoids, the two-pass tanhf without the Vector
     * API, VectorLibm's lanes with it) on cell counts around and past a vector's width.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void floatSameBytesAsReference(@ForAll("wideFloat") LstmCrossCheckProperties.Params p) {
        CReference.Case c = LstmCrossCheckProperties.build("fast_lstm_f", p);
        assertEquals(run(c, false), run(c, true), "fast float LSTM differs from the reference: " + p);
    }

    /**
     * Float32 LSTMs (1,000 of them) whose inputs and initial cell state hold the float cell's edges: values that drive
     * the gates past the sigmoid's cut-offs (-9: expf itself; 16.619047: 1) and onto them, overflow a product to
     * infinity (the gate clamps), turn a gate NaN, and -0.0. NaNs are compared as NaN (Java leaves their payload to the
     * JIT).
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void floatEdgesSameBytesAsReference(@ForAll("wideFloat") LstmCrossCheckProperties.Params p, @ForAll long seed) {
        CReference.Case built = LstmCrossCheckProperties.build("fast_lstm_fe", p);
        Random r = new Random(seed);
        List<CReference.TensorSpec> tensors = new ArrayList<>();
        for (CReference.TensorSpec t : built.tensors()) {
            boolean edged = t.name().equals("input") || t.name().equals("cell_state");
            tensors.add(edged ? new CReference.TensorSpec(t.name(), t.type(), t.shape(), t.quantization(), edges(t.data().length / 4, r)) : t);
        }
        CReference.Case c = new CReference.Case(built.name(), built.op(), built.attrs(), tensors);
        InterpreterOptions ref = new InterpreterOptions().setUseFastKernels(false), fast = new InterpreterOptions().setUseFastKernels(true);
        assertEquals(nanAsNan(LstmCases.runJava(c, ref)), nanAsNan(LstmCases.runJava(c, fast)), "fast float LSTM differs from the reference: " + p);
    }

    private static final float[] EDGES = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE,
            -Float.MAX_VALUE, 1e20f, -1e20f, -0.0f, 0.0f, 9.0f, -9.0f, Math.nextDown(-9.0f), 16.619047164916992188f,
            -16.619047164916992188f, Math.nextUp(16.619047164916992188f), Math.nextDown(-16.619047164916992188f), 1e-30f};

    /** {@code n} little-endian floats: a third from {@link #EDGES}, the rest uniform in (-40, 40). */
    private static byte[] edges(int n, Random r) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putFloat(r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : (r.nextFloat() * 2 - 1) * 40);
        return b.array();
    }

    /** The floats of {@code bytes} as hex, every NaN as 7fc00000. */
    private static String nanAsNan(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder sb = new StringBuilder();
        while (b.remaining() >= 4) {
            float f = b.getFloat();
            sb.append(Integer.toHexString(Float.isNaN(f) ? 0x7fc00000 : Float.floatToRawIntBits(f))).append(' ');
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<LstmCrossCheckProperties.Params> wideInt8() {
        return wide().filter(p -> p.act() == DataType.INT8);
    }

    @Provide
    Arbitrary<LstmCrossCheckProperties.Params> wideFloat() {
        return wide().filter(p -> p.act() == DataType.FLOAT32);
    }
}
