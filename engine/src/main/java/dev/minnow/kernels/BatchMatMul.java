package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * BATCH_MATMUL as TFLM's reference kernel: {@code lhs[..., A, B] x rhs[..., B, C] -> [..., A, C]} over ranks 2 to 5,
 * the batch dimensions broadcasting (right-aligned, size 1 repeating); adj_x takes lhs as {@code [..., B, A]}, adj_y
 * rhs as {@code [..., C, B]}. float32 sums the products from 0.0f in order of B; int8 (int32 accumulators) and int16
 * (int64 accumulators, zero points 0) sum {@code (rhs - rhs_zp) * (lhs - lhs_zp)} and requantize by
 * {@code lhs_scale * rhs_scale / output_scale} like FULLY_CONNECTED, clamped to the type. TFLM transposes rhs (unless
 * adj_y) and lhs (if adj_x) into persistent buffers it allocates in Prepare; the arithmetic is unchanged by it.
 * Prepare rewrites the output's dims; the model's output needs the product's element count and at least its rank.
 */
public final class BatchMatMul implements OpKernel {
    private static final int MIN_RANK = 2, MAX_RANK = 5;

    /**
     * TfLiteBatchMatMulParams (3 bools); OpDataBatchMatmul (3 pointers, 3 bools) from Init; in Prepare the quantized
     * paths' QuantizationOpDataBatchMatmul (7 ints), then for each operand TFLM transposes (lhs with adj_x, rhs without
     * adj_y) a TfLiteEvalTensor, its dims and a copy of its data, and last the output's writable dims.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        TensorInfo lhs = g.tensor(op.input(0)), rhs = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        Options.BatchMatMul o = Options.BatchMatMul.of(op.options());
        int[] prepare = new int[0];
        if (lhs.type() == DataType.INT8 || lhs.type() == DataType.INT16) prepare = append(prepare, 28);
        if (o.adjX()) prepare = append(prepare, t.evalTensor(), Target.intArrayBytes(lhs.rank()), (int) lhs.byteSize());
        if (!o.adjY()) prepare = append(prepare, t.evalTensor(), Target.intArrayBytes(rhs.rank()), (int) rhs.byteSize());
        prepare = append(prepare, Target.intArrayBytes(out.rank()));
        return new NodeFootprint(3, 1, new int[] {t == Target.HOST64 ? 32 : 16}, prepare, new int[0], Footprints.ALL_TENSORS.of(op, g));
    }

    /** Multiply-accumulates: every output element sums over the accumulation depth. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo lhs = g.tensor(op.input(0)), out = g.tensor(op.output(0));
        boolean adjX = Options.BatchMatMul.of(op.options()).adjX();
        long depth = lhs.rank() < 2 ? 0 : lhs.dim(adjX ? lhs.rank() - 2 : lhs.rank() - 1);
        return WorkCount.macs(out.elementCount() * depth);
    }

    private static int[] append(int[] a, int... more) {
        int[] r = Arrays.copyOf(a, a.length + more.length);
        System.arraycopy(more, 0, r, a.length, more.length);
        return r;
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor lhs = KernelUtil.requiredInput(node, 0), rhs = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = lhs.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16, "lhs type %s: float32, int8 or int16", t.name());
        node.require(rhs.dataType() == t, "lhs type %s != rhs type %s (hybrid inputs are not supported)", t.name(), rhs.dataType().name());
        node.require(out.dataType() == t, "lhs type %s != output type %s", t.name(), out.dataType().name());
        int lr = lhs.rank(), rr = rhs.rank();
        node.require(lr >= MIN_RANK && lr <= MAX_RANK, "lhs rank %d outside 2..5", lr);
        node.require(rr >= MIN_RANK && rr <= MAX_RANK, "rhs rank %d outside 2..5", rr);
        QuantizedMultiplier qm = QuantizedMultiplier.ZERO;
        if (t != DataType.FLOAT32) {
            node.require(out.scale() > 0, "output scale %s", out.scale());
            double real = KernelUtil.convolutionMultiplier(node, lhs, rhs, null, out);
            qm = FixedPoint.quantizeMultiplier(real);
            if (t == DataType.INT16) {
                node.require(lhs.zeroPoint() == 0, "lhs zero point %d != 0 (int16)", lhs.zeroPoint());
                node.require(rhs.zeroPoint() == 0, "rhs zero point %d != 0 (int16)", rhs.zeroPoint());
                node.require(out.zeroPoint() == 0, "output zero point %d != 0 (int16)", out.zeroPoint());
                ConvCommon.requireInt64MultiplierShifts(node, new int[] {qm.shift()});
            }
        }
        Options.BatchMatMul o = Options.BatchMatMul.of(node.options());
        boolean adjX = o.adjX(), adjY = o.adjY();
        int rank = Math.max(lr, rr);
        int[] l = extend(lhs.shape(), rank), r = extend(rhs.shape(), rank);
        int batchRank = rank - 2;
        int[] outBatch = new int[batchRank];
        for (int i = 0; i < batchRank; i++) {
            node.require(l[i] == r[i] || l[i] == 1 || r[i] == 1, "batch dimension %d: lhs %d and rhs %d do not broadcast", i, l[i], r[i]);
            outBatch[i] = l[i] == r[i] || l[i] != 1 ? l[i] : r[i];
        }
        int rows = adjX ? l[rank - 1] : l[rank - 2], depth = adjX ? l[rank - 2] : l[rank - 1];
        int rhsDepth = adjY ? r[rank - 1] : r[rank - 2], cols = adjY ? r[rank - 2] : r[rank - 1];
        node.require(depth == rhsDepth, "accum_dim_lhs != accum_dim_rhs (%d != %d)", depth, rhsDepth);
        node.require(rank <= out.rank(), "output rank %d below the product's rank %d", out.rank(), rank);
        long batches = 1;
        for (int d : outBatch) batches *= d;
        long count = batches * rows * cols;
        node.require(count == out.numElements(), "orig_size != NumElements(output) (%d != %d)", out.numElements(), count);
        // per output batch, the element offsets of its lhs and rhs matrices (stride 0 along broadcast dimensions)
        int nb = (int) batches;
        int[] lhsAt = new int[nb], rhsAt = new int[nb];
        int lhsMatrix = rows * depth, rhsMatrix = depth * cols;
        int[] coord = new int[batchRank];
        for (int b = 0; b < nb; b++) {
            int la = 0, ra = 0, ls = lhsMatrix, rs = rhsMatrix;
            for (int d = batchRank - 1; d >= 0; d--) {
                if (l[d] != 1) la += coord[d] * ls;
                if (r[d] != 1) ra += coord[d] * rs;
                ls *= l[d];
                rs *= r[d];
            }
            lhsAt[b] = la;
            rhsAt[b] = ra;
            for (int d = batchRank - 1; d >= 0; d--) {
                if (++coord[d] < outBatch[d]) break;
                coord[d] = 0;
            }
        }
        // element strides: lhs element (i, k) and rhs element (k, j) within a matrix
        int li = adjX ? 1 : depth, lk = adjX ? rows : 1, rk = adjY ? 1 : cols, rj = adjY ? depth : 1;
        Layout g = new Layout(nb, rows, cols, depth, lhsAt, rhsAt, li, lk, rk, rj);
        return switch (t) {
            case FLOAT32 -> () -> g.float32(lhs, rhs, out);
            case INT8 -> {
                int lo = -lhs.zeroPoint(), ro = -rhs.zeroPoint(), oz = out.zeroPoint(), m = qm.multiplier(), s = qm.shift();
                yield () -> g.int8(lhs, rhs, out, lo, ro, oz, m, s);
            }
            default -> {
                int m = qm.multiplier(), s = qm.shift();
                yield () -> g.int16(lhs, rhs, out, m, s);
            }
        };
    }

    private static int[] extend(int[] shape, int rank) {
        int[] e = new int[rank];
        Arrays.fill(e, 1);
        System.arraycopy(shape, 0, e, rank - shape.length, shape.length);
        return e;
    }

    /** The product's geometry: batches, matrix sizes, per-batch operand offsets and element strides. */
    private record Layout(int batches, int rows, int cols, int depth, int[] lhsAt, int[] rhsAt, int li, int lk, int rk, int rj) {
        void float32(Tensor lhs, Tensor rhs, Tensor out) {
            byte[] la = lhs.array(), ra = rhs.array(), oa = out.array();
            int lo = lhs.offset(), ro = rhs.offset(), p = out.offset();
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++, p += 4) {
                        float total = 0f;
                        int x = lo + 4 * (lhsAt[b] + i * li), y = ro + 4 * (rhsAt[b] + j * rj);
                        for (int k = 0; k < depth; k++) {
                            total += LittleEndian.getFloat(ra, y + 4 * k * rk) * LittleEndian.getFloat(la, x + 4 * k * lk);
                        }
                        LittleEndian.putFloat(oa, p, total);
                    }
                }
            }
        }

        void int8(Tensor lhs, Tensor rhs, Tensor out, int lhsOffset, int rhsOffset, int outOffset, int m, int s) {
            byte[] la = lhs.array(), ra = rhs.array(), oa = out.array();
            int lo = lhs.offset(), ro = rhs.offset(), p = out.offset();
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++, p++) {
                        int total = 0;
                        int x = lo + lhsAt[b] + i * li, y = ro + rhsAt[b] + j * rj;
                        for (int k = 0; k < depth; k++) total += (ra[y + k * rk] + rhsOffset) * (la[x + k * lk] + lhsOffset);
                        int v = FixedPoint.multiplyByQuantizedMultiplier(total, m, s) + outOffset;
                        oa[p] = (byte) Math.min(127, Math.max(-128, v));
                    }
                }
            }
        }

        void int16(Tensor lhs, Tensor rhs, Tensor out, int m, int s) {
            byte[] la = lhs.array(), ra = rhs.array(), oa = out.array();
            int lo = lhs.offset(), ro = rhs.offset(), p = out.offset();
            for (int b = 0; b < batches; b++) {
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++, p += 2) {
                        long total = 0;
                        int x = lo + 2 * (lhsAt[b] + i * li), y = ro + 2 * (rhsAt[b] + j * rj);
                        for (int k = 0; k < depth; k++) {
                            total += (long) LittleEndian.getShort(ra, y + 2 * k * rk) * LittleEndian.getShort(la, x + 2 * k * lk);
                        }
                        int v = FixedPoint.multiplyByQuantizedMultiplier(total, m, s);
                        LittleEndian.putShort(oa, p, (short) Math.min(32767, Math.max(-32768, v)));
                    }
                }
            }
        }
    }
}
