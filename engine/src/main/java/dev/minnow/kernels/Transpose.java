package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * TRANSPOSE as TFLM's kernel: a constant rank-1 int32 perm with one entry per input dimension, each in [0, rank),
 * inputs of rank 1 to 5. Like TFLM's reference walk, output element (i0..ik) reads input element
 * {@code sum(i_d * input_stride[perm[d]])} over the output's own shape; TFLM does not check that perm is a
 * permutation nor that the output shape follows from it, so neither does minnow, as long as every read stays inside
 * the input (TFLM would read past it otherwise).
 */
public final class Transpose implements OpKernel {
    /** transpose_common.cc: "Transpose op only supports 1D-5D input arrays." */
    private static final int MAX_RANK = 5;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), perm = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = in.dataType();
        int rank = in.rank();
        node.require(rank <= MAX_RANK, "Transpose op only supports 1D-5D input arrays (rank %d).", rank);
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(perm.isConstant(), "Non-constant >perm< tensor is not supported");
        node.require(perm.dataType() == DataType.INT32, "perm type %s, expected INT32", perm.dataType().name());
        node.require(perm.rank() == 1, "NumDimensions(perm) != 1 (%d != 1)", perm.rank());
        node.require(perm.dim(0) == rank, "perm->dims->data[0] != dims (%d != %d)", perm.dim(0), rank);
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16,
                "Type %s is currently not supported by Transpose. Only float32, int8 and int16 are supported.", t.name());
        node.require(out.rank() == rank, "output rank %d != input rank %d", out.rank(), rank);
        int[] inDims = in.shape(), outDims = out.shape();
        int[] inStrides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { inStrides[d] = s; s *= inDims[d]; }
        int[] srcStride = new int[rank], permValues = new int[rank];
        long lastRead = 0;
        boolean emptyOut = out.numElements() == 0;
        for (int d = 0; d < rank; d++) {
            int p = perm.getInt(d);
            node.require(p >= 0 && p < rank, "Transpose op permutations array is out of bounds (perm[%d] = %d, rank %d).", d, p, rank);
            permValues[d] = p;
            srcStride[d] = inStrides[p];
            if (!emptyOut) lastRead += (long) (outDims[d] - 1) * inStrides[p];
        }
        int n = out.numElements(), elem = t.byteSize();
        if (in.numElements() == 0) return () -> { };  // TFLM returns at once for an empty input
        node.require(emptyOut || lastRead < in.numElements(),
                "perm %s with output shape %s reads input element %d of %d", java.util.Arrays.toString(permValues), java.util.Arrays.toString(outDims),
                lastRead, in.numElements());
        int[] idx = new int[rank];
        return () -> {
            java.util.Arrays.fill(idx, 0);
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
}
