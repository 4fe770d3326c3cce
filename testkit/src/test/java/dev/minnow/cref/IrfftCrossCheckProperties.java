package dev.minnow.cref;

import dev.minnow.math.fft.KissFft;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * SignalIrfft in int16, int32 and float32 for every FFT length 2 to 1024 that TFLM's kissfft runs (half of it a
 * product of 2, 3 and 5), 1 to 3 rows, input rows as long as the spectrum or longer, output rows as long as the
 * signal or longer, spectra of full-range, small or mixed magnitudes: the Java engine and the C reference (its own
 * kissfft-style FFT, twiddles from the C library's cos and sin) agree sample for sample.
 */
class IrfftCrossCheckProperties {

    record Params(DataType type, int half, int rows, int extraIn, int extraOut, int magnitude, long seed) {}

    @Provide
    Arbitrary<Params> params() {
        return Combinators.combine(Arbitraries.of(DataType.INT16, DataType.INT32, DataType.FLOAT32),
                        Arbitraries.integers().between(1, 512).filter(h -> !KissFft.crashesTflm(2 * h)),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as(Params::new);
    }

    static CReference.Case build(Params p) {
        Random r = new Random(p.seed());
        int nfft = 2 * p.half(), bins = p.half() + 1;
        int inLen = 2 * (bins + p.extraIn()), outLen = nfft + p.extraOut();
        int n = p.rows() * inLen;
        ByteBuffer in = ByteBuffer.allocate(n * p.type().byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            int shift = p.magnitude() == 1 ? 8 : p.magnitude() == 2 && r.nextBoolean() ? 16 : 0;
            switch (p.type()) {
                case INT16 -> in.putShort(2 * i, (short) (r.nextInt(65536) >> Math.min(shift, 15)));
                case INT32 -> in.putInt(4 * i, r.nextInt() >> shift);
                default -> in.putFloat(4 * i, (float) (r.nextGaussian() * Math.pow(10, 3 - shift / 4.0)));
            }
        }
        List<CReference.TensorSpec> ts = List.of(
                new CReference.TensorSpec("input", p.type(), new int[] {p.rows(), inLen}, null, in.array()),
                new CReference.TensorSpec("output", p.type(), new int[] {p.rows(), outLen}, null, null));
        return new CReference.Case("irfft_" + p.type().lowerName() + "_" + nfft, "SignalIrfft", Map.of("fft_length", (double) nfft), ts);
    }

    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void inverseRealFft(@ForAll("params") Params p) throws Exception {
        assertNull(CrossCheck.compare(build(p)));
    }
}
