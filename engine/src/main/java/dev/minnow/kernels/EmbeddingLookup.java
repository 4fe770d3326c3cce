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
import dev.minnow.util.LittleEndian;

/**
 * EMBEDDING_LOOKUP as TFLM's kernel: rows of a float32 or int8 table (rank 2 or more, rows along dimension 0) picked
 * by a rank-1 int32 id vector. A float32 output of an int8 table is the hybrid form: each row dequantized as
 * {@code (q - 0) * scale} in float, with the table's zero point required to be 0. Ids outside the table fail at
 * invoke. Prepare rewrites the output's dims to {@code [ids, table.shape[1:]...]} within its byte size.
 */
public final class EmbeddingLookup implements OpKernel {
    /** No params; Prepare makes the output's dims writable, then allocates OpData {float scale; size_t columns}. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        int opData = t == Target.HOST64 ? 16 : 8;
        return new NodeFootprint(0, 4, new int[0], new int[] {Target.intArrayBytes(g.tensor(op.output(0)).rank()), opData},
                new int[0], Footprints.ALL_TENSORS.of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor ids = KernelUtil.requiredInput(node, 0), table = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(ids.rank() == 1, "NumDimensions(lookup) != 1 (%d)", ids.rank());
        node.require(ids.dataType() == DataType.INT32, "lookup->type != kTfLiteInt32 (%s)", ids.dataType().name());
        node.require(table.rank() >= 2, "NumDimensions(value) >= 2 was not true (%d)", table.rank());
        DataType vt = table.dataType(), ot = out.dataType();
        node.require(vt == DataType.FLOAT32 || vt == DataType.INT8, "value type %s: only float32 and int8", vt.name());
        if (vt == DataType.FLOAT32) node.require(ot == DataType.FLOAT32, "output type %s for a float32 table", ot.name());
        else node.require(ot == DataType.FLOAT32 || ot == DataType.INT8, "output type %s for an int8 table", ot.name());
        node.require(out.rank() >= table.rank(), "output->dims->size >= NumDimensions(value) was not true (%d < %d)",
                out.rank(), table.rank());
        int rows = table.dim(0), n = ids.dim(0);
        long newCount = n;
        for (int i = 1; i < table.rank(); i++) newCount *= table.dim(i);
        for (int i = table.rank(); i < out.rank(); i++) newCount *= out.dim(i);
        node.require(newCount * ot.byteSize() <= out.numBytes(), "new_dims_size <= output->bytes was not true (%d > %d)",
                newCount * ot.byteSize(), out.numBytes());
        boolean hybrid = vt == DataType.INT8 && ot == DataType.FLOAT32;
        if (hybrid) {
            node.require(table.zeroPoint() == 0, "tensor_1->params.zero_point != 0 (%d)", table.zeroPoint());
        }
        node.require(rows != 0, "the table has no rows (TFLM divides by its row count)");
        int columns = table.numElements() / rows;
        node.require((long) n * columns == out.numElements(), "output has %d elements, the lookup writes %d",
                out.numElements(), (long) n * columns);
        if (ids.isConstant()) {
            for (int i = 0; i < n; i++) {
                int id = ids.getInt(i);
                node.require(id >= 0 && id < rows, "EMBEDDING_LOOKUP: index out of bounds. Got %d, and bounds are [0, %d]", id, rows - 1);
            }
        }
        float scale = table.scale();
        int rowBytes = columns * vt.byteSize();
        return () -> {
            byte[] ta = table.array(), oa = out.array();
            int to = table.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int id = ids.getInt(i);
                if (id < 0 || id >= rows) {
                    throw new KernelException("EMBEDDING_LOOKUP: index out of bounds. Got " + id + ", and bounds are [0, " + (rows - 1) + "]");
                }
                if (!hybrid) {
                    System.arraycopy(ta, to + id * rowBytes, oa, oo + i * rowBytes, rowBytes);
                } else {
                    int src = to + id * columns, dst = oo + 4 * i * columns;
                    for (int k = 0; k < columns; k++) LittleEndian.putFloat(oa, dst + 4 * k, (float) ta[src + k] * scale);
                }
            }
        };
    }
}
