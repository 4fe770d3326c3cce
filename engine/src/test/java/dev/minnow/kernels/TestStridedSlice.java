package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;

/**
 * Test scaffolding only: a plain strided slice (begin/end/shrink masks, constant begin/end/strides) so the LSTM
 * models of the corpus can run end to end before the real STRIDED_SLICE kernel lands. Moves bytes, no arithmetic.
 */
final class TestStridedSlice implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        Tensor in = node.input(0), out = node.output(0);
        int rank = in.rank();
        int beginMask = node.options().getInt("beginMask", 0), endMask = node.options().getInt("endMask", 0);
        int shrink = node.options().getInt("shrinkAxisMask", 0);
        int[] start = new int[rank], stop = new int[rank], stride = new int[rank];
        for (int a = 0; a < rank; a++) {
            int dim = in.dim(a);
            int st = (int) node.input(3).getIntegral(a);
            int s = (beginMask & (1 << a)) != 0 ? (st > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE) : (int) node.input(1).getIntegral(a);
            if (s < 0 && s != Integer.MIN_VALUE) s += dim;
            s = st > 0 ? Math.max(0, Math.min(s, dim)) : Math.max(-1, Math.min(s, dim - 1));
            int e;
            if ((shrink & (1 << a)) != 0) {
                e = s + 1;
            } else {
                e = (endMask & (1 << a)) != 0 ? (st > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE) : (int) node.input(2).getIntegral(a);
                if (e < 0 && e != Integer.MIN_VALUE) e += dim;
                e = st > 0 ? Math.max(0, Math.min(e, dim)) : Math.max(-1, Math.min(e, dim - 1));
            }
            start[a] = s;
            stop[a] = e;
            stride[a] = st;
        }
        int es = in.dataType().byteSize();
        int[] strides = new int[rank];
        int acc = 1;
        for (int a = rank - 1; a >= 0; a--) { strides[a] = acc; acc *= in.dim(a); }
        return () -> {
            int[] idx = start.clone();
            int o = 0;
            int total = out.numElements();
            for (int n = 0; n < total; n++) {
                int src = 0;
                for (int a = 0; a < rank; a++) src += idx[a] * strides[a];
                System.arraycopy(in.array(), in.offset() + src * es, out.array(), out.offset() + o * es, es);
                o++;
                for (int a = rank - 1; a >= 0; a--) {
                    idx[a] += stride[a];
                    if (stride[a] > 0 ? idx[a] < stop[a] : idx[a] > stop[a]) break;
                    idx[a] = start[a];
                }
            }
        };
    }
}
