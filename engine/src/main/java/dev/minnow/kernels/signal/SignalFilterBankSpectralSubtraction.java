package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * The Signal library's SignalFilterBankSpectralSubtraction (TFLM signal/src/filter_bank_spectral_subtraction.cc):
 * per channel, a low-pass noise estimate ({@code (signal << smoothing_bits) * smoothing + estimate *
 * one_minus_smoothing}, in unsigned 64 bits, shifted right by {@code spectral_subtraction_bits}; odd channels use the
 * alternate coefficients), subtracted from the signal but never below {@code min_signal_remaining} of it.
 * The estimate is state: it persists across invokes, starts at zero and returns to zero on
 * {@link PreparedOp#reset()} (TFLM's Reset). Outputs: the result and a copy of the estimate (uint32).
 */
public final class SignalFilterBankSpectralSubtraction implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap o = SignalSupport.options(node, "alternate_one_minus_smoothing", "alternate_smoothing", "clamping",
                "min_signal_remaining", "num_channels", "one_minus_smoothing", "smoothing", "smoothing_bits",
                "spectral_subtraction_bits");
        int altOneMinus = SignalSupport.intOption(node, o, "alternate_one_minus_smoothing");
        int altSmoothing = SignalSupport.intOption(node, o, "alternate_smoothing");
        boolean clamping = SignalSupport.boolOption(node, o, "clamping");
        int minRemaining = SignalSupport.intOption(node, o, "min_signal_remaining");
        int channels = SignalSupport.intOption(node, o, "num_channels");
        int oneMinus = SignalSupport.intOption(node, o, "one_minus_smoothing");
        int smoothing = SignalSupport.intOption(node, o, "smoothing");
        int smoothingBits = SignalSupport.intOption(node, o, "smoothing_bits");
        int bits = SignalSupport.intOption(node, o, "spectral_subtraction_bits");
        SignalSupport.counts(node, 1, 2);
        Tensor in = SignalSupport.input(node, 0, DataType.UINT32, 1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.UINT32, 1, "output");
        Tensor noiseOut = SignalSupport.output(node, 1, DataType.UINT32, 1, "noise estimate output");
        node.require(channels >= 0, "num_channels %d is negative", channels);
        node.require(smoothingBits >= 0 && smoothingBits < 32, "smoothing_bits %d outside 0..31", smoothingBits);
        node.require(bits >= 0 && bits < 64, "spectral_subtraction_bits %d outside 0..63", bits);
        for (Tensor t : new Tensor[] {in, out}) {
            node.require(t.numElements() >= channels, "%s has %d elements, num_channels is %d", t.name(), t.numElements(), channels);
        }
        // TFLM copies the noise output's size from the num_channels-long estimate.
        node.require(noiseOut.numElements() <= channels, "noise estimate output has %d elements, more than num_channels %d",
                noiseOut.numElements(), channels);
        int noiseCount = noiseOut.numElements();
        int[] estimate = new int[channels];   // TFLM's persistent noise estimate
        long evenSmoothing = smoothing & 0xFFFFFFFFL, evenOneMinus = oneMinus & 0xFFFFFFFFL;
        long oddSmoothing = altSmoothing & 0xFFFFFFFFL, oddOneMinus = altOneMinus & 0xFFFFFFFFL;
        long floorFactor = minRemaining & 0xFFFFFFFFL;
        return new PreparedOp() {
            @Override public void eval() {
                byte[] ia = in.array(), oa = out.array(), na = noiseOut.array();
                int io = in.offset(), oo = out.offset(), no = noiseOut.offset();
                for (int i = 0; i < channels; i++) {
                    boolean odd = (i & 1) != 0;
                    long s = odd ? oddSmoothing : evenSmoothing, oneMinusS = odd ? oddOneMinus : evenOneMinus;
                    int x = LittleEndian.getInt(ia, io + 4 * i);
                    int scaledUp = x << smoothingBits;
                    estimate[i] = (int) (((scaledUp & 0xFFFFFFFFL) * s + (estimate[i] & 0xFFFFFFFFL) * oneMinusS) >>> bits);
                    int estimateScaledUp = estimate[i];
                    if (Integer.compareUnsigned(estimateScaledUp, scaledUp) > 0) {
                        estimateScaledUp = scaledUp;
                        if (clamping) estimate[i] = estimateScaledUp;
                    }
                    int floor = (int) (((x & 0xFFFFFFFFL) * floorFactor) >>> bits);
                    int subtracted = (scaledUp - estimateScaledUp) >>> smoothingBits;
                    LittleEndian.putInt(oa, oo + 4 * i, Integer.compareUnsigned(subtracted, floor) > 0 ? subtracted : floor);
                }
                for (int i = 0; i < noiseCount; i++) LittleEndian.putInt(na, no + 4 * i, estimate[i]);
            }

            @Override public void reset() { Arrays.fill(estimate, 0); }
        };
    }
}
