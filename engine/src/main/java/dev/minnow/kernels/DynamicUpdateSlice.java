package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * DYNAMIC_UPDATE_SLICE as TFLM's kernel: the operand copied to the output with the update written over it at the
 * start indices (int32 or int64, one per dimension, read at invoke), each clamped to [0, operand - update] as XLA
 * does. An update as large as the operand replaces it. float32, int8, int16 and int32 (TFLM's Eval fails on the other
 * types); rank at most 6.
 */
public final class DynamicUpdateSlice implements OpKernel {
    /** kMaxDimensions (RuntimeShape::kMaxSmallSize): the size of Eval's stack arrays. */
    private static final int MAX_RANK = 6;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3, "NumInputs(node) != 3 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor operand = KernelUtil.requiredInput(node, 0), update = KernelUtil.requiredInput(node, 1),
                start = KernelUtil.requiredInput(node, 2), out = node.output(0);
        DataType t = operand.dataType();
        node.require(update.dataType() == t, "operand type %s != update type %s", t.name(), update.dataType().name());
        node.require(start.dataType() == DataType.INT32 || start.dataType() == DataType.INT64,
                "start_indices type %s, expected INT32 or INT64", start.dataType().name());
        int rank = operand.rank();
        node.require(start.rank() == 1, "NumDimensions(start_indices) != 1 (%d)", start.rank());
        node.require(start.dim(0) == rank, "SizeOfDimension(start_indices, 0) != NumDimensions(operand) (%d != %d)", start.dim(0), rank);
        node.require(update.rank() == rank, "NumDimensions(update) != NumDimensions(operand) (%d != %d)", update.rank(), rank);
        for (int i = 0; i < rank; i++) {
            node.require(update.dim(i) <= operand.dim(i), "update dimension %d (%d) exceeds the operand's (%d)", i, update.dim(i), operand.dim(i));
        }
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16 || t == DataType.INT32,
                "DYNAMIC_UPDATE_SLICE: Operand type %s not supported.", t.name());
        node.require(rank <= MAX_RANK, "operand rank %d exceeds %d", rank, MAX_RANK);
        node.require(out.dataType() == t && out.numElements() == operand.numElements(),
                "output %s must be the operand's type and size (%s)", out.describe(), operand.describe());
        int elem = t.byteSize(), total = operand.numElements() * elem;
        if (operand.numElements() == update.numElements()) {
            return () -> System.arraycopy(update.array(), update.offset(), out.array(), out.offset(), total);
        }
        int[] opDims = operand.shape(), upDims = update.shape();
        int[] outStride = new int[rank], upStride = new int[rank];
        for (int d = rank - 1, so = 1, su = 1; d >= 0; d--) {
            outStride[d] = so;
            upStride[d] = su;
            so *= opDims[d];
            su *= upDims[d];
        }
        int rows = update.numElements() == 0 ? 0 : update.numElements() / upDims[rank - 1];
        int run = upDims[rank - 1] * elem;
        int[] clamped = new int[rank];
        return () -> {
            byte[] oa = out.array(), ua = update.array();
            int oo = out.offset(), uo = update.offset();
            System.arraycopy(operand.array(), operand.offset(), oa, oo, total);
            if (rows == 0) return;
            for (int d = 0; d < rank; d++) {
                long s = start.getIntegral(d);
                clamped[d] = (int) Math.min(Math.max(0L, s), (long) opDims[d] - upDims[d]);
            }
            // each innermost run of the update lands at its coordinates plus the clamped start
            for (int r = 0; r < rows; r++) {
                int rem = r, dst = clamped[rank - 1];
                for (int d = rank - 2; d >= 0; d--) {
                    int c = rem % upDims[d];
                    rem /= upDims[d];
                    dst += (c + clamped[d]) * outStride[d];
                }
                System.arraycopy(ua, uo + r * run, oa, oo + dst * elem, run);
            }
        };
    }
}
