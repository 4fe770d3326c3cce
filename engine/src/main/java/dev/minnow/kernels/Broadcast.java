package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/**
 * Index maps for broadcasting binary ops, like TFLM's NdArrayDesc: shapes are right-aligned to the output's rank
 * (at most 6), a dimension of size 1 repeats. Computed once in prepare; null when both inputs have the output's shape.
 */
final class Broadcast {
    static final int MAX_RANK = 6;

    private Broadcast() {}

    /** {index into input1, index into input2} for every output element, or null when no broadcast is needed. */
    static int[][] indexMaps(NodeContext node, Tensor a, Tensor b, Tensor out) {
        int rank = out.rank();
        node.require(rank <= MAX_RANK, "output rank %d exceeds %d", rank, MAX_RANK);
        node.require(a.rank() <= rank && b.rank() <= rank, "input ranks %d and %d exceed the output rank %d", a.rank(), b.rank(), rank);
        if (java.util.Arrays.equals(a.shape(), out.shape()) && java.util.Arrays.equals(b.shape(), out.shape())) return null;
        int[] sa = strides(node, a, out), sb = strides(node, b, out);
        int n = out.numElements();
        int[] ia = new int[n], ib = new int[n];
        int[] coord = new int[rank];
        for (int i = 0; i < n; i++) {
            int x = 0, y = 0;
            for (int d = 0; d < rank; d++) { x += coord[d] * sa[d]; y += coord[d] * sb[d]; }
            ia[i] = x;
            ib[i] = y;
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < out.dim(d)) break;
                coord[d] = 0;
            }
        }
        return new int[][] {ia, ib};
    }

    /** Index into {@code t} for every output element, or null when t already has the output's shape. */
    static int[] indexMap(NodeContext node, Tensor t, Tensor out) {
        int rank = out.rank();
        node.require(rank <= MAX_RANK, "output rank %d exceeds %d", rank, MAX_RANK);
        node.require(t.rank() <= rank, "input rank %d exceeds the output rank %d", t.rank(), rank);
        if (java.util.Arrays.equals(t.shape(), out.shape())) return null;
        int[] st = strides(node, t, out);
        int n = out.numElements();
        int[] map = new int[n];
        int[] coord = new int[rank];
        for (int i = 0; i < n; i++) {
            int x = 0;
            for (int d = 0; d < rank; d++) x += coord[d] * st[d];
            map[i] = x;
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < out.dim(d)) break;
                coord[d] = 0;
            }
        }
        return map;
    }

    private static int[] strides(NodeContext node, Tensor t, Tensor out) {
        int rank = out.rank(), shift = rank - t.rank();
        int[] s = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--) {
            int dim = d >= shift ? t.dim(d - shift) : 1;
            node.require(dim == 1 || dim == out.dim(d), "shape %s does not broadcast to %s",
                    java.util.Arrays.toString(t.shape()), java.util.Arrays.toString(out.shape()));
            s[d] = dim == 1 ? 0 : stride;
            stride *= dim;
        }
        return s;
    }
}
