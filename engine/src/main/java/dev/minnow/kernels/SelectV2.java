package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;
import dev.minnow.model.DataType;

import java.util.EnumSet;

/**
 * SELECT_V2 as TFLM's kernel: {@code condition ? x : y} element-wise with broadcasting; float32, int8, int16 (TFLM's
 * Eval fails on any other type, int32 included; minnow rejects them at allocation).
 */
public final class SelectV2 implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3 && node.outputCount() == 1, "needs 3 inputs and 1 output");
        Tensor c = KernelUtil.requiredInput(node, 0), x = KernelUtil.requiredInput(node, 1), y = KernelUtil.requiredInput(node, 2);
        Tensor out = node.output(0);
        node.require(c.dataType() == DataType.BOOL, "condition type %s, expected BOOL", c.dataType().name());
        DataType t = x.dataType();
        node.require(y.dataType() == t, "x type %s != y type %s", t.name(), y.dataType().name());
        node.require(EnumSet.of(DataType.FLOAT32, DataType.INT8, DataType.INT16).contains(t),
                "Does not support type other than int8|int16|float32, but got %s", t.name());
        node.require(out.dataType() == t, "output type %s != %s", out.dataType().name(), t.name());
        int[] mc = Broadcast.indexMap(node, c, out), mx = Broadcast.indexMap(node, x, out), my = Broadcast.indexMap(node, y, out);
        int n = out.numElements(), elem = t.byteSize();
        return () -> {
            byte[] ca = c.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                boolean cond = ca[c.offset() + (mc == null ? i : mc[i])] != 0;
                Tensor src = cond ? x : y;
                int[] m = cond ? mx : my;
                System.arraycopy(src.array(), src.offset() + elem * (m == null ? i : m[i]), oa, out.offset() + elem * i, elem);
            }
        };
    }
}
