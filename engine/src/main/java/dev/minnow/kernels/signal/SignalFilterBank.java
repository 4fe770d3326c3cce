package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalFilterBank (TFLM signal/src/filter_bank.cc): triangular mel filters over a uint32
 * power spectrum. Channel i (of {@code num_channels + 1}; channel 0 is scratch and dropped) sums
 * {@code weights[ws + j] * input[fs + j]} over its width, plus the previous channel's {@code unweights} sum, in
 * unsigned 64-bit arithmetic (the int16 weights sign-extended, as C converts them). Inputs: spectrum (uint32),
 * weights, unweights, channel frequency starts, channel weight starts, channel widths (int16, 1-D each).
 * Custom options: {@code num_channels}. Output: uint64.
 */
public final class SignalFilterBank implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "num_channels");
        int channels = SignalSupport.intOption(node, opts, "num_channels");
        SignalSupport.counts(node, 6, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.UINT32, 1, "input");
        Tensor weights = SignalSupport.input(node, 1, DataType.INT16, 1, "weights");
        Tensor unweights = SignalSupport.input(node, 2, DataType.INT16, 1, "unweights");
        Tensor freqStarts = SignalSupport.input(node, 3, DataType.INT16, 1, "channel frequency starts");
        Tensor weightStarts = SignalSupport.input(node, 4, DataType.INT16, 1, "channel weight starts");
        Tensor widths = SignalSupport.input(node, 5, DataType.INT16, 1, "channel widths");
        Tensor out = SignalSupport.output(node, 0, DataType.UINT64, 1, "output");
        node.require(channels >= 0, "num_channels %d is negative", channels);
        for (Tensor t : new Tensor[] {freqStarts, weightStarts, widths}) {
            node.require(t.numElements() >= (long) channels + 1, "%s has %d elements, num_channels %d needs %d",
                    t.name(), t.numElements(), channels, (long) channels + 1);
        }
        node.require(out.numElements() <= channels, "output has %d elements, more than num_channels %d", out.numElements(), channels);
        boolean constantTables = weights.isConstant() && unweights.isConstant() && freqStarts.isConstant()
                && weightStarts.isConstant() && widths.isConstant();
        if (constantTables) checkRanges(node, in, weights, unweights, freqStarts, weightStarts, widths, channels);
        long[] acc = new long[channels + 1];   // TFLM's persistent work area
        int outCount = out.numElements();
        return () -> {
            if (!constantTables) checkRanges(node, in, weights, unweights, freqStarts, weightStarts, widths, channels);
            byte[] ia = in.array(), wa = weights.array(), ua = unweights.array();
            byte[] fa = freqStarts.array(), sa = weightStarts.array(), da = widths.array();
            int io = in.offset(), wo = weights.offset(), uo = unweights.offset();
            int fo = freqStarts.offset(), so = weightStarts.offset(), dof = widths.offset();
            long weighted = 0, unweighted = 0;
            for (int c = 0; c <= channels; c++) {
                int freqStart = LittleEndian.getShort(fa, fo + 2 * c);
                int weightStart = LittleEndian.getShort(sa, so + 2 * c);
                int width = LittleEndian.getShort(da, dof + 2 * c);
                for (int j = 0; j < width; j++) {
                    long x = LittleEndian.getInt(ia, io + 4 * (freqStart + j)) & 0xFFFFFFFFL;
                    weighted += LittleEndian.getShort(wa, wo + 2 * (weightStart + j)) * x;
                    unweighted += LittleEndian.getShort(ua, uo + 2 * (weightStart + j)) * x;
                }
                acc[c] = weighted;
                weighted = unweighted;
                unweighted = 0;
            }
            byte[] oa = out.array();
            for (int c = 0; c < outCount; c++) LittleEndian.putLong(oa, out.offset() + 8 * c, acc[c + 1]);
        };
    }

    /** Every channel's band must lie inside the spectrum and the weight tables (TFLM reads past them otherwise). */
    private static void checkRanges(NodeContext node, Tensor in, Tensor weights, Tensor unweights, Tensor freqStarts,
                                    Tensor weightStarts, Tensor widths, int channels) {
        int weightCount = Math.min(weights.numElements(), unweights.numElements());
        for (int c = 0; c <= channels; c++) {
            int fs = freqStarts.getShort(c), ws = weightStarts.getShort(c), w = widths.getShort(c);
            if (w <= 0) continue;
            if (fs < 0 || fs + w > in.numElements() || ws < 0 || ws + w > weightCount) {
                throw node.fail("channel %d (frequency start %d, weight start %d, width %d) reaches outside the %d-bin "
                        + "spectrum or the %d weights", c, fs, ws, w, in.numElements(), weightCount);
            }
        }
    }
}
