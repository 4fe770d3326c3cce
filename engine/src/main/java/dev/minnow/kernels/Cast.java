package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.EnumSet;

/**
 * CAST as TFLM's kernel: {@code static_cast} from int8/int16/int32/uint32/float32/bool to int8/int16/int32/uint32/
 * float32, with x86-64 semantics where C leaves float-to-integer overflow undefined (cvttss2si, then truncation).
 */
public final class Cast implements OpKernel {
    private static final EnumSet<DataType> IN = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.UINT32, DataType.FLOAT32, DataType.BOOL);
    private static final EnumSet<DataType> OUT = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.UINT32, DataType.FLOAT32);

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType it = in.dataType(), ot = out.dataType();
        node.require(IN.contains(it), "Input type %s (%d) not supported.", it.name(), it.code());
        node.require(OUT.contains(ot), "Output type %s (%d) not supported.", ot.name(), ot.code());
        node.require(in.numElements() == out.numElements(), "input has %d elements, output %d", in.numElements(), out.numElements());
        int n = in.numElements();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                if (it == DataType.FLOAT32) {
                    float f = LittleEndian.getFloat(ia, io + 4 * i);
                    if (ot == DataType.FLOAT32) LittleEndian.putFloat(oa, oo + 4 * i, f);
                    else if (ot == DataType.UINT32) LittleEndian.putInt(oa, oo + 4 * i, (int) toInt64X86(f));
                    else write(ot, oa, oo, i, FixedPoint.toInt32X86(f));
                } else {
                    long v = switch (it) {
                        case INT8 -> ia[io + i];
                        case BOOL -> ia[io + i] != 0 ? 1 : 0;
                        case INT16 -> LittleEndian.getShort(ia, io + 2 * i);
                        case INT32 -> LittleEndian.getInt(ia, io + 4 * i);
                        default -> LittleEndian.getInt(ia, io + 4 * i) & 0xFFFFFFFFL; // UINT32
                    };
                    if (ot == DataType.FLOAT32) LittleEndian.putFloat(oa, oo + 4 * i, (float) v);
                    else write(ot, oa, oo, i, (int) v);
                }
            }
        };
    }

    private static void write(DataType t, byte[] a, int off, int i, int v) {
        switch (t) {
            case INT8 -> a[off + i] = (byte) v;
            case INT16 -> LittleEndian.putShort(a, off + 2 * i, (short) v);
            default -> LittleEndian.putInt(a, off + 4 * i, v); // INT32, UINT32
        }
    }

    /** cvttss2si with a 64-bit destination: truncation, INT64_MIN when out of range. */
    private static long toInt64X86(float f) {
        if (!(f >= -9.223372e18f && f < 9.223372e18f)) return Long.MIN_VALUE;
        return (long) f;
    }
}
