package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * LEAKY_RELU with fast int8 and int16 loops: same prepare ({@link LeakyRelu}'s), same bytes. An int8 output is a
 * function of the 256 input values, so prepare tabulates the reference's per-element arithmetic
 * ({@code LeakyRelu.QuantOp.apply}) and eval is one table load per element; int16 runs the same arithmetic per
 * element on little-endian shorts, without the reference's type switches. float32 keeps the reference loop.
 */
public final class FastLeakyRelu implements OpKernel {
    private final LeakyRelu reference = new LeakyRelu();

    /** Prepares as {@link LeakyRelu}, then picks the fast eval for int8/int16 when fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        PreparedOp ref = reference.prepare(node);
        if (!node.useFastKernels() || !(ref instanceof LeakyRelu.QuantOp q) || q.n() == 0) return ref;
        return q.t() == DataType.INT8 ? new Int8Table(q) : new Int16(q);
    }

    private static final class Int8Table implements PreparedOp {
        private final Tensor in, out;
        private final int n;
        private final byte[] table = new byte[256];

        Int8Table(LeakyRelu.QuantOp q) {
            in = q.in();
            out = q.out();
            n = q.n();
            for (int v = -128; v < 128; v++) table[v & 0xFF] = (byte) q.apply(v);
        }

        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array(), t = table;
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) oa[oo + i] = t[ia[io + i] & 0xFF];
        }
    }

    private static final class Int16 implements PreparedOp {
        private final LeakyRelu.QuantOp q;

        Int16(LeakyRelu.QuantOp q) { this.q = q; }

        @Override
        public void eval() {
            LeakyRelu.QuantOp q = this.q;
            byte[] ia = q.in().array(), oa = q.out().array();
            int io = q.in().offset(), oo = q.out().offset(), n = q.n();
            for (int i = 0; i < n; i++) LittleEndian.putShort(oa, oo + 2 * i, (short) q.apply(LittleEndian.getShort(ia, io + 2 * i)));
        }
    }
}
