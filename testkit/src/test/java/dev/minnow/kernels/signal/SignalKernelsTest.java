package dev.minnow.kernels.signal;

import dev.minnow.writer.LeArrays;
import dev.minnow.interpreter.BuiltinOpResolver;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.UnsupportedOpException;
import dev.minnow.math.SignalMath;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.KernelException;
import dev.minnow.testkit.FlexBufferBuilder;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edge behaviour of the Signal-library kernels that the audio preprocessor corpus does not reach (its inputs are real
 * speech), and their rejections of wrong types and malformed options. The corpus checks the ordinary arithmetic.
 */
class SignalKernelsTest {
    private static final byte[] NO_OPTIONS = new byte[0];

    /** A one-op model: inputs as given (type, shape), constant inputs null, then outputs. */
    private static Interpreter single(String custom, byte[] options, DataType[] inTypes, int[][] inShapes,
                                      DataType[] outTypes, int[][] outShapes) {
        ModelWriter b = new ModelWriter();
        int[] in = new int[inTypes.length], out = new int[outTypes.length];
        for (int i = 0; i < in.length; i++) in[i] = b.addTensor("in" + i, inTypes[i], inShapes[i], null);
        for (int i = 0; i < out.length; i++) out[i] = b.addTensor("out" + i, outTypes[i], outShapes[i], null);
        b.addCustomOperator(custom, 1, in, out, options);
        b.setInputs(in).setOutputs(out);
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        return interp;
    }

    private static Interpreter autoScale(int n) {
        return single("SignalFftAutoScale", NO_OPTIONS, new DataType[] {DataType.INT16}, new int[][] {{n}},
                new DataType[] {DataType.INT16, DataType.INT32}, new int[][] {{n}, {}});
    }

    private static int runAutoScale(short[] input, short[] output) {
        Interpreter i = autoScale(input.length);
        int[] bits = new int[1];
        i.runForMultipleInputsOutputs(new Object[] {input}, Map.of(0, output, 1, bits));
        return bits[0];
    }

    @Test
    void fftAutoScaleUsesTheFreeHeadroomAndNeverShiftsSilenceOrFullScale() {
        short[] out = new short[4];
        assertEquals(8, runAutoScale(new short[] {1, -3, 100, 0}, out));       // |100| has 7 bits: 15 - 7 free
        assertArrayEquals(new short[] {256, -768, 25600, 0}, out);
        assertEquals(0, runAutoScale(new short[] {0, 0, 0, 0}, out));          // msb(0) is 32 in TFLM's build
        assertEquals(0, runAutoScale(new short[] {-32767, 1, 2, 3}, out));
    }

    /**
     * TFLM tracks the largest magnitude in an int16: -(-32768) wraps back to -32768, which every later sample then
     * beats, so a full-scale negative sample followed by small ones is shifted (and wraps) like a quiet signal.
     */
    @Test
    void fftAutoScaleKeepsTflmsInt16MaximumWraparound() {
        short[] out = new short[2];
        assertEquals(12, runAutoScale(new short[] {-32768, 5}, out));
        assertArrayEquals(new short[] {0, 20480}, out);
        short[] one = new short[1];
        assertEquals(0, runAutoScale(new short[] {-32768}, one));              // msb(0xFFFF8000) = 32
        assertArrayEquals(new short[] {-32768}, one);
    }

