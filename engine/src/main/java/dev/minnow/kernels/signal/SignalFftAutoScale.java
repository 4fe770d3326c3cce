package dev.minnow.kernels.signal;

import dev.minnow.math.SignalMath;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalFftAutoScale (TFLM signal/src/fft_auto_scale.cc): shifts a 1-D int16 signal left by
 * as many bits as its largest magnitude leaves free ({@code 15 - msb(max |x|)}, at least 0), and outputs that bit
 * count as an int32 scalar. The largest magnitude is tracked in an int16 as TFLM does, so -32768 wraps to itself
 * and later samples can replace it. No options.
 */
public final class SignalFftAutoScale implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        SignalSupport.counts(node, 1, 2);
        Tensor in = SignalSupport.input(node, 0, DataType.INT16, 1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.INT16, 1, "output");
        Tensor scaleBits = SignalSupport.output(node, 1, DataType.INT32, 0, "scale_bit output");
        int n = out.numElements();
        node.require(in.numElements() >= n, "input has %d elements, output %d", in.numElements(), n);
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            short max = 0;
            for (int i = 0; i < n; i++) {
                short v = LittleEndian.getShort(ia, io + 2 * i);
                if (v > max) max = v;
                else if (-v > max) max = (short) -v;
            }
            int bits = 16 - SignalMath.msb32(max) - 1;
            if (bits <= 0) bits = 0;
            for (int i = 0; i < n; i++) {
                LittleEndian.putShort(oa, oo + 2 * i, (short) (LittleEndian.getShort(ia, io + 2 * i) * (1 << bits)));
            }
            LittleEndian.putInt(scaleBits.array(), scaleBits.offset(), bits);
        };
    }
}
