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
        KernelUtil.reserveHeap(node, 8L * n, "broadcast index maps for " + n + " output elements");
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
        KernelUtil.reserveHeap(node, 4L * n, "a broadcast index map for " + n + " output elements");
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

    /** The rank limit of TFLM's BroadcastBinaryOpSimple (comparisons, logical and floor ops, quantized PRELU). */
    static final int SIMPLE_MAX_RANK = 8;

    /**
     * Index maps of TFLM's binary kernels that run the flat loop when both inputs have the same shape (MatchingFlatSize
     * then DCHECKs the output has it too) and BroadcastBinaryOpSimple otherwise: all three shapes right-aligned to the
     * largest rank (at most {@code maxRank}), each input dimension 1 or the output's. Returns null for the flat loop.
     */
    static int[][] binaryMaps(NodeContext node, Tensor a, Tensor b, Tensor out, int maxRank) {
        if (java.util.Arrays.equals(a.shape(), b.shape())) {
            KernelUtil.requireSameShape(node, a, out);
            return null;
        }
        int rank = Math.max(out.rank(), Math.max(a.rank(), b.rank()));
        node.require(rank <= maxRank, "rank %d exceeds %d (shapes %s, %s -> %s)", rank, maxRank,
                java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()), java.util.Arrays.toString(out.shape()));
        int[] so = extended(out, rank), sa = extended(a, rank), sb = extended(b, rank);
        for (int d = 0; d < rank; d++) {
            int bd = sa[d] != 1 ? sa[d] : sb[d];
            boolean ok = so[d] == bd && (sa[d] == 1 || sa[d] == bd) && (sb[d] == 1 || sb[d] == bd);
            node.require(ok, "shapes %s and %s do not broadcast to the output shape %s", java.util.Arrays.toString(a.shape()),
                    java.util.Arrays.toString(b.shape()), java.util.Arrays.toString(out.shape()));
        }
        int n = out.numElements();
        KernelUtil.reserveHeap(node, 8L * n, "broadcast index maps for " + n + " output elements");
        int[] ia = new int[n], ib = new int[n];
        int[] coord = new int[rank];
        int[] ta = stridesOf(sa, so), tb = stridesOf(sb, so);
        for (int i = 0; i < n; i++) {
            int x = 0, y = 0;
            for (int d = 0; d < rank; d++) { x += coord[d] * ta[d]; y += coord[d] * tb[d]; }
            ia[i] = x;
            ib[i] = y;
            for (int d = rank - 1; d >= 0; d--) {
                if (++coord[d] < so[d]) break;
                coord[d] = 0;
            }
        }
        return new int[][] {ia, ib};
    }

    /** The shape with leading 1s up to {@code rank}. */
    private static int[] extended(Tensor t, int rank) {
        int[] s = new int[rank];
        java.util.Arrays.fill(s, 1);
        for (int d = 0; d < t.rank(); d++) s[rank - t.rank() + d] = t.dim(d);
        return s;
    }

    /** Row-major strides of an input shape, 0 along its broadcast (size-1) dimensions. */
    private static int[] stridesOf(int[] in, int[] out) {
        int[] s = new int[in.length];
        int stride = 1;
        for (int d = in.length - 1; d >= 0; d--) {
            s[d] = in[d] == 1 && out[d] != 1 ? 0 : stride;
            stride *= in[d];
        }
        return s;
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
