package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * STRIDED_SLICE copying runs instead of elements: same prepare ({@link StridedSlice}'s checks and gather map), same
 * bytes. The reference copies each output element with its own {@code System.arraycopy}; here prepare merges the
 * gather map into runs of consecutive input elements, and eval copies a run at a time when the runs are long
 * (a unit innermost stride) or moves single elements with typed loads and stores when they are short.
 */
public final class FastStridedSlice implements OpKernel {
    /** Runs at least this long on average are copied with System.arraycopy; shorter ones element by element. */
    private static final int MIN_MEAN_RUN = 8;

    private final StridedSlice reference = new StridedSlice();

    /** Prepares as {@link StridedSlice}, then picks the fast eval when fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        if (!node.useFastKernels()) return reference.prepare(node);
        StridedSlice.Plan p = StridedSlice.plan(node);
        int[] g = p.gather();
        int n = g.length, runs = 0;
        for (int i = 0; i < n; i++) if (i == 0 || g[i] != g[i - 1] + 1) runs++;
        if (runs > 0 && n / runs >= MIN_MEAN_RUN) return new Runs(p, runs);
        return new Elements(p);
    }

    /** Byte ranges: from input byte src[k], len[k] bytes to output byte dst[k]. */
    private static final class Runs implements PreparedOp {
        private final Tensor in, out;
        private final int[] src, dst, len;

        Runs(StridedSlice.Plan p, int runs) {
            in = p.input();
            out = p.output();
            int e = p.elementBytes();
            int[] g = p.gather();
            src = new int[runs];
            dst = new int[runs];
            len = new int[runs];
            int k = -1;
            for (int i = 0; i < g.length; i++) {
                if (i == 0 || g[i] != g[i - 1] + 1) {
                    k++;
                    src[k] = g[i] * e;
                    dst[k] = i * e;
                }
                len[k] += e;
            }
        }

        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int k = 0; k < src.length; k++) System.arraycopy(ia, io + src[k], oa, oo + dst[k], len[k]);
        }
    }

    /** One typed load and store per element (1, 2 or 4 bytes) through the gather map. */
    private static final class Elements implements PreparedOp {
        private final Tensor in, out;
        private final int[] gather;
        private final int elem;

        Elements(StridedSlice.Plan p) {
            in = p.input();
            out = p.output();
            gather = p.gather();
            elem = p.elementBytes();
        }

        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), n = gather.length;
            int[] g = gather;
            switch (elem) {
                case 1 -> { for (int i = 0; i < n; i++) oa[oo + i] = ia[io + g[i]]; }
                case 2 -> { for (int i = 0; i < n; i++) LittleEndian.putShort(oa, oo + 2 * i, LittleEndian.getShort(ia, io + 2 * g[i])); }
                case 4 -> { for (int i = 0; i < n; i++) LittleEndian.putInt(oa, oo + 4 * i, LittleEndian.getInt(ia, io + 4 * g[i])); }
                default -> { for (int i = 0; i < n; i++) System.arraycopy(ia, io + g[i] * elem, oa, oo + i * elem, elem); }
            }
        }
    }
}
