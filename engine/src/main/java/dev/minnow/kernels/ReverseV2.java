package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.Arrays;

/**
 * REVERSE_V2 as TFLM's kernel: the input reversed along the int32 axes of input 1 (negative ones count from the end),
 * which must be distinct and adjacent once sorted ("Non-contiguous `axes` not supported"); input rank up to 6, any of
 * int32, float32, uint8, int8, int16, int64 and bool. The axes are read at invoke, so a non-constant axis tensor is
 * checked there; constant ones are checked at allocation.
 */
public final class ReverseV2 implements OpKernel {
    /** RuntimeShape::kMaxSmallSize. */
    private static final int MAX_RANK = 6;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), axisT = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(axisT.rank() == 1, "NumDimensions(axis) != 1 (%d)", axisT.rank());
        node.require(in.rank() <= MAX_RANK, "input rank %d exceeds %d", in.rank(), MAX_RANK);
        node.require(in.rank() >= axisT.numElements(), "%d axes for an input of rank %d", axisT.numElements(), in.rank());
        DataType t = in.dataType();
        node.require(t == DataType.INT32 || t == DataType.FLOAT32 || t == DataType.UINT8 || t == DataType.INT8
                || t == DataType.INT16 || t == DataType.INT64 || t == DataType.BOOL, "Type '%s' is not supported by reverse.", t.name());
        node.require(axisT.dataType() == DataType.INT32, "Axis Type '%s' is not supported by reverse.", axisT.dataType().name());
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        // reference_ops::Reverse reads axes[num_axes - 1]: with no axis TFLM reads before its array
        node.require(axisT.numElements() > 0, "no axis to reverse (TFLM's Reverse reads axes[-1])");
        node.require(out.numElements() == in.numElements(), "output has %d elements, the input %d", out.numElements(), in.numElements());
        int rank = in.rank(), numAxes = axisT.numElements(), elem = t.byteSize();
        int[] dims = in.shape();
        int[] axes = new int[numAxes];
        int[] sizes = new int[3]; // upper, middle, lower
        if (axisT.isConstant()) {
            String problem = resolve(axisT, rank, axes);
            if (problem != null) throw node.fail("%s", problem);
        }
        return () -> {
            String problem = resolve(axisT, rank, axes);
            if (problem != null) throw new KernelException("REVERSE_V2: " + problem);
            int lo = axes[0], hi = axes[numAxes - 1];
            int upper = 1, middle = 1, lower = 1;
            for (int d = 0; d < lo; d++) upper *= dims[d];
            for (int d = lo; d <= hi; d++) middle *= dims[d];
            for (int d = hi + 1; d < rank; d++) lower *= dims[d];
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), block = lower * elem;
            // Each run of `lower` elements keeps its order; the runs along the reversed axes are reversed.
            for (int u = 0; u < upper; u++) {
                for (int m = 0; m < middle; m++) {
                    System.arraycopy(ia, io + ((u * middle) + m) * block, oa, oo + ((u * middle) + (middle - 1 - m)) * block, block);
                }
            }
        };
    }

    /** Reads, normalises and sorts the axes into {@code axes}; the problem TFLM's Eval reports, or null. */
    private static String resolve(Tensor axisT, int rank, int[] axes) {
        for (int i = 0; i < axes.length; i++) {
            int a = axisT.getInt(i);
            if (a < 0) a += rank;
            if (a < 0 || a >= rank) return "axis " + axisT.getInt(i) + " out of range for rank " + rank;
            axes[i] = a;
        }
        Arrays.sort(axes);
        for (int i = 1; i < axes.length; i++) {
            if (axes[i - 1] + 1 != axes[i]) return "Non-contiguous `axes` not supported (axes " + Arrays.toString(axes) + ")";
        }
        return null;
    }
}
