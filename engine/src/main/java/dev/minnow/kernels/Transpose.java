package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;
import dev.minnow.model.DataType;

/** TRANSPOSE as TFLM's kernel: output dimension i is input dimension perm[i] (int32 perm, up to 6 dimensions). */
public final class Transpose implements OpKernel {
    private static final int MAX_RANK = 6;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), perm = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16,
                "Type %s is currently not supported by Transpose. Only float32, int8 and int16 are supported.", t.name());
        node.require(perm.dataType() == DataType.INT32, "perm type %s, expected INT32", perm.dataType().name());
        int rank = in.rank();
        node.require(rank <= MAX_RANK, "Transpose op only supports 1D-6D input arrays (rank %d).", rank);
        node.require(perm.numElements() == rank, "perm has %d entries for rank %d", perm.numElements(), rank);
        node.require(out.rank() == rank && out.numElements() == in.numElements(), "output shape does not match the input");
        int[] inDims = in.shape(), outDims = out.shape();
        int[] inStrides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { inStrides[d] = s; s *= inDims[d]; }
        int[] p = new int[rank], srcStride = new int[rank], idx = new int[rank];
        if (perm.isConstant()) check(node, perm, rank, inDims, outDims);
        int n = in.numElements(), elem = t.byteSize();
        return () -> {
            for (int d = 0; d < rank; d++) {
                p[d] = perm.getInt(d);
                if (p[d] < 0 || p[d] >= rank || inDims[p[d]] != outDims[d]) {
                    throw new KernelException("TRANSPOSE: perm[" + d + "] = " + p[d] + " does not map the input onto the output shape");
                }
                srcStride[d] = inStrides[p[d]];
                idx[d] = 0;
            }
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            int src = 0;
            for (int i = 0; i < n; i++) {
                System.arraycopy(ia, io + src * elem, oa, oo + i * elem, elem);
                for (int d = rank - 1; d >= 0; d--) {
                    src += srcStride[d];
                    if (++idx[d] < outDims[d]) break;
                    src -= srcStride[d] * outDims[d];
                    idx[d] = 0;
                }
            }
        };
    }

    private static void check(NodeContext node, Tensor perm, int rank, int[] inDims, int[] outDims) {
        boolean[] seen = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            int v = perm.getInt(d);
            node.require(v >= 0 && v < rank && !seen[v], "perm %s is not a permutation of %d dimensions", v, rank);
            seen[v] = true;
            node.require(outDims[d] == inDims[v], "output dimension %d is %d, input dimension %d is %d", d, outDims[d], v, inDims[v]);
        }
    }
}
