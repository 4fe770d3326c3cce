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

import java.util.HexFormat;

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
        Arbitrary<Integer> cells = Arbitraries.oneOf(Arbitraries.integers().between(1, 40), Arbitraries.of(4, 16, 20, 50, 65));
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
     * Float32 LSTMs only (1,000 of them): the float cell's passes (sigmoids, the two-pass tanhf without the Vector
     * API, VectorLibm's lanes with it) on cell counts around and past a vector's width.
     */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void floatSameBytesAsReference(@ForAll("wideFloat") LstmCrossCheckProperties.Params p) {
        CReference.Case c = LstmCrossCheckProperties.build("fast_lstm_f", p);
        assertEquals(run(c, false), run(c, true), "fast float LSTM differs from the reference: " + p);
    }

    @Provide
    Arbitrary<LstmCrossCheckProperties.Params> wideFloat() {
        return wide().filter(p -> p.act() == DataType.FLOAT32);
    }
}
