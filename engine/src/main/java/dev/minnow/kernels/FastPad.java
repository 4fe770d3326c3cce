package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * PAD and PADV2 with the layout planned at prepare: same checks ({@link Pad}'s prepare), same bytes. The reference
 * fills the whole output with the pad value element by element and then copies the input rows over it; here prepare
 * merges the rows into runs of contiguous output bytes and eval copies each run once and fills only the gaps between
 * them (with {@code Arrays.fill} when the pad value's bytes are all equal, the common zero). Negative paddings keep
 * the reference's PadImpl walk.
 */
public final class FastPad implements OpKernel {
    private final Pad reference = new Pad();

    /** Prepares as {@link Pad}, then picks the fast eval when fast kernels are on and no padding is negative. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        PreparedOp ref = reference.prepare(node);
        if (!node.useFastKernels()) return ref;
        Tensor in = node.input(0), paddings = node.input(1), out = node.output(0);
        Tensor constant = node.inputCount() == 3 ? node.input(2) : null;
        int rank = out.rank();
        int[] before = new int[rank];
        for (int d = 0; d < rank; d++) {
            before[d] = paddings.getInt(2 * d);
            if (before[d] < 0 || paddings.getInt(2 * d + 1) < 0) return ref;
        }
        if (out.numElements() == 0) return ref;
        int elem = in.dataType().byteSize();
        int inner = rank == 0 ? 1 : in.dim(rank - 1);
        int rows = inner == 0 ? 0 : in.numElements() / inner;
        int[] outStrides = new int[rank];
        for (int d = 0; d < rank; d++) {
            int s = 1;
            for (int k = d + 1; k < rank; k++) s *= out.dim(k);
            outStrides[d] = s;
        }
        // Output element index of each input row (TFLM's layout: the row's coordinates plus the leading pads).
        int[] rowStart = new int[rows];
        int runs = 0;
        for (int r = 0; r < rows; r++) {
            int rem = r, outIndex = rank == 0 ? 0 : before[rank - 1];
            for (int d = rank - 2; d >= 0; d--) {
                int c = rem % in.dim(d);
                rem /= in.dim(d);
                outIndex += (c + before[d]) * outStrides[d];
            }
            rowStart[r] = outIndex;
            if (r == 0 || outIndex != rowStart[r - 1] + inner) runs++;
        }
        if (!KernelUtil.tryReserveHeap(node, 16L * runs + 8, "the copy and fill runs of " + runs + " output rows")) return ref;
        int[] src = new int[runs], dst = new int[runs], len = new int[runs];
        int k = -1;
        for (int r = 0; r < rows; r++) {
            if (r == 0 || rowStart[r] != rowStart[r - 1] + inner) {
                k++;
                src[k] = r * inner * elem;
                dst[k] = rowStart[r] * elem;
            }
            len[k] += inner * elem;
        }
        return new Eval(in, out, constant, in.dataType(), elem, out.numElements() * elem, src, dst, len);
    }

    /** Copies the runs and fills the gaps before, between and after them with the pad value. */
    private record Eval(Tensor in, Tensor out, Tensor constant, DataType type, int elem, int outBytes, int[] src, int[] dst,
                        int[] len) implements PreparedOp {
        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            // The pad value's bits: the constant input's element (read each eval: it may be a runtime tensor), else the
            // int8 output zero point, else 0.
            int bits = constant != null ? switch (elem) {
                case 1 -> constant.array()[constant.offset()];
                case 2 -> LittleEndian.getShort(constant.array(), constant.offset());
                default -> LittleEndian.getInt(constant.array(), constant.offset());
            } : type == DataType.INT8 ? out.zeroPoint() : 0;
            int at = 0;
            for (int k = 0; k < src.length; k++) {
                fill(oa, oo + at, oo + dst[k], bits);
                System.arraycopy(ia, io + src[k], oa, oo + dst[k], len[k]);
                at = dst[k] + len[k];
            }
            fill(oa, oo + at, oo + outBytes, bits);
        }

        private void fill(byte[] a, int from, int to, int bits) {
            if (from >= to) return;
            boolean uniform = switch (elem) {
                case 1 -> true;
                case 2 -> (bits & 0xFF) == ((bits >> 8) & 0xFF);
                default -> bits == ((bits & 0xFF) * 0x01010101);
            };
            if (uniform) {
                Arrays.fill(a, from, to, (byte) bits);
            } else if (elem == 2) {
                for (int p = from; p < to; p += 2) LittleEndian.putShort(a, p, (short) bits);
            } else {
                for (int p = from; p < to; p += 4) LittleEndian.putInt(a, p, bits);
            }
        }
    }
}