    @Test
    void windowShiftsArithmeticallyAndSaturates() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.INT16, new int[] {2, 4}, null);
        byte[] w = new byte[8];
        short[] weights = {32767, -32768, 4096, 1};
        for (int i = 0; i < 4; i++) { w[2 * i] = (byte) weights[i]; w[2 * i + 1] = (byte) (weights[i] >> 8); }
        int wt = b.addConstant("w", DataType.INT16, new int[] {4}, null, w);
        int o = b.addTensor("o", DataType.INT16, new int[] {2, 4}, null);
        b.addCustomOperator("SignalWindow", 1, new int[] {x, wt}, new int[] {o},
                FlexBufferBuilder.ints(new String[] {"shift"}, 12));
        b.setInputs(x).setOutputs(o);
        Interpreter i = new Interpreter(Model.load(b.build()));
        short[] out = new short[8];
        i.run(new short[] {32767, 32767, -3, -1, -32768, -32768, 4095, 0}, out);
        assertArrayEquals(new short[] {32767, -32768, -3, -1, -32768, 32767, 4095, 0}, out);
    }

    private static Interpreter spectralSubtraction(int channels) {
        byte[] options = FlexBufferBuilder.ints(new String[] {"alternate_one_minus_smoothing", "alternate_smoothing",
                "clamping", "min_signal_remaining", "num_channels", "one_minus_smoothing", "smoothing", "smoothing_bits",
                "spectral_subtraction_bits"}, 15729, 655, 0, 819, channels, 15729, 655, 10, 14);
        return single("SignalFilterBankSpectralSubtraction", options, new DataType[] {DataType.UINT32},
                new int[][] {{channels}}, new DataType[] {DataType.UINT32, DataType.UINT32}, new int[][] {{channels}, {channels}});
    }

    private static int[][] invoke(Interpreter i, int[] input) {
        int[] out = new int[input.length], noise = new int[input.length];
        i.getInputTensor(0).copyFrom(LeArrays.ints(input));
        i.invoke();
        byte[] o = i.getOutputTensor(0).toByteArray(), n = i.getOutputTensor(1).toByteArray();
        java.nio.ByteBuffer.wrap(o).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        java.nio.ByteBuffer.wrap(n).order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(noise);
        return new int[][] {out, noise};
    }

    /** The noise estimate is kernel state: it carries from invoke to invoke, and Interpreter.reset() zeroes it. */
    @Test
    void spectralSubtractionNoiseEstimatePersistsAcrossInvokesAndResetClearsIt() {
        Interpreter i = spectralSubtraction(3);
        int[] signal = {1000, 50000, 7};
        int[][] first = invoke(i, signal);
        int[][] second = invoke(i, signal);
        assertFalse(java.util.Arrays.equals(first[1], second[1]), "the estimate grows while the signal stays");
        assertTrue(Integer.compareUnsigned(second[1][1], first[1][1]) > 0);
        i.resetVariableTensors();                                   // only tensors: the kernel's estimate stays
        assertFalse(java.util.Arrays.equals(first[1], invoke(i, signal)[1]));
        i.reset();                                                  // TFLM's Reset(): the estimate starts again
        int[][] afterReset = invoke(i, signal);
        assertArrayEquals(first[0], afterReset[0]);
        assertArrayEquals(first[1], afterReset[1]);
        // A fresh interpreter starts from zero as well.
        assertArrayEquals(first[1], invoke(spectralSubtraction(3), signal)[1]);
    }

    /** TFLM copies the noise output's size out of the num_channels-long estimate: shorter is fine, longer is not. */
    @Test
    void spectralSubtractionNoiseOutputMayNotExceedTheChannels() {
        byte[] options = FlexBufferBuilder.ints(new String[] {"alternate_one_minus_smoothing", "alternate_smoothing",
                "clamping", "min_signal_remaining", "num_channels", "one_minus_smoothing", "smoothing", "smoothing_bits",
                "spectral_subtraction_bits"}, 15729, 655, 1, 819, 3, 15729, 655, 10, 14);
        DataType[] in = {DataType.UINT32};
        DataType[] out = {DataType.UINT32, DataType.UINT32};
        single("SignalFilterBankSpectralSubtraction", options, in, new int[][] {{4}}, out, new int[][] {{3}, {2}});
        KernelException e = assertThrows(KernelException.class, () -> single("SignalFilterBankSpectralSubtraction",
                options, in, new int[][] {{3}}, out, new int[][] {{3}, {4}}));
        assertTrue(e.getMessage().contains("noise estimate output has 4 elements, more than num_channels 3"), e.getMessage());
    }

    @Test
    void squareRootsRoundAndSaturateAsTflms() {
        assertEquals(32, SignalMath.msb32(0));
        assertEquals(0, SignalMath.sqrt32(0));
        assertEquals(2, SignalMath.sqrt32(3));                      // 1.73 rounds up
        assertEquals(65535, SignalMath.sqrt32(-1));                 // 65535.99998: rounding would overflow 16 bits
        assertEquals(65536, SignalMath.sqrt64(1L << 32));
        assertEquals(0xFFFFFFFF, SignalMath.sqrt64(-1L));           // 2^32 - 1, not rounded past 32 bits
    }

    @Test
    void wrongTypesAreRejectedNamingTheTensor() {
        KernelException e = assertThrows(KernelException.class, () -> single("SignalFftAutoScale", NO_OPTIONS,
                new DataType[] {DataType.INT8}, new int[][] {{4}}, new DataType[] {DataType.INT16, DataType.INT32},
                new int[][] {{4}, {}}));
        assertTrue(e.getMessage().contains("CUSTOM:SignalFftAutoScale") && e.getMessage().contains("input type int8 != int16"),
                e.getMessage());
        e = assertThrows(KernelException.class, () -> single("SignalFilterBankLog",
                FlexBufferBuilder.ints(new String[] {"input_correction_bits", "output_scale"}, 3, 64),
                new DataType[] {DataType.INT32}, new int[][] {{4}}, new DataType[] {DataType.INT16}, new int[][] {{4}}));
        assertTrue(e.getMessage().contains("input type int32 != uint32"), e.getMessage());
    }

    @Test
    void malformedOrMismatchedOptionsAreRejectedNamingTheProblem() {
        DataType[] in = {DataType.INT16};
        int[][] shape = {{8}};
        DataType[] out = {DataType.UINT32};
        int[][] outShape = {{4}};
        KernelException e = assertThrows(KernelException.class,
                () -> single("SignalEnergy", new byte[] {1, 4, 1}, in, shape, out, outShape));
        assertTrue(e.getMessage().contains("CUSTOM:SignalEnergy") && e.getMessage().contains("custom options: root is a"),
                e.getMessage());
        e = assertThrows(KernelException.class, () -> single("SignalEnergy", NO_OPTIONS, in, shape, out, outShape));
        assertTrue(e.getMessage().contains("too short"), e.getMessage());
        e = assertThrows(KernelException.class, () -> single("SignalEnergy",
                FlexBufferBuilder.ints(new String[] {"end_index"}, 3), in, shape, out, outShape));
        assertTrue(e.getMessage().contains("keys [end_index], expected [end_index, start_index]"), e.getMessage());
        e = assertThrows(KernelException.class, () -> single("SignalEnergy",
                FlexBufferBuilder.ints(new String[] {"end_index", "start_index"}, 5, 0), in, shape, out, outShape));
        assertTrue(e.getMessage().contains("end_index 5 must lie within the 4 complex inputs"), e.getMessage());

        DataType[] i16 = {DataType.INT16};
        e = assertThrows(KernelException.class, () -> single("SignalRfft",
                FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, 9, 8), new DataType[] {DataType.INT8},
                shape, new DataType[] {DataType.INT8}, new int[][] {{10}}));
        assertTrue(e.getMessage().contains("option T = 9 is not a type TFLM's rfft supports"), e.getMessage());
        e = assertThrows(KernelException.class, () -> single("SignalRfft",
                FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, 7, 7), i16, new int[][] {{7}}, i16, new int[][] {{8}}));
        assertTrue(e.getMessage().contains("fft_length 7 must be even"), e.getMessage());
    }

    private static Interpreter rfft(DataType t, int fftLength, int inputLength) {
        return single("SignalRfft", FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, t.code(), fftLength),
                new DataType[] {t}, new int[][] {{inputLength}}, new DataType[] {t}, new int[][] {{fftLength + 2}});
    }

    /**
     * The three kissfft builds TFLM runs: float32 gives the plain DFT, the fixed-point ones divide by the FFT length
     * on the way (one radix per stage); input shorter than fft_length is zero-padded.
     */
    @Test
    void rfftVariantsTransformZeroPaddedRows() {
        Interpreter f = rfft(DataType.FLOAT32, 8, 6);
        float[] spectrum = new float[10];
        f.run(new float[] {1, 1, 1, 1, 1, 1}, spectrum);
        assertEquals(6f, spectrum[0]);                               // DC: the sum
        assertEquals(0f, spectrum[1]);
        assertEquals(0f, spectrum[8]);                               // Nyquist: 1-1+1-1+1-1
        f.run(new float[] {1, 0, 0, 0, 0, 0}, spectrum);
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0, 1, 0, 1, 0}, spectrum, 0f);   // an impulse: every bin 1 (some -0)

        Interpreter i32 = rfft(DataType.INT32, 8, 8);
        int[] wide = new int[10];
        i32.run(new int[] {1 << 30, 0, 0, 0, 0, 0, 0, 0}, wide);
        for (int k = 0; k < 5; k++) {
            assertTrue(Math.abs(wide[2 * k] - (1 << 27)) <= 2, "bin " + k + ": " + wide[2 * k]);   // 2^30 / 8
            assertTrue(Math.abs(wide[2 * k + 1]) <= 2, "bin " + k + " imaginary: " + wide[2 * k + 1]);
        }
        Interpreter i16 = rfft(DataType.INT16, 8, 8);
        short[] narrow = new short[10];
        i16.run(new short[] {16384, 0, 0, 0, 0, 0, 0, 0}, narrow);
        for (int k = 0; k < 5; k++) assertTrue(Math.abs(narrow[2 * k] - 2048) <= 2, "bin " + k + ": " + narrow[2 * k]);
    }

    @Test
    void customOpsResolveByCodeAndUnknownOnesStayUnsupported() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.INT16, new int[] {4}, null);
        int o = b.addTensor("o", DataType.INT16, new int[] {4}, null);
        int s = b.addTensor("s", DataType.INT32, new int[] {}, null);
        b.addCustomOperator("SignalFftAutoScale", 1, new int[] {x}, new int[] {o, s}, NO_OPTIONS);
        b.setInputs(x).setOutputs(o, s);
        Model model = Model.load(b.build());
        assertThrows(UnsupportedOpException.class,
                () -> new Interpreter(model, new InterpreterOptions().setOpResolver(BuiltinOpResolver.empty())).allocateTensors());
        new Interpreter(model, new InterpreterOptions().setOpResolver(BuiltinOpResolver.empty().addCustom("SignalFftAutoScale")))
                .allocateTensors();
        assertThrows(IllegalArgumentException.class, () -> BuiltinOpResolver.empty().addCustom("SignalNoSuchOp"));

        ModelWriter u = new ModelWriter();
        int ux = u.addTensor("x", DataType.INT16, new int[] {4}, null);
        int uo = u.addTensor("o", DataType.INT16, new int[] {4}, null);
        u.addCustomOperator("SignalNoSuchOp", 1, new int[] {ux}, new int[] {uo}, NO_OPTIONS);
        u.setInputs(ux).setOutputs(uo);
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class,
                () -> new Interpreter(Model.load(u.build())).allocateTensors());
        assertTrue(e.getMessage().contains("CUSTOM:SignalNoSuchOp"), e.getMessage());
    }
}
