package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
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
 * The streaming custom ops TFLM ships (CIRCULAR_BUFFER and the Signal library's SignalDelay, SignalFramer,
 * SignalStacker, SignalOverlapAdd, SignalIrfft) on small inputs whose results are worked out by hand, their state
 * across invokes and {@code reset()}, and their rejections. Their agreement with the real TFLM is in
 * TflmComparisonTest, with the C reference in the cross-check properties.
 */
class StreamingOpsTest {
    private static final int INT = FlexBufferBuilder.INT, BOOL = FlexBufferBuilder.BOOL;

    /** A one-op model; a null output type marks a variable int8 output (CIRCULAR_BUFFER's buffer). */
    private static Interpreter single(String custom, byte[] options, DataType inType, int[] inShape, Object[][] outputs) {
        ModelWriter b = new ModelWriter();
        Quantization q = new Quantization(new float[] {0.5f}, new long[] {-2}, 0);
        int in = b.addTensor("in", inType, inShape, inType == DataType.INT8 ? q : null);
        int[] out = new int[outputs.length];
        for (int i = 0; i < out.length; i++) {
            DataType t = (DataType) outputs[i][0];
            int[] shape = (int[]) outputs[i][1];
            out[i] = t == null ? b.addVariable("out" + i, DataType.INT8, shape, q) : b.addTensor("out" + i, t, shape, null);
        }
        b.addCustomOperator(custom, 1, new int[] {in}, out, options);
        b.setInputs(in).setOutputs(out);
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        return it;
    }

    private static Object[] out(DataType t, int... shape) { return new Object[] {t, shape}; }

    private static short[] shorts(Interpreter it, int output) {
        short[] s = new short[it.getOutputTensor(output).numElements()];
        it.getOutputTensor(output).copyTo(s);
        return s;
    }

    // ---- CIRCULAR_BUFFER ----

    private static Interpreter circular(byte[] options, int slots) {
        return single("CIRCULAR_BUFFER", options, DataType.INT8, new int[] {1, 1, 1, 2}, new Object[][] {out(null, 1, slots, 1, 2)});
    }

    @Test
    void circularBufferShiftsOneSlotPerInvokeFromItsZeroPoint() {
        Interpreter it = circular(FlexBufferBuilder.ints(new String[] {"cycles_max"}, 1), 3);
        byte[] buf = new byte[6];
        it.run(new byte[] {1, 2}, buf);
        assertArrayEquals(new byte[] {-2, -2, -2, -2, 1, 2}, buf);   // the variable starts at zero point -2
        it.run(new byte[] {3, 4}, buf);
        assertArrayEquals(new byte[] {-2, -2, 1, 2, 3, 4}, buf);
        it.run(new byte[] {5, 6}, buf);
        it.run(new byte[] {7, 8}, buf);
        assertArrayEquals(new byte[] {3, 4, 5, 6, 7, 8}, buf);
        assertTrue(it.lastInvokeCompleted());
        it.reset();
        it.run(new byte[] {9, 9}, buf);
        assertArrayEquals(new byte[] {-2, -2, -2, -2, 9, 9}, buf);
    }

    @Test
    void circularBufferWithPeriodTwoEndsEveryOtherInvokeEarly() {
        Interpreter it = circular(FlexBufferBuilder.ints(new String[] {"cycles_max"}, 2), 2);
        byte[] buf = new byte[4];
        it.run(new byte[] {1, 1}, buf);
        assertFalse(it.lastInvokeCompleted(), "first invoke: 2 -> 1, kTfLiteAbort");
        assertArrayEquals(new byte[] {-2, -2, 1, 1}, buf, "the buffer shifts before the op decides");
        it.run(new byte[] {2, 2}, buf);
        assertTrue(it.lastInvokeCompleted());
        it.run(new byte[] {3, 3}, buf);
        assertFalse(it.lastInvokeCompleted());
        it.reset();   // the count restarts at the period
        it.run(new byte[] {4, 4}, buf);
        assertFalse(it.lastInvokeCompleted());
    }

    @Test
    void circularBufferGuessesItsPeriodFromTheSlotsWithoutOptions() {
        // No cycles_max: 5, 13 or 25 slots run every invoke (TFLM's two streaming models), others every second one.
        Interpreter five = circular(new byte[0], 5);
        five.run(new byte[] {1, 1}, new byte[10]);
        assertTrue(five.lastInvokeCompleted());
        Interpreter three = circular(new byte[0], 3);
        three.run(new byte[] {1, 1}, new byte[6]);
        assertFalse(three.lastInvokeCompleted());
    }

