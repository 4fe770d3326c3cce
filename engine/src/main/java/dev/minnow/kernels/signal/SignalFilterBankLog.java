package dev.minnow.kernels.signal;

import dev.minnow.math.SignalMath;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalFilterBankLog (TFLM signal/src/filter_bank_log.cc): each uint32 channel shifted left
 * by {@code input_correction_bits} (wrapping to 32 bits), then {@link SignalMath#log32} with {@code output_scale},
 * capped at 32767; channels of 0 or 1 give 0. Output int16. Custom options: {@code input_correction_bits},
 * {@code output_scale}.
 */
public final class SignalFilterBankLog implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "input_correction_bits", "output_scale");
        int correction = SignalSupport.intOption(node, opts, "input_correction_bits");
        int scale = SignalSupport.intOption(node, opts, "output_scale");
        SignalSupport.counts(node, 1, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.UINT32, 1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.INT16, 1, "output");
        node.require(correction >= 0 && correction < 32, "input_correction_bits %d outside 0..31", correction);
        int n = in.dim(0);
        node.require(out.numElements() >= n, "output has %d elements, input %d", out.numElements(), n);
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int scaled = LittleEndian.getInt(ia, io + 4 * i) << correction;
                short v = 0;
                if (Integer.compareUnsigned(scaled, 1) > 0) {
                    int log = SignalMath.log32(scaled, scale);
                    v = (short) (Integer.compareUnsigned(log, Short.MAX_VALUE) < 0 ? log : Short.MAX_VALUE);
                }
                LittleEndian.putShort(oa, oo + 2 * i, v);
            }
        };
    }
}
