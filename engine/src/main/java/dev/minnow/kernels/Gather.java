package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * GATHER as TFLM's kernel: slices of the input along {@code axis} picked by int32 positions, with batch dimensions;
 * float32 and int8 (TFLM Micro supports no other types). Positions are checked against the axis size.
 */
public final class Gather implements OpKernel {
    /** TfLiteGatherParams; Prepare allocates writable output dims (a TfLiteIntArray of the output's rank). */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(8, 4, new int[0], new int[] {Target.intArrayBytes(g.tensor(op.output(0)).rank())}, new int[0],
                Footprints.ALL_TENSORS.of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), coords = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(coords.dataType() == DataType.INT32, "Positions of type '%s' are not supported by gather.", coords.dataType().name());
        DataType t = in.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "Type '%s' is not supported by gather.", t.name());
        node.require(out.dataType() == t, "output type %s != input type %s", out.dataType().name(), t.name());
        int rank = in.rank();
        Options.Gather opts = Options.Gather.of(node.options());
        int axis = opts.axis();
        if (axis < 0) axis += rank;
        node.require(0 <= axis && axis < rank, "0 <= axis && axis < NumDimensions(input) was not true (axis %d, rank %d)",
                opts.axis(), rank);
        int batchDims = opts.batchDims();
        if (batchDims < 0) batchDims += coords.rank();
        node.require(batchDims <= axis, "batch_dims %d > axis %d", batchDims, axis);
        node.require(0 <= batchDims && batchDims < rank, "batch_dims %d out of range for rank %d", batchDims, rank);
        node.require(batchDims <= coords.rank(), "batch_dims %d exceeds the positions' rank %d", batchDims, coords.rank());
        for (int i = 0; i < batchDims; i++) {
            node.require(in.dim(i) == coords.dim(i), "input dimension %d (%d) != positions dimension %d (%d)", i, in.dim(i), i, coords.dim(i));
        }
        // GatherPrepare overwrites the output's dims with the gathered shape, so the model's output shape only has to
        // hold as many elements (checked below); its rank may differ
        int axisSize = in.dim(axis), batch = 1, outer = 1, inner = 1, coordSize = 1;
        for (int i = 0; i < batchDims; i++) batch *= in.dim(i);
        for (int i = batchDims; i < axis; i++) outer *= in.dim(i);
        for (int i = axis + 1; i < rank; i++) inner *= in.dim(i);
        for (int i = batchDims; i < coords.rank(); i++) coordSize *= coords.dim(i);
        node.require((long) batch * outer * coordSize * inner == out.numElements(), "output has %d elements, gather gives %d",
                out.numElements(), (long) batch * outer * coordSize * inner);
        if (coords.isConstant()) {
            // gather.cc: TFLITE_DCHECK_GE(coords_data[coord], 0) and _LT(coords_data[coord], axis_size) for the first
            // coord_size positions, an abort in TFLM's debug build; with constant positions that is known now
            for (int k = 0; k < coordSize && k < coords.numElements(); k++) {
                int pos = coords.getInt(k);
                node.require(pos >= 0 && pos < axisSize, "constant position %d (index %d) out of range [0, %d) for axis %d",
                        pos, k, axisSize, axis);
            }
        }
        int elem = t.byteSize(), fb = batch, fo = outer, fi = inner, fc = coordSize;
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int b = 0; b < fb; b++)
                for (int o = 0; o < fo; o++)
                    for (int k = 0; k < fc; k++) {
                        int pos = coords.getInt(b * fc + k);
                        if (pos < 0 || pos >= axisSize) {
                            throw new KernelException("GATHER: position " + pos + " out of range [0, " + axisSize + ")");
                        }
                        System.arraycopy(ia, in.offset() + (((b * fo) + o) * axisSize + pos) * fi * elem,
                                oa, out.offset() + (((b * fo) + o) * fc + k) * fi * elem, fi * elem);
                    }
        };
    }
}
