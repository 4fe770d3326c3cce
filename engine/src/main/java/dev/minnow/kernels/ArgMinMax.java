package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * ARG_MAX and ARG_MIN as TFLM's kernel: float32 or int8 input, int32 axis and int32 output; the first extreme value
 * wins (strict comparison); float NaNs lose to every other value (the first index when all are NaN). TFLM rejects other output types at invoke; minnow rejects them at allocation.
 */
public final class ArgMinMax implements OpKernel {
    /** The index sought: of the MAX or of the MIN. */
    public enum Mode { MAX, MIN }

    private final boolean max;

    /** An ARG_MAX or ARG_MIN kernel. */
    public ArgMinMax(Mode mode) { this.max = mode == Mode.MAX; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), axisT = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(axisT.dataType() == DataType.INT32, "Only int32_t are supported currently, got %s.", axisT.dataType().name());
        node.require(out.dataType() == DataType.INT32, "Only int32_t are supported currently, got %s.", out.dataType().name());
        DataType t = in.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "Only float32, uint8_t and int8_t are supported currently, got %s.", t.name());
        int rank = in.rank();
        node.require(rank > 0 && out.rank() == rank - 1, "output rank %d must be input rank %d - 1", out.rank(), rank);
        int[] dims = in.shape();
        if (axisT.isConstant()) {
            int a = axisT.getInt(0);
            node.require(a >= -rank && a < rank, "axis %d out of range for rank %d", a, rank);
            String mismatch = dimMismatch(dims, out.shape(), a < 0 ? a + rank : a);
            node.require(mismatch == null, "%s", mismatch);
            // TFLM reads the first element of every slice; an empty axis has none (it would read past the input)
            node.require(dims[a < 0 ? a + rank : a] > 0, "axis %d of input shape %s is empty: there is no extreme value to find",
                    a, java.util.Arrays.toString(dims));
        }
        return () -> {
            int axis = axisT.getInt(0);
            if (axis < 0) axis += rank;
            if (axis < 0 || axis >= rank) throw new KernelException("ARG_MAX/ARG_MIN: axis " + axisT.getInt(0) + " out of range for rank " + rank);
            String mismatch = dimMismatch(dims, out.shape(), axis);
            if (mismatch != null) throw new KernelException("ARG_MAX/ARG_MIN: " + mismatch);
            int axisSize = dims[axis], outer = 1, inner = 1;
            if (axisSize == 0) throw new KernelException("ARG_MAX/ARG_MIN: axis " + axis + " of the input is empty");
            for (int d = 0; d < axis; d++) outer *= dims[d];
            for (int d = axis + 1; d < rank; d++) inner *= dims[d];
            byte[] ia = in.array(), oa = out.array();
            for (int o = 0; o < outer; o++) {
                for (int k = 0; k < inner; k++) {
                    int best = 0;
                    if (t == DataType.FLOAT32) {
                        float v = LittleEndian.getFloat(ia, in.offset() + 4 * (o * axisSize * inner + k));
                        for (int i = 1; i < axisSize; i++) {
                            float c = LittleEndian.getFloat(ia, in.offset() + 4 * ((o * axisSize + i) * inner + k));
                            // TFLM's NaN-aware comparator: a NaN never wins, anything else replaces a NaN
                            if (!Float.isNaN(c) && (Float.isNaN(v) || (max ? c > v : c < v))) { v = c; best = i; }
                        }
                    } else {
                        int v = ia[in.offset() + o * axisSize * inner + k];
                        for (int i = 1; i < axisSize; i++) {
                            int c = ia[in.offset() + (o * axisSize + i) * inner + k];
                            if (max ? c > v : c < v) { v = c; best = i; }
                        }
                    }
                    LittleEndian.putInt(oa, out.offset() + 4 * (o * inner + k), best);
                }
            }
        };
    }

    /**
     * arg_min_max.h's TFLITE_DCHECK_EQ(input1_shape.Dims(i), output_shape.Dims(i)) before the axis and
     * Dims(i) == output Dims(i - 1) after it: the output is the input's shape without the axis dimension.
     */
    private static String dimMismatch(int[] in, int[] out, int axis) {
        for (int i = 0; i < in.length; i++) {
            if (i == axis) continue;
            int o = i < axis ? i : i - 1;
            if (in[i] != out[o]) {
                return String.format("input dimension %d (%d) != output dimension %d (%d): the output must be the input shape %s without axis %d",
                        i, in[i], o, out[o], java.util.Arrays.toString(in), axis);
            }
        }
        return null;
    }
}
