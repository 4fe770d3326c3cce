package dev.minnow.kernels.signal;

import dev.minnow.math.SignalMath;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalFilterBankSquareRoot (TFLM signal/src/filter_bank_square_root.cc): the rounded square
 * root ({@link SignalMath#sqrt64}) of each uint64 channel energy, shifted right by the int32 scalar second input
 * (the FFT auto-scale bits), as uint32. No options.
 */
public final class SignalFilterBankSquareRoot implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        SignalSupport.counts(node, 2, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.UINT64, 1, "input");
        Tensor scaleBits = SignalSupport.input(node, 1, DataType.INT32, 0, "scale_bits input");
        Tensor out = SignalSupport.output(node, 0, DataType.UINT32, 1, "output");
        int n = in.dim(0);
        node.require(out.numElements() >= n, "output has %d elements, input %d", out.numElements(), n);
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            int shift = LittleEndian.getInt(scaleBits.array(), scaleBits.offset());
            if (shift < 0 || shift > 31) throw node.fail("scale bits %d outside 0..31", shift);
            for (int i = 0; i < n; i++) {
                LittleEndian.putInt(oa, oo + 4 * i, SignalMath.sqrt64(LittleEndian.getLong(ia, io + 8 * i)) >>> shift);
            }
        };
    }
}