    @Test
    void circularBufferRejectsWhatTflmRejects() {
        byte[] opts = FlexBufferBuilder.ints(new String[] {"cycles_max"}, 1);
        MinnowException e = assertThrows(MinnowException.class, () -> single("CIRCULAR_BUFFER", opts, DataType.INT8,
                new int[] {1, 2, 1, 2}, new Object[][] {out(null, 1, 3, 1, 2)}));
        assertTrue(e.getMessage().contains("must hold one slot"), e.getMessage());
        e = assertThrows(MinnowException.class, () -> single("CIRCULAR_BUFFER", opts, DataType.INT16,
                new int[] {1, 1, 1, 2}, new Object[][] {out(DataType.INT16, 1, 3, 1, 2)}));
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
        e = assertThrows(MinnowException.class, () -> single("CIRCULAR_BUFFER", FlexBufferBuilder.ints(new String[] {"period"}, 1),
                DataType.INT8, new int[] {1, 1, 1, 2}, new Object[][] {out(null, 1, 3, 1, 2)}));
        assertTrue(e.getMessage().contains("expected [cycles_max]"), e.getMessage());
    }

    // ---- SignalDelay ----

    @Test
    void delayShiftsEachRowByTheDelayAcrossInvokes() {
        Interpreter it = single("SignalDelay", FlexBufferBuilder.ints(new String[] {"delay_length"}, 3), DataType.INT16,
                new int[] {2, 2}, new Object[][] {out(DataType.INT16, 2, 2)});
        short[] o = new short[4];
        it.run(new short[] {1, 2, 10, 20}, o);
        assertArrayEquals(new short[] {0, 0, 0, 0}, o);
        it.run(new short[] {3, 4, 30, 40}, o);
        assertArrayEquals(new short[] {0, 1, 0, 10}, o);   // row 0 streams 0 0 0 1 2 3 4 ...
        it.run(new short[] {5, 6, 50, 60}, o);
        assertArrayEquals(new short[] {2, 3, 20, 30}, o);
        it.reset();
        it.run(new short[] {7, 8, 70, 80}, o);
        assertArrayEquals(new short[] {0, 0, 0, 0}, o);
    }

    // ---- SignalFramer ----

    private static Interpreter framer(int size, int step, boolean prefill, int inner) {
        byte[] opts = FlexBufferBuilder.map(4, new String[] {"frame_size", "frame_step", "prefill"},
                new long[] {size, step, prefill ? 1 : 0}, new int[] {INT, INT, BOOL});
        return single("SignalFramer", opts, DataType.INT16, new int[] {1, inner},
                new Object[][] {out(DataType.INT16, 1, inner / step, size), out(DataType.BOOL)});
    }

    @Test
    void framerCutsOverlappingFramesAndReportsWhetherAllWereComplete() {
        Interpreter it = framer(4, 2, true, 2);
        short[] frames = new short[4];
        byte[] valid = new byte[1];
        it.runForMultipleInputsOutputs(new Object[] {new short[] {1, 2}}, Map.of(0, frames, 1, valid));
        assertArrayEquals(new short[] {0, 0, 1, 2}, frames);   // prefilled with 4 - 2 zeros
        assertEquals(1, valid[0]);
        it.runForMultipleInputsOutputs(new Object[] {new short[] {3, 4}}, Map.of(0, frames, 1, valid));
        assertArrayEquals(new short[] {1, 2, 3, 4}, frames);

        Interpreter cold = framer(4, 2, false, 2);
        cold.runForMultipleInputsOutputs(new Object[] {new short[] {1, 2}}, Map.of(0, frames, 1, valid));
        assertEquals(0, valid[0], "without prefill the first frame is incomplete");
        assertArrayEquals(new short[] {0, 0, 0, 0}, frames, "and its slot is left as it was");
        cold.runForMultipleInputsOutputs(new Object[] {new short[] {3, 4}}, Map.of(0, frames, 1, valid));
        assertEquals(1, valid[0]);
        assertArrayEquals(new short[] {1, 2, 3, 4}, frames);
    }

    @Test
    void framerRejectsStepsThatDoNotDivideTheRows() {
        MinnowException e = assertThrows(MinnowException.class, () -> framer(4, 3, false, 4));
        assertTrue(e.getMessage().contains("not a whole number of frame_step 3"), e.getMessage());
        e = assertThrows(MinnowException.class, () -> framer(2, 4, true, 4));
        assertTrue(e.getMessage().contains("prefill needs frame_size 2 >= frame_step 4"), e.getMessage());
    }

    // ---- SignalStacker ----

