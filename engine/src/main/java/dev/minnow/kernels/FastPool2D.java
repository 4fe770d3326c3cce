package dev.minnow.kernels;

import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * AVERAGE_POOL_2D and MAX_POOL_2D with channel-innermost loops: same prepare ({@link Pool2D#prepareParams}), same
 * bytes as {@link Pool2D}'s reference loops, which run instead when the interpreter asks for reference kernels.
 *
 * <p>The reference walks the clipped window once per channel; here each output position walks its window once and
 * updates a row of per-channel accumulators, so the innermost loop runs over contiguous channels and vectorises.
 * Each channel still sees its taps in the reference's (row, column) order: integer sums and maxima are exact in any
 * order anyway, and the float sums add in the same order, so they round the same. The window's clipped ranges are
 * computed per output row and column instead of per channel.
 */
public final class FastPool2D implements OpKernel {
    private final Pool2D.Kind kind;

    /** An AVERAGE_POOL_2D or MAX_POOL_2D kernel with fast loops. */
    public FastPool2D(Pool2D.Kind kind) { this.kind = kind; }

    /** Prepares as {@link Pool2D}, then picks the fast eval when fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        Pool2D.Params p = Pool2D.prepareParams(node, kind);
        if (!node.useFastKernels() || p.output().numElements() == 0) return Pool2D.reference(p);
        return of(p);
    }

    /** The fast eval of a prepared pooling node. */
    static PreparedOp of(Pool2D.Params p) {
        return switch (p.variant()) {
            case FLOAT32 -> new Float32(p);
            case INT8, INT16 -> new Quantized(p);
        };
    }

    /** Window rows [y0, y1) of output row oy, and columns likewise: the clipped ranges, relative to the window. */
    private static int[] ranges(int outSize, int stride, int pad, int filter, int inSize) {
        int[] r = new int[2 * outSize];
        for (int o = 0; o < outSize; o++) {
            int i0 = o * stride - pad;
            r[2 * o] = Math.max(0, -i0);
            r[2 * o + 1] = Math.min(filter, inSize - i0);
        }
        return r;
    }

    private static final class Quantized implements PreparedOp {
        private final Tensor in, out;
        private final ConvGeometry g;
        private final boolean average, int8;
        private final int min, max, init;
        private final int[] rows, cols, acc;

        Quantized(Pool2D.Params p) {
            in = p.input();
            out = p.output();
            g = p.geometry();
            average = p.kind() == Pool2D.Kind.AVERAGE;
            int8 = p.variant() == Pool2D.Variant.INT8;
            min = p.activationMin();
            max = p.activationMax();
            init = average ? 0 : int8 ? -128 : -32768;
            rows = ranges(g.outHeight(), g.strideH(), g.padH(), g.filterHeight(), g.inHeight());
            cols = ranges(g.outWidth(), g.strideW(), g.padW(), g.filterWidth(), g.inWidth());
            acc = new int[g.inDepth()];
        }

        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), d = g.inDepth(), h = g.inHeight(), w = g.inWidth();
            int[] acc = this.acc;
            int pos = 0;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    int iy0 = oy * g.strideH() - g.padH(), fy0 = rows[2 * oy], fy1 = rows[2 * oy + 1];
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int ix0 = ox * g.strideW() - g.padW(), fx0 = cols[2 * ox], fx1 = cols[2 * ox + 1];
                        java.util.Arrays.fill(acc, init);
                        for (int fy = fy0; fy < fy1; fy++) {
                            for (int fx = fx0; fx < fx1; fx++) {
                                int base = ((b * h + iy0 + fy) * w + ix0 + fx) * d;
                                if (int8) {
                                    int at = io + base;
                                    if (average) for (int c = 0; c < d; c++) acc[c] += ia[at + c];
                                    else for (int c = 0; c < d; c++) acc[c] = Math.max(acc[c], ia[at + c]);
                                } else {
                                    int at = io + 2 * base;
                                    if (average) for (int c = 0; c < d; c++) acc[c] += LittleEndian.getShort(ia, at + 2 * c);
                                    else for (int c = 0; c < d; c++) acc[c] = Math.max(acc[c], LittleEndian.getShort(ia, at + 2 * c));
                                }
                            }
                        }
                        int count = Math.max(0, fy1 - fy0) * Math.max(0, fx1 - fx0);
                        for (int c = 0; c < d; c++) {
                            int v = average ? Pool2D.roundedAverage(acc[c], count) : acc[c];
                            v = Math.min(Math.max(v, min), max);
                            if (int8) oa[oo + pos] = (byte) v;
                            else LittleEndian.putShort(oa, oo + 2 * pos, (short) v);
                            pos++;
                        }
                    }
                }
            }
        }
    }

    private static final class Float32 implements PreparedOp {
        private final Tensor in, out;
        private final ConvGeometry g;
        private final boolean average;
        private final float min, max;
        private final int[] rows, cols;
        private final float[] acc;

        Float32(Pool2D.Params p) {
            in = p.input();
            out = p.output();
            g = p.geometry();
            average = p.kind() == Pool2D.Kind.AVERAGE;
            min = p.floatMin();
            max = p.floatMax();
            rows = ranges(g.outHeight(), g.strideH(), g.padH(), g.filterHeight(), g.inHeight());
            cols = ranges(g.outWidth(), g.strideW(), g.padW(), g.filterWidth(), g.inWidth());
            acc = new float[g.inDepth()];
        }

        @Override
        public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset(), d = g.inDepth(), h = g.inHeight(), w = g.inWidth();
            float[] acc = this.acc;
            int pos = oo;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    int iy0 = oy * g.strideH() - g.padH(), fy0 = rows[2 * oy], fy1 = rows[2 * oy + 1];
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int ix0 = ox * g.strideW() - g.padW(), fx0 = cols[2 * ox], fx1 = cols[2 * ox + 1];
                        java.util.Arrays.fill(acc, average ? 0f : -Float.MAX_VALUE);
                        for (int fy = fy0; fy < fy1; fy++) {
                            for (int fx = fx0; fx < fx1; fx++) {
                                int at = io + 4 * (((b * h + iy0 + fy) * w + ix0 + fx) * d);
                                if (average) {
                                    for (int c = 0; c < d; c++) acc[c] += LittleEndian.getFloat(ia, at + 4 * c);
                                } else {
                                    for (int c = 0; c < d; c++) {
                                        float v = LittleEndian.getFloat(ia, at + 4 * c);
                                        if (acc[c] < v) acc[c] = v; // the reference's comparison (NaN taps are skipped)
                                    }
                                }
                            }
                        }
                        int count = Math.max(0, fy1 - fy0) * Math.max(0, fx1 - fx0);
                        for (int c = 0; c < d; c++) {
                            float r = average ? acc[c] / count : acc[c];
                            LittleEndian.putFloat(oa, pos, KernelUtil.clamp(r, min, max));
                            pos += 4;
                        }
                    }
                }
            }
        }
    }
}
