package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * SOFTMAX with a fast int8-input loop (int8 or int16 output): same prepare ({@link Softmax}'s), same bytes. An int8
 * input's difference from its row's maximum is one of 256 values (-255 to 0), so prepare tabulates the reference's
 * fixed-point exp of each ({@link Softmax.Int8Softmax#exp}: a multiply by the input multiplier, a polynomial and five
 * barrel steps) and its term of the row sum; eval looks both up and keeps only the per-row reciprocal and the
 * per-output multiply and shift. A difference below the reference's cut-off ({@code diffMin}) is tabulated as exp 0:
 * it adds 0 to the sum and its output is {@code roundingDivideByPOT(mul(s, 0), e) + min = min}, the minimum the
 * reference writes for it. float32 and int16 inputs keep the reference loops.
 */
public final class FastSoftmax implements OpKernel {
    private final Softmax reference = new Softmax();

    /** The heap the two tables take (two int arrays of 256 with their headers). */
    static final long TABLE_BYTES = 2 * (16 + 4L * 256);

    /** Prepares as {@link Softmax}, then picks the table loop for int8 input when fast kernels are on and the heap allows. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        PreparedOp ref = reference.prepare(node);
        if (!node.useFastKernels() || !(ref instanceof Softmax.Int8Softmax s) || s.outer() == 0) return ref;
        if (!KernelUtil.tryReserveHeap(node, TABLE_BYTES, "the int8 softmax's exp tables")) return ref;
        return new Int8Table(s);
    }

    private static final class Int8Table implements PreparedOp {
        private final Tensor in, out;
        private final int outer, depth, outMin, outMax, outBits;
        private final boolean out16;
        /** By {@code -diff}: the reference's exp (0 below diffMin) and its term of the row sum. */
        private final int[] exp = new int[256], term = new int[256];
        private final int[] bits;

        Int8Table(Softmax.Int8Softmax s) {
            in = s.in();
            out = s.out();
            outer = s.outer();
            depth = s.depth();
            bits = s.bits();
            out16 = out.dataType() == DataType.INT16;
            outMin = out16 ? -32768 : -128;
            outMax = out16 ? 32767 : 127;
            outBits = out16 ? 16 : 8;
            for (int k = 0; k < 256; k++) {
                int e = -k >= s.diffMin() ? s.exp(-k) : 0;
                exp[k] = e;
                term[k] = Softmax.Int8Softmax.term(e);
            }
        }

        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), n = depth, lo = outMin, hi = outMax;
            int[] ex = exp, te = term;
            for (int i = 0; i < outer; i++) {
                int row = io + i * n;
                int max = -128;
                for (int c = 0; c < n; c++) max = Math.max(max, ia[row + c]);
                int sum = 0;
                for (int c = 0; c < n; c++) sum += te[max - ia[row + c]];
                int shiftedScale = FixedPoint.getReciprocal(sum, Softmax.ACCUMULATION_INTEGER_BITS, bits);
                int exponent = bits[0] + 31 - outBits;
                for (int c = 0; c < n; c++) {
                    int v = Math.max(Math.min(Softmax.Int8Softmax.unsaturated(shiftedScale, ex[max - ia[row + c]], exponent) + lo, hi), lo);
                    if (out16) LittleEndian.putShort(oa, oo + 2 * (i * n + c), (short) v);
                    else oa[oo + i * n + c] = (byte) v;
                }
            }
        }
    }
}