    @Test
    void stackerRepeatsTheFirstFrameAsLeftContextAndStepsThroughTheRing() {
        byte[] opts = FlexBufferBuilder.ints(new String[] {"num_channels", "stacker_left_context", "stacker_right_context",
                "stacker_step"}, 2, 1, 1, 1);
        Interpreter it = single("SignalStacker", opts, DataType.INT16, new int[] {2},
                new Object[][] {out(DataType.INT16, 6), out(DataType.BOOL)});
        short[] o = new short[6];
        byte[] valid = new byte[1];
        it.runForMultipleInputsOutputs(new Object[] {new short[] {1, 2}}, Map.of(0, o, 1, valid));
        assertEquals(0, valid[0], "two of three frames: the first and its left-context copy");
        it.runForMultipleInputsOutputs(new Object[] {new short[] {3, 4}}, Map.of(0, o, 1, valid));
        assertEquals(1, valid[0]);
        assertArrayEquals(new short[] {1, 2, 1, 2, 3, 4}, o);
        it.runForMultipleInputsOutputs(new Object[] {new short[] {5, 6}}, Map.of(0, o, 1, valid));
        assertArrayEquals(new short[] {1, 2, 3, 4, 5, 6}, o);
        it.reset();
        it.runForMultipleInputsOutputs(new Object[] {new short[] {7, 8}}, Map.of(0, o, 1, valid));
        assertEquals(0, valid[0]);
    }

    // ---- SignalOverlapAdd ----

    @Test
    void overlapAddAccumulatesFramesAndSaturatesInt16() {
        Interpreter it = single("SignalOverlapAdd", FlexBufferBuilder.ints(new String[] {"T", "frame_step"}, 7, 2),
                DataType.INT16, new int[] {1, 4}, new Object[][] {out(DataType.INT16, 2)});
        short[] o = new short[2];
        it.run(new short[] {1, 2, 30000, 30000}, o);
        assertArrayEquals(new short[] {1, 2}, o);
        it.run(new short[] {30000, 10, 5, 5}, o);
        assertArrayEquals(new short[] {32767, 30010}, o);   // 30000 + 30000 saturates; 30000 + 10
        it.reset();
        it.run(new short[] {4, 4, 4, 4}, o);
        assertArrayEquals(new short[] {4, 4}, o);

        Interpreter f = single("SignalOverlapAdd", FlexBufferBuilder.ints(new String[] {"T", "frame_step"}, 0, 1),
                DataType.FLOAT32, new int[] {2, 2}, new Object[][] {out(DataType.FLOAT32, 2)});
        float[] fo = new float[2];
        f.run(new float[] {1.5f, 2f, 0.25f, 4f}, fo);
        assertArrayEquals(new float[] {1.5f, 2.25f}, fo);   // frame 1: 2 + 0.25 after the shift
    }

    // ---- SignalIrfft ----

    @Test
    void irfftOfASingleBinIsACosine() {
        // fft_length 8: bin 0 = 8 gives a constant 1 (float divides by 8); bin 2 = 8 gives cos(2 pi 2 n / 8) = 1 0 -1 0 ...
        Interpreter f = single("SignalIrfft", FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, 0, 8), DataType.FLOAT32,
                new int[] {10}, new Object[][] {out(DataType.FLOAT32, 8)});
        float[] o = new float[8];
        f.run(new float[] {8, 0, 0, 0, 0, 0, 0, 0, 0, 0}, o);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, o, 0f);
        f.run(new float[] {0, 0, 0, 0, 4, 0, 0, 0, 0, 0}, o);
        float[] expected = {1, 0, -1, 0, 1, 0, -1, 0};
        for (int i = 0; i < 8; i++) assertEquals(expected[i], o[i], 1e-6f, "sample " + i);
        // int16: the fold halves the bins and every stage of the 4-point complex FFT divides by its radix: 8192 / 8.
        Interpreter i16 = single("SignalIrfft", FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, 7, 8), DataType.INT16,
                new int[] {10}, new Object[][] {out(DataType.INT16, 8)});
        short[] s = new short[8];
        i16.run(new short[] {8192, 0, 0, 0, 0, 0, 0, 0, 0, 0}, s);
        for (short v : s) assertTrue(Math.abs(v - 1024) <= 1, "sample " + v);
    }

    @Test
    void irfftRejectsLengthsTflmsKissfftCrashesOn() {
        for (int n : new int[] {2, 14, 22}) {
            MinnowException e = assertThrows(MinnowException.class, () -> single("SignalIrfft",
                    FlexBufferBuilder.ints(new String[] {"T", "fft_length"}, 0, n), DataType.FLOAT32, new int[] {n + 2},
                    new Object[][] {out(DataType.FLOAT32, n)}));
            assertTrue(e.getMessage().contains("generic butterfly"), e.getMessage());
        }
    }
}
