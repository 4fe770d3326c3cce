package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.EnumSet;

/**
 * MAXIMUM and MINIMUM as TFLM's kernel: element-wise on raw values with broadcasting (quantized inputs are compared
 * as stored, like TFLM); float32, int8, int16, int32, int64.
 */
public final class MinMax implements OpKernel {
    /** The selection: MAXIMUM or MINIMUM. */
    public enum Mode { MAXIMUM, MINIMUM }

    private final boolean max;

    /** A MAXIMUM or MINIMUM kernel. */
    public MinMax(Mode mode) { this.max = mode == Mode.MAXIMUM; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        // maximum_minimum.cc switches on the output type and reads both inputs as that type, checking nothing else:
        // a mismatched input runs on its raw bytes; one with narrower elements would be read past its end
        DataType t = out.dataType();
        node.require(EnumSet.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64).contains(t),
                "Type %s (%d) is not supported by Maximum/Minimum.", t.name(), t.code());
        node.require(a.dataType().byteSize() >= t.byteSize() && b.dataType().byteSize() >= t.byteSize(),
                "input types %s, %s are narrower than the output type %s that TFLM reads them as",
                a.dataType().name(), b.dataType().name(), t.name());
        int[] ma = Broadcast.indexMap(node, a, out), mb = Broadcast.indexMap(node, b, out);
        int n = out.numElements();
        return () -> {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                int ia = ma == null ? i : ma[i], ib = mb == null ? i : mb[i];
                switch (t) {
                    case FLOAT32 -> {
                        float x = LittleEndian.getFloat(aa, a.offset() + 4 * ia), y = LittleEndian.getFloat(ba, b.offset() + 4 * ib);
                        // TFLM's MaximumOp/MinimumOp: el1 > el2 ? el1 : el2 and el1 < el2 ? el1 : el2, so ties (0 vs -0)
                        // and NaNs yield the second input
                        LittleEndian.putFloat(oa, out.offset() + 4 * i, max ? (x > y ? x : y) : (x < y ? x : y));
                    }
                    case INT64 -> {
                        long x = LittleEndian.getLong(aa, a.offset() + 8 * ia), y = LittleEndian.getLong(ba, b.offset() + 8 * ib);
                        LittleEndian.putLong(oa, out.offset() + 8 * i, max ? Math.max(x, y) : Math.min(x, y));
                    }
                    default -> {
                        int x = ElementIO.get(t, aa, a.offset(), ia), y = ElementIO.get(t, ba, b.offset(), ib);
                        ElementIO.put(t, oa, out.offset(), i, max ? Math.max(x, y) : Math.min(x, y));
                    }
                }
            }
        };
    }
}
