package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.EnumSet;

/**
 * STRIDED_SLICE as TFLM's kernel: constant int32 begin/end/strides, begin/end/shrink-axis masks (TFLM Micro ignores
 * the ellipsis, new-axis and offset options), up to 4 dimensions. The gathered element indices are computed in
 * prepare with TFLM's start/stop rules; eval copies elements.
 */
public final class StridedSlice implements OpKernel {
    private static final int MAX_DIM = 4;

    /**
     * What prepare derives: the flat input element index of every output element, in output order, and the element
     * size in bytes.
     */
    record Plan(Tensor input, Tensor output, int[] gather, int elementBytes) {}

    @Override
    public PreparedOp prepare(NodeContext node) {
        Plan p = plan(node);
        Tensor in = p.input(), out = p.output();
        int[] gather = p.gather();
        int n = gather.length, elem = p.elementBytes();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) System.arraycopy(ia, io + gather[i] * elem, oa, oo + i * elem, elem);
        };
    }

    /** TFLM's Prepare checks and the gather map of the node (shared with {@link FastStridedSlice}). */
    static Plan plan(NodeContext node) {
        node.require(node.inputCount() == 4 && node.outputCount() == 1, "needs 4 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), begin = KernelUtil.requiredInput(node, 1),
                end = KernelUtil.requiredInput(node, 2), strides = KernelUtil.requiredInput(node, 3), out = node.output(0);
        int dims = in.rank();
        node.require(dims <= MAX_DIM, "input dim should not exceed 4 (it is %d)", dims);
        node.require(begin.isConstant(), "Non-constant >begin< tensor is not supported");
        node.require(end.isConstant(), "Non-constant >end< tensor is not supported");
        node.require(strides.isConstant(), "Non-constant >strides< tensor is not supported");
        for (Tensor t : new Tensor[] {begin, end, strides}) {
            node.require(t.dataType() == DataType.INT32 && t.numElements() >= dims, "begin/end/strides must be int32 with %d entries", dims);
        }
        DataType t = in.dataType();
        node.require(EnumSet.of(DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32, DataType.BOOL).contains(t),
                "Type %s is currently not supported by StridedSlice.", t.name());
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        Options.StridedSlice o = Options.StridedSlice.of(node.options());
        int beginMask = o.beginMask();
        int endMask = o.endMask();
        int shrinkMask = o.shrinkAxisMask();

        // CheckOutputSize with the simple start/stop rules.
        int shapeSize = 0;
        for (int i = 0; i < dims; i++) {
            int stride = strides.getInt(i);
            node.require(stride != 0, "stride value has to be non-zero");
            int size = in.dim(i);
            int s = startForAxis(begin.getInt(i), stride, size, (beginMask & (1 << i)) != 0);
            boolean shrink = (shrinkMask & (1 << i)) != 0;
            int e = size == 0 ? 0 : shrink ? s + 1 : stopForAxis(end.getInt(i), stride, size, (endMask & (1 << i)) != 0);
            if (shrink) e = s + 1;
            int dim = (int) Math.ceil((e - s) / (float) stride);
            dim = Math.max(dim, 0);
            if (!shrink) {
                node.require(shapeSize < out.rank() && out.dim(shapeSize) == dim,
                        "output dimension %d is %s, the slice gives %d", shapeSize, shapeSize < out.rank() ? String.valueOf(out.dim(shapeSize)) : "missing", dim);
                shapeSize++;
            }
        }
        node.require(out.rank() == shapeSize, "output rank %d != %d", out.rank(), shapeSize);

        // Eval's rules on the shape padded to 5 dimensions.
        int pad = 5 - dims;
        int[] shape = new int[5], st = new int[5], start = new int[5], stop = new int[5];
        for (int i = 0; i < 5; i++) {
            int k = i - pad;
            shape[i] = k < 0 ? 1 : in.dim(k);
            st[i] = k < 0 ? 1 : strides.getInt(k);
            boolean bm = k < 0 || (beginMask & (1 << k)) != 0;
            boolean em = k < 0 || (endMask & (1 << k)) != 0;
            boolean shrink = k >= 0 && (shrinkMask & (1 << k)) != 0;
            int b = k < 0 ? 0 : begin.getInt(k), e = k < 0 ? 1 : end.getInt(k);
            start[i] = evalStart(b, st[i], shape[i], bm);
            stop[i] = evalEnd(e, st[i], shape[i], start[i], em, shrink);
        }
        int n = out.numElements();
        KernelUtil.reserveHeap(node, 4L * n, "a gather map for " + n + " output elements");
        int[] gather = new int[n];
        int count = 0;
        for (int o0 = start[0]; lc(stop[0], st[0], o0); o0 += st[0])
            for (int o1 = start[1]; lc(stop[1], st[1], o1); o1 += st[1])
                for (int o2 = start[2]; lc(stop[2], st[2], o2); o2 += st[2])
                    for (int o3 = start[3]; lc(stop[3], st[3], o3); o3 += st[3])
                        for (int o4 = start[4]; lc(stop[4], st[4], o4); o4 += st[4]) {
                            node.require(count < n, "slice yields more than the output's %d elements", n);
                            gather[count++] = (((o0 * shape[1] + o1) * shape[2] + o2) * shape[3] + o3) * shape[4] + o4;
                        }
        node.require(count == n, "slice yields %d elements, the output has %d", count, n);
        return new Plan(in, out, gather, t.byteSize());
    }

    private static boolean lc(int end, int stride, int index) { return stride < 0 ? index > end : index < end; }

    private static int clamp(int v, int lo, int hi) { return hi < v ? hi : v < lo ? lo : v; }

    /** strided_slice::StartForAxis (prepare's check). */
    private static int startForAxis(int start, int stride, int size, boolean masked) {
        if (size == 0) return 0;
        if (masked) start = stride > 0 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        if (start < 0) start += size;
        return stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
    }

    /** strided_slice::StopForAxis without shrink (prepare's check). */
    private static int stopForAxis(int stop, int stride, int size, boolean masked) {
        if (masked) stop = stride > 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        if (stop < 0) stop += size;
        return stride > 0 ? clamp(stop, 0, size) : clamp(stop, -1, size - 1);
    }

    /** StridedSliceStartForAxis (eval). */
    private static int evalStart(int start, int stride, int size, boolean masked) {
        if (start < 0) start += size;
        start = stride > 0 ? clamp(start, 0, size) : clamp(start, -1, size - 1);
        if (masked) start = stride > 0 ? 0 : size - 1;
        return start;
    }

    /** StridedSliceEndForAxis (eval; the offset option is never set by TFLM Micro). */
    private static int evalEnd(int end, int stride, int size, int start, boolean masked, boolean shrink) {
        if (shrink) return start >= size ? start : start + 1;
        if (end < 0) end += size;
        end = stride > 0 ? clamp(end, 0, size) : clamp(end, -1, size - 1);
        if (masked) end = stride > 0 ? size : -1;
        return end;
    }
}
