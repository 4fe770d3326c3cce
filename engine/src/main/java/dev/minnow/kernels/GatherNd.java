package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * GATHER_ND as TFLM's kernel: float32 or int8 params, int32 indices whose last dimension (at most 5, at most the
 * params' rank) indexes the leading params dimensions; each index row selects a slice of the remaining dimensions.
 * Like TFLM, only the flat start of each slice is bounds-checked (an index past one dimension may still land inside
 * the params), at invoke, or at allocation for constant indices. Prepare rewrites the output's dims to
 * {@code indices.shape[:-1] + params.shape[nd:]}, so the model's output needs that many elements and a rank at least
 * that large.
 */
public final class GatherNd implements OpKernel {
    /** MAX_INDICES_ND. */
    private static final int MAX_ND = 5;

    /** No params; Prepare fetches params, indices and output, then makes the output's dims writable. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(0, 4, new int[0], new int[] {Target.intArrayBytes(g.tensor(op.output(0)).rank())}, new int[0],
                Footprints.ALL_TENSORS.of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor params = KernelUtil.requiredInput(node, 0), indices = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = params.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "Params of type '%s' are not supported by gather_nd.", t.name());
        node.require(indices.dataType() == DataType.INT32, "Indices of type '%s' are not supported by gather_nd.",
                indices.dataType().name());
        int pRank = params.rank(), iRank = indices.rank();
        node.require(pRank >= 1, "Params must be at least a vector.");
        node.require(iRank >= 1, "Indices must be at least a vector.");
        int nd = indices.dim(iRank - 1);
        node.require(nd <= pRank, "Index innermost dimension length must be <= params rank (%d > %d).", nd, pRank);
        node.require(nd <= MAX_ND, "Index innermost dimension length must not exceed %d (%d).", MAX_ND, nd);
        node.require(out.dataType() == t, "output type %s != params type %s", out.dataType().name(), t.name());
        int newRank = (iRank - 1) + (pRank - nd);
        node.require(newRank <= out.rank(), "TFLM writes %d output dimensions into the model's %d", newRank, out.rank());
        int slices = 1, sliceSize = 1;
        for (int i = 0; i < iRank - 1; i++) slices *= indices.dim(i);
        for (int i = nd; i < pRank; i++) sliceSize *= params.dim(i);
        node.require((long) slices * sliceSize == out.numElements(), "output has %d elements, gather_nd gives %d",
                out.numElements(), (long) slices * sliceSize);
        int flat = params.numElements();
        int[] count = new int[nd];
        for (int i = 0, remain = flat; i < nd; i++) {
            node.require(params.dim(i) != 0, "params dimension %d is 0 (TFLM divides by it)", i);
            count[i] = remain / params.dim(i);
            remain = count[i];
        }
        if (indices.isConstant()) {
            for (int s = 0; s < slices; s++) {
                int from = start(indices, s, nd, count);
                node.require(from >= 0 && from + sliceSize <= flat, "gather_nd index out of bounds (slice %d starts at element %d of %d)",
                        s, from, flat);
            }
        }
        int elem = t.byteSize(), fs = slices, fz = sliceSize;
        return () -> {
            byte[] pa = params.array(), oa = out.array();
            int po = params.offset(), oo = out.offset();
            for (int s = 0; s < fs; s++) {
                int from = start(indices, s, nd, count);
                if (from < 0 || from + fz > flat) {
                    throw new KernelException("GATHER_ND: gather_nd index out of bounds (slice " + s + " starts at element " + from + " of " + flat + ")");
                }
                System.arraycopy(pa, po + from * elem, oa, oo + s * fz * elem, fz * elem);
            }
        };
    }

    /** The flat params position of slice {@code s}: its index row dotted with the element counts per dimension. */
    private static int start(Tensor indices, int s, int nd, int[] count) {
        int from = 0;
        for (int j = 0; j < nd; j++) from += indices.getInt(s * nd + j) * count[j];
        return from;
    }
}
