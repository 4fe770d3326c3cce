package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalWindow (TFLM signal/micro/kernels/window.cc): every row of the int16 input, as long as
 * the 1-D int16 weights, multiplied element by element by the weights, shifted right arithmetically by the
 * {@code shift} option and saturated to int16. Custom options: {@code shift}.
 */
public final class SignalWindow implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "shift");
        int shift = SignalSupport.intOption(node, opts, "shift");
        SignalSupport.counts(node, 2, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.INT16, -1, "input");
        Tensor weights = SignalSupport.input(node, 1, DataType.INT16, 1, "weights");
        Tensor out = SignalSupport.output(node, 0, DataType.INT16, in.rank(), "output");
        node.require(shift >= 0 && shift < 32, "shift %d outside 0..31", shift);
        int size = in.numElements(), w = weights.numElements();
        node.require(w > 0 && size % w == 0, "input of %d elements is not a whole number of %d-element windows", size, w);
        node.require(out.numElements() >= size, "output has %d elements, input %d", out.numElements(), size);
        return () -> {
            byte[] ia = in.array(), wa = weights.array(), oa = out.array();
            int io = in.offset(), wo = weights.offset(), oo = out.offset();
            for (int row = 0; row < size; row += w) {
                for (int i = 0; i < w; i++) {
                    int raw = (LittleEndian.getShort(ia, io + 2 * (row + i)) * LittleEndian.getShort(wa, wo + 2 * i)) >> shift;
                    LittleEndian.putShort(oa, oo + 2 * (row + i), (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, raw)));
                }
            }
        };
    }
}
