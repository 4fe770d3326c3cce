package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * BROADCAST_ARGS as TFLM's kernel: the broadcast shape of two rank-1 shape vectors (int32 or int64, both of the
 * output's type), computed from the back over the output's length, a missing entry counting as 1. TFLM works in C
 * {@code int}s (int64 entries truncated) and aborts (TFLITE_CHECK_EQ) on two entries that are neither equal nor 1:
 * known at allocation for constant shapes, at invoke otherwise.
 */
public final class BroadcastArgs implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor s1 = KernelUtil.requiredInput(node, 0), s2 = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = s1.dataType();
        node.require(t == DataType.INT32 || t == DataType.INT64, "shape1 type %s, expected INT32 or INT64", t.name());
        node.require(s2.dataType() == t, "shape1->type != shape2->type (%s != %s)", t.name(), s2.dataType().name());
        node.require(out.dataType() == t, "shape1->type != output->type (%s != %s)", t.name(), out.dataType().name());
        node.require(s1.rank() == 1, "NumDimensions(shape1) != 1 (%d)", s1.rank());
        node.require(s2.rank() == 1, "NumDimensions(shape2) != 1 (%d)", s2.rank());
        node.require(out.rank() == 1, "NumDimensions(output) != 1 (%d)", out.rank());
        int n = out.numElements(), n1 = s1.numElements(), n2 = s2.numElements();
        if (s1.isConstant() && s2.isConstant()) {
            for (int i = 0; i < n; i++) {
                int a = entry(s1, n1, i), b = entry(s2, n2, i);
                node.require(a == 1 || b == 1 || a == b,
                        "shape1[%d] == shape2[%d] was not true (%d vs %d counted from the back, neither is 1)", i, i, a, b);
            }
        }
        boolean wide = t == DataType.INT64;
        return () -> {
            byte[] oa = out.array();
            int oo = out.offset();
            for (int i = 0; i < n; i++) {
                int a = entry(s1, n1, i), b = entry(s2, n2, i);
                int v;
                if (a == 1) v = b;
                else if (b == 1) v = a;
                else if (a == b) v = a;
                else throw new KernelException("BROADCAST_ARGS: shapes " + a + " and " + b + " do not broadcast (entry "
                            + i + " from the back)");
                int at = n - 1 - i;
                if (wide) LittleEndian.putLong(oa, oo + 8 * at, v);
                else LittleEndian.putInt(oa, oo + 4 * at, v);
            }
        };
    }

    /** Entry {@code back} counted from the end of a shape vector of {@code count} entries, 1 past its start. */
    private static int entry(Tensor shape, int count, int back) {
        int forward = count - 1 - back;
        return forward < 0 ? 1 : (int) shape.getIntegral(forward);
    }
}
