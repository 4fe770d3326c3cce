package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A sequence of T steps fed in one invoke ends in the same hidden and cell state, and produces the same per-step
 * outputs, as T invokes of a one-step model with the same weights (state carried in the variable tensors).
 * Holds in both layouts and for any batch: every batch row has its own state.
 */
class UnidirectionalSequenceLstmProperties {
    @Property(tries = 60)
    void oneInvokeOfTStepsEqualsTInvokesOfOneStep(@ForAll @IntRange(min = 0, max = 2) int variant,
                                                   @ForAll boolean timeMajor,
                                                   @ForAll @IntRange(min = 1, max = 3) int batch,
                                                   @ForAll @IntRange(min = 1, max = 5) int steps,
                                                   @ForAll @IntRange(min = 1, max = 5) int inputDim,
                                                   @ForAll @IntRange(min = 1, max = 5) int stateDim,
                                                   @ForAll @IntRange(min = 0, max = 3) int clipChoice,
                                                   @ForAll long seed) {
        LstmModels.Variant v = LstmModels.Variant.values()[variant];
        float clip = clipChoice == 0 ? 0f : clipChoice * 0.7f;
        LstmModels.Built whole = LstmModels.build(v, seed, timeMajor, batch, steps, inputDim, stateDim, clip);
        LstmModels.Built single = LstmModels.build(v, seed, timeMajor, batch, 1, inputDim, stateDim, clip);
        Interpreter a = new Interpreter(whole.model());
        a.allocateTensors();
        Interpreter s = new Interpreter(single.model());
        s.allocateTensors();

        int elem = a.getInputTensor(0).numBytes() / (batch * steps * inputDim);
        byte[] input = new byte[a.getInputTensor(0).numBytes()];
        new Random(seed ^ 0x5DEECE66DL).nextBytes(input);
        if (v == LstmModels.Variant.FLOAT32) {
            for (int i = 0; i < input.length; i += 4) input[i + 3] = (byte) ((input[i + 3] & 0x80) | 0x3E); // |x| < 1
        }
        a.getInputTensor(0).copyFrom(input);
        a.invoke();
        byte[] out = a.getOutputTensor(0).toByteArray();

        int inRow = inputDim * elem, outRow = stateDim * elem;
        for (int t = 0; t < steps; t++) {
            byte[] stepIn = new byte[batch * inRow];
            for (int bIdx = 0; bIdx < batch; bIdx++) {
                int src = timeMajor ? (t * batch + bIdx) * inRow : (bIdx * steps + t) * inRow;
                System.arraycopy(input, src, stepIn, bIdx * inRow, inRow);
            }
            s.getInputTensor(0).copyFrom(stepIn);
            s.invoke();
            byte[] stepOut = s.getOutputTensor(0).toByteArray();
            for (int bIdx = 0; bIdx < batch; bIdx++) {
                int dst = timeMajor ? (t * batch + bIdx) * outRow : (bIdx * steps + t) * outRow;
                assertArrayEquals(Arrays.copyOfRange(out, dst, dst + outRow),
                        Arrays.copyOfRange(stepOut, bIdx * outRow, (bIdx + 1) * outRow), "step " + t + " batch " + bIdx);
            }
        }
        assertArrayEquals(a.getTensor(whole.hidden()).toByteArray(), s.getTensor(single.hidden()).toByteArray(), "hidden state");
        assertArrayEquals(a.getTensor(whole.cell()).toByteArray(), s.getTensor(single.cell()).toByteArray(), "cell state");
    }
}
