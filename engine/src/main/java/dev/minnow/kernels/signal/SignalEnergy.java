package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalEnergy (TFLM signal/src/energy.cc): for the complex int16 spectrum (real, imaginary
 * pairs), {@code re*re + im*im} as uint32 for the bins {@code start_index <= i < end_index}; the other output
 * elements are left as they are, as TFLM leaves them. Custom options: {@code end_index}, {@code start_index}.
 */
public final class SignalEnergy implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "end_index", "start_index");
        int end = SignalSupport.intOption(node, opts, "end_index");
        int start = SignalSupport.intOption(node, opts, "start_index");
        SignalSupport.counts(node, 1, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.INT16, 1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.UINT32, 1, "output");
        int bins = Math.min(in.numElements() / 2, out.numElements());
        node.require(start >= 0 && start <= end && end <= bins,
                "bins start_index %d .. end_index %d must lie within the %d complex inputs and %d outputs",
                start, end, in.numElements() / 2, out.numElements());
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = start; i < end; i++) {
                int re = LittleEndian.getShort(ia, io + 4 * i), im = LittleEndian.getShort(ia, io + 4 * i + 2);
                LittleEndian.putInt(oa, oo + 4 * i, re * re + im * im);
            }
        };
    }
}
