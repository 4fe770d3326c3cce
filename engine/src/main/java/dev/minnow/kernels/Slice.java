package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/** SLICE as TFLM's kernel: begin and size vectors (int32 or int64; size -1 runs to the end), up to 5 dimensions. */
public final class Slice implements OpKernel {
    private static final int MAX_DIM = 5;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3 && node.outputCount() == 1, "needs 3 inputs and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), begin = KernelUtil.requiredInput(node, 1),
                size = KernelUtil.requiredInput(node, 2), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32 || t == DataType.INT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.BOOL,
                "Input tensor type %s not supported.", t.name());
        node.require(begin.dataType() == size.dataType() && (begin.dataType() == DataType.INT32 || begin.dataType() == DataType.INT64),
                "begin/size types %s/%s, expected INT32 or INT64", begin.dataType().name(), size.dataType().name());
        int rank = in.rank();
        node.require(rank <= MAX_DIM, "input rank %d exceeds %d", rank, MAX_DIM);
        node.require(begin.rank() == 1 && size.rank() == 1 && begin.numElements() == rank && size.numElements() == rank,
                "begin and size need %d entries", rank);
        int[] inDims = in.shape();
        if (begin.isConstant() && size.isConstant()) {
            // reference_ops::Slice's Offset() DCHECKs every index against the input: with constant bounds TFLM's debug
            // build aborts on the first invoke, so reject at allocation.
            long count = 1;
            for (int d = 0; d < rank; d++) {
                long b = begin.getIntegral(d), sz = size.getIntegral(d);
                long stop = sz == -1 ? inDims[d] : b + sz;
                node.require(b >= 0 && stop <= inDims[d] && stop >= b, "begin %d size %d out of range for dimension %d of size %d",
                        b, sz, d, inDims[d]);
                count *= stop - b;
            }
            node.require(count == out.numElements(), "slice has %d elements, the output %d", count, out.numElements());
        }
        int[] start = new int[rank], stop = new int[rank], strides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { strides[d] = s; s *= inDims[d]; }
        int n = out.numElements(), elem = t.byteSize();
        int[] idx = new int[rank];
        return () -> {
            long count = 1;
            for (int d = 0; d < rank; d++) {
                int b = (int) begin.getIntegral(d), sz = (int) size.getIntegral(d);
                start[d] = b;
                stop[d] = sz == -1 ? inDims[d] : b + sz;
                if (b < 0 || stop[d] > inDims[d] || stop[d] < b) {
                    throw new KernelException("SLICE: begin " + b + " size " + sz + " out of range for dimension " + d + " of size " + inDims[d]);
                }
                count *= stop[d] - b;
            }
            if (count != n) throw new KernelException("SLICE: slice has " + count + " elements, the output " + n);
            byte[] ia = in.array(), oa = out.array();
            for (int d = 0; d < rank; d++) idx[d] = start[d];
            for (int i = 0; i < n; i++) {
                int src = 0;
                for (int d = 0; d < rank; d++) src += idx[d] * strides[d];
                System.arraycopy(ia, in.offset() + src * elem, oa, out.offset() + i * elem, elem);
                for (int d = rank - 1; d >= 0; d--) {
                    if (++idx[d] < stop[d]) break;
                    idx[d] = start[d];
                }
            }
        };
    }
}
