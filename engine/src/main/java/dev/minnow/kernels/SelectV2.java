package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.Arrays;
import java.util.EnumSet;

/**
 * SELECT_V2 as TFLM's kernel: {@code condition ? x : y} element-wise; float32, int8, int16 (TFLM's Eval fails on any
 * other type, int32 included; minnow rejects them at allocation). TFLM's shape rules: when condition, x and y have
 * one shape the output must have it too (MatchingFlatSize), unless all four hold a single element (mixed scalars);
 * otherwise CheckBroadcastShape: the output rank is the largest input rank and every output dimension is the
 * broadcast of the inputs' (right-aligned, size 1 repeats, a 0 wins over 1), at most 8 dimensions.
 */
public final class SelectV2 implements OpKernel {
    /** BroadcastSelect5DSlow DCHECKs at most 8 dimensions. */
    private static final int MAX_BROADCAST_RANK = 8;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3 && node.outputCount() == 1, "needs 3 inputs and 1 output");
        Tensor c = KernelUtil.requiredInput(node, 0), x = KernelUtil.requiredInput(node, 1), y = KernelUtil.requiredInput(node, 2);
        Tensor out = node.output(0);
        node.require(c.dataType() == DataType.BOOL, "condition type %s, expected BOOL", c.dataType().name());
        DataType t = x.dataType();
        node.require(y.dataType() == t, "x type %s != y type %s", t.name(), y.dataType().name());
        node.require(EnumSet.of(DataType.FLOAT32, DataType.INT8, DataType.INT16).contains(t),
                "Does not support type other than int8|int16|float32, but got %s", t.name());
        node.require(out.dataType() == t, "output type %s != %s", out.dataType().name(), t.name());
        boolean mixedScalar = c.numElements() == 1 && x.numElements() == 1 && y.numElements() == 1 && out.numElements() == 1;
        boolean sameShape = Arrays.equals(c.shape(), x.shape()) && Arrays.equals(x.shape(), y.shape());
        int[] mc = null, mx = null, my = null;
        int n;
        if (!sameShape && !mixedScalar) {
            checkBroadcastShape(node, c, x, y, out);
            node.require(out.rank() <= MAX_BROADCAST_RANK, "broadcast over %d dimensions, TFLM supports %d", out.rank(), MAX_BROADCAST_RANK);
            mc = indexMap(node, c, out);
            mx = indexMap(node, x, out);
            my = indexMap(node, y, out);
            n = out.numElements();
        } else if (mixedScalar) {
            n = 1;
        } else {
            KernelUtil.requireSameShape(node, x, out);
            n = out.numElements();
        }
        int elem = t.byteSize();
        int[] fc = mc, fx = mx, fy = my;
        return () -> {
            byte[] ca = c.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                boolean cond = ca[c.offset() + (fc == null ? i : fc[i])] != 0;
                Tensor src = cond ? x : y;
                int[] m = cond ? fx : fy;
                System.arraycopy(src.array(), src.offset() + elem * (m == null ? i : m[i]), oa, out.offset() + elem * i, elem);
            }
        };
    }

    /** select.cc's CheckBroadcastShape, with its messages. */
    private static void checkBroadcastShape(NodeContext node, Tensor a, Tensor b, Tensor c, Tensor out) {
        int d1 = a.rank(), d2 = b.rank(), d3 = c.rank();
        int outDims = Math.max(Math.max(d1, d2), d3);
        node.require(outDims == out.rank(), "out_dims != output_shape->size (%d != %d)", outDims, out.rank());
        for (int i = 0; i < outDims; i++) {
            int s1 = i >= d1 ? 1 : a.dim(d1 - i - 1), s2 = i >= d2 ? 1 : b.dim(d2 - i - 1), s3 = i >= d3 ? 1 : c.dim(d3 - i - 1);
            int min = Math.min(Math.min(s1, s2), s3);
            int max = Math.max(Math.max(s1, s2), s3);
            if (min == 0) max = 0;
            node.require((s1 == 1 || s1 == max) && (s2 == 1 || s2 == max) && (s3 == 1 || s3 == max),
                    "Given shapes are not broadcastable (%s, %s, %s).", Arrays.toString(a.shape()), Arrays.toString(b.shape()),
                    Arrays.toString(c.shape()));
            node.require(out.dim(outDims - i - 1) == max, "output_shape->data[%d] != max_value (%d != %d)", outDims - i - 1,
                    out.dim(outDims - i - 1), max);
        }
    }

    /** Index into t (right-aligned to the output, size-1 dimensions repeated) for every output element. */
    private static int[] indexMap(NodeContext node, Tensor t, Tensor out) {
        int rank = out.rank(), shift = rank - t.rank();
        int[] s = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int dim = d >= shift ? t.dim(d - shift) : 1;
            s[d] = dim == 1 ? 0 : stride;
            stride *= dim;
        }
        int n = out.numElements();
        KernelUtil.reserveHeap(node, 4L * n, "a broadcast index map for " + n + " output elements");
        int[] map = new int[n];
        int[] coord = new int[rank];
        for (int i = 0; i < n; i++) {
            int v = 0;
            for (int d = 0; d < rank; d++) v += coord[d] * s[d];
            map[i] = v;
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < out.dim(d)) break;
                coord[d] = 0;
            }
        }
        return map;
    }
}
