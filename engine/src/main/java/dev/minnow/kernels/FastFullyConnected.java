package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * FULLY_CONNECTED with fast loops for int8 and float32 nodes whose weights and bias are constant; the other variants,
 * and every node when the interpreter asks for reference kernels, run {@link FullyConnected}'s reference loops. Same
 * prepare ({@link FullyConnected#prepareParams}), same bytes.
 *
 * <p>At prepare the weights are transposed to {@code [accumDepth][outputDepth]} int or float arrays. Each invoke
 * widens the input row once (int8: plus the input offset, so the offset costs one add per input element instead of
 * one per multiply-accumulate) and runs {@code acc[c] += w[d][c] * x[d]} with the output channel innermost, four
 * {@code d} at a time; int8 nodes run as one dot product per output instead ({@link FastLoops#DOT_FORM}: with the Vector
 * API, or on JDK 21 and later) when the rows are long enough. The int8 sums start from the bias: int32 sums wrap modulo 2^32 in any order, as the
 * reference's do. The float sums start at 0 and add the products in {@code d} order, each channel in its own lane, and
 * the bias last: the reference's order, so the same rounding.
 */
public final class FastFullyConnected implements OpKernel {
    /** Prepares as {@link FullyConnected}, then picks the fast eval when the node qualifies and fast kernels are on. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        FullyConnected.Params p = FullyConnected.prepareParams(node);
        PreparedOp fast = node.useFastKernels() ? of(p) : null;
        return fast != null ? fast : FullyConnected.reference(p);
    }

    /** The fast eval of a prepared node, or null when it does not qualify (int16, runtime weights or bias, no work). */
    public static PreparedOp of(FullyConnected.Params p) {
        boolean constantWeights = p.unpackedFilter() != null || p.filter().isConstant();
        if (!constantWeights || !FastLoops.fixed(p.bias()) || p.batches() == 0 || p.outputDepth() == 0 || p.accumDepth() == 0) {
            return null;
        }
        return switch (p.variant()) {
            case INT8 -> p.filterOffset() == 0 ? new Int8(p) : null;
            case FLOAT32 -> new Float32(p);
            default -> null;
        };
    }

    private static final class Int8 implements PreparedOp {
        private final Tensor input, output;
        private final int batches, depth, accum, inputOffset, outputOffset, min, max;
        private final int[] weights, bias, mult, shift, x, acc;
        private final boolean dotForm;

        Int8(FullyConnected.Params p) {
            input = p.input();
            output = p.output();
            batches = p.batches();
            depth = p.outputDepth();
            accum = p.accumDepth();
            inputOffset = p.inputOffset();
            outputOffset = p.outputOffset();
            min = p.activationMin();
            max = p.activationMax();
            mult = p.outputMultiplier();
            shift = p.outputShift();
            bias = FastLoops.intBias(p.bias(), depth);
            byte[] w = p.filterData();
            int wo = p.filterDataOffset();
            dotForm = FastLoops.DOT_FORM && accum >= FastLoops.DOT_MIN_RUN;
            weights = new int[accum * depth];   // dot form: the filter's [c][d]; otherwise transposed to [d][c]
            for (int c = 0; c < depth; c++) {
                for (int d = 0; d < accum; d++) weights[dotForm ? c * accum + d : d * depth + c] = w[wo + c * accum + d];
            }
            x = new int[accum];
            acc = new int[depth];
        }

        @Override
        public void eval() {
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset();
            int[] w = weights, x = this.x, acc = this.acc;
            int n = depth;
            for (int b = 0; b < batches; b++) {
                FastLoops.widen(ia, io + b * accum, accum, inputOffset, x);
                if (dotForm) {
                    System.arraycopy(bias, 0, acc, 0, n);
                    int c = 0;
                    for (; c + 3 < n; c += 4) FastLoops.dot4(w, c * accum, accum, x, 0, accum, acc, c);
                    for (; c < n; c++) acc[c] += FastLoops.dot(w, c * accum, x, 0, accum);
                    requantize(acc, oa, oo + b * n);
                    continue;
                }
                System.arraycopy(bias, 0, acc, 0, n);
                int d = 0;
                for (; d + 3 < accum; d += 4) {
                    int x0 = x[d], x1 = x[d + 1], x2 = x[d + 2], x3 = x[d + 3];
                    int w0 = d * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
                    for (int c = 0; c < n; c++) acc[c] += w[w0 + c] * x0 + w[w1 + c] * x1 + w[w2 + c] * x2 + w[w3 + c] * x3;
                }
                for (; d < accum; d++) {
                    int xd = x[d], w0 = d * n;
                    for (int c = 0; c < n; c++) acc[c] += w[w0 + c] * xd;
                }
                requantize(acc, oa, oo + b * n);
            }
        }

        private void requantize(int[] acc, byte[] oa, int ob) {
            for (int c = 0; c < depth; c++) {
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc[c], mult[c], shift[c]) + outputOffset;
                oa[ob + c] = (byte) KernelUtil.clamp(v, min, max);
            }
        }
    }

    private static final class Float32 implements PreparedOp {
        private final Tensor input, output;
        private final int batches, depth, accum;
        private final float min, max;
        private final float[] weights, bias, x, acc;

        Float32(FullyConnected.Params p) {
            input = p.input();
            output = p.output();
            batches = p.batches();
            depth = p.outputDepth();
            accum = p.accumDepth();
            min = p.floatMin();
            max = p.floatMax();
            bias = FastLoops.floatBias(p.bias(), depth);
            Tensor f = p.filter();
            weights = new float[accum * depth];
            for (int c = 0; c < depth; c++) {
                for (int d = 0; d < accum; d++) weights[d * depth + c] = LittleEndian.getFloat(f.array(), f.offset() + 4 * (c * accum + d));
            }
            x = new float[accum];
            acc = new float[depth];
        }

        @Override
        public void eval() {
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset();
            float[] w = weights, x = this.x, acc = this.acc;
            int n = depth;
            for (int b = 0; b < batches; b++) {
                FastLoops.floats(ia, io + 4 * b * accum, accum, x);
                java.util.Arrays.fill(acc, 0f);
                int d = 0;
                for (; d + 3 < accum; d += 4) {
                    float x0 = x[d], x1 = x[d + 1], x2 = x[d + 2], x3 = x[d + 3];
                    int w0 = d * n, w1 = w0 + n, w2 = w1 + n, w3 = w2 + n;
                    // left to right: ((((acc + p0) + p1) + p2) + p3), the reference's order
                    for (int c = 0; c < n; c++) acc[c] = acc[c] + x0 * w[w0 + c] + x1 * w[w1 + c] + x2 * w[w2 + c] + x3 * w[w3 + c];
                }
                for (; d < accum; d++) {
                    float xd = x[d];
                    int w0 = d * n;
                    for (int c = 0; c < n; c++) acc[c] = acc[c] + xd * w[w0 + c];
                }
                int ob = oo + 4 * b * n;
                for (int c = 0; c < n; c++) LittleEndian.putFloat(oa, ob + 4 * c, KernelUtil.clamp(acc[c] + bias[c], min, max));
            }
        }
    }
}
