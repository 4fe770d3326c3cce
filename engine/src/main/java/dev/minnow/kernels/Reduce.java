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
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.ArrayList;
import java.util.List;

/**
 * The reductions of TFLM's reduce.cc. MEAN and SUM: the input is walked in row-major order, each element added to its
 * output slot (float sums in that order; int8/int16 into wrapping int32 accumulators); float MEAN divides by the
 * reduced count (the 4-D keep_dims mean over H and W sums row by row); quantized results are rescaled with the
 * input/output multiplier, divided for MEAN by folding the count into the multiplier as TFLM does. REDUCE_MAX,
 * REDUCE_MIN and REDUCE_ALL are TFLM's ReduceGeneric: every output element starts at the reduction's initial value
 * (the type's lowest or highest value, true) and takes each input element in row-major order; MAX and MIN run on
 * float32 and on int8 with the input's quantization, ALL on bool.
 */
public final class Reduce implements OpKernel {
    /** The reduction: MEAN, SUM, or REDUCE_MAX, REDUCE_MIN, REDUCE_ALL. */
    public enum Mode { MEAN, SUM, MAX, MIN, ALL }
    /**
     * TfLiteReducerParams (one bool); OpDataReduce (11 x 4); scratch: int32 accumulators for quantized inputs, the
     * input iterator and the resolved axes. PrepareMeanOrSumHelper fetches input, output, axis; PrepareSimple input,
     * axis, and output for int8 input.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0)), axis = g.tensor(op.input(1));
        boolean quantized = in.type() == DataType.INT8 || in.type() == DataType.INT16;
        int[] scratch = quantized
                ? new int[] {4 * (int) out.elementCount(), 4 * in.rank(), 4 * (int) axis.elementCount()}
                : new int[] {4 * in.rank(), 4 * (int) axis.elementCount()};
        List<Integer> temps = new ArrayList<>();
        Footprints.add(temps, op.input(0), op.output(0), op.input(1), op.input(0), op.input(1));
        if (in.type() == DataType.INT8) Footprints.add(temps, op.output(0));
        return new NodeFootprint(1, 1, new int[] {44}, new int[0], scratch, Footprints.ints(temps));
    }

    /**
     * REDUCE_MAX and REDUCE_MIN: TfLiteReducerParams; OpDataReduce; scratch: the input iterator and the resolved axes.
     * PrepareSimple fetches input, axis (and output for int8 input), then PrepareMinMaxHelper input, output, axis.
     */
    public static NodeFootprint minMaxFootprint(OperatorInfo op, SubgraphInfo g, Target t) {
        TensorInfo in = g.tensor(op.input(0)), axis = g.tensor(op.input(1));
        List<Integer> temps = new ArrayList<>();
        Footprints.add(temps, op.input(0), op.input(1));
        if (in.type() == DataType.INT8) Footprints.add(temps, op.output(0));
        Footprints.add(temps, op.input(0), op.output(0), op.input(1));
        return new NodeFootprint(1, 1, new int[] {44}, new int[0], new int[] {4 * in.rank(), 4 * (int) axis.elementCount()},
                Footprints.ints(temps));
    }

    /**
     * REDUCE_ALL: TfLiteReducerParams; OpDataReduce; scratch: the input iterator and the resolved axes. PrepareAllHelper
     * fetches input, output, axis, then PrepareSimple input and axis (the input is bool).
     */
    public static NodeFootprint allFootprint(OperatorInfo op, SubgraphInfo g, Target t) {
        TensorInfo in = g.tensor(op.input(0)), axis = g.tensor(op.input(1));
        List<Integer> temps = new ArrayList<>();
        Footprints.add(temps, op.input(0), op.output(0), op.input(1), op.input(0), op.input(1));
        return new NodeFootprint(1, 1, new int[] {44}, new int[0], new int[] {4 * in.rank(), 4 * (int) axis.elementCount()},
                Footprints.ints(temps));
    }


    private final Mode mode;
    private final boolean mean;

    /** A kernel for one reduction. */
    public Reduce(Mode mode) {
        this.mode = mode;
        this.mean = mode == Mode.MEAN;
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        return mode == Mode.MEAN || mode == Mode.SUM ? prepareMeanOrSum(node) : prepareGeneric(node);
    }

    private PreparedOp prepareMeanOrSum(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), axis = KernelUtil.requiredInput(node, 1), out = node.output(0);
        node.require(axis.dataType() == DataType.INT32, "axis->type != kTfLiteInt32 (%s != INT32)", axis.dataType().name());
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16,
                "Currently, only float32, int8 or int16 input type is supported (got %s).", t.name());
        boolean keepDims = Options.Reducer.of(node.options()).keepDims();
        int rank = in.rank();
        int[] dims = in.shape();
        int numAxis = axis.numElements();
        QuantizedMultiplier m = t == DataType.FLOAT32 ? null
                : FixedPoint.quantizeMultiplier((double) in.scale() / (double) out.scale());
        int inZp = in.zeroPoint(), outZp = out.zeroPoint();
        int nOut = out.numElements(), nIn = in.numElements();
        if (axis.isConstant()) {
            for (int k = 0; k < numAxis; k++) {
                int a = axis.getInt(k);
                node.require(a >= -rank && a < rank, "axis %d out of range for input rank %d", a, rank);
            }
        }
        boolean[] reduced = new boolean[rank];
        if (axis.isConstant()) {
            // TFLM trusts the converter's output shape; a smaller one would be written past its end.
            long kept = resolveAxes(node, axis, numAxis, dims, nIn, reduced);
            node.require(kept <= nOut, "the reduction of %s over axes %s writes %d output elements, output tensor #%d %s has %d",
                    java.util.Arrays.toString(dims), java.util.Arrays.toString(axisValues(axis, numAxis)), kept, out.index(),
                    java.util.Arrays.toString(out.shape()), nOut);
        }
        int[] resolved = new int[Math.max(numAxis, 1)];
        int[] iter = new int[rank];
        if (t != DataType.FLOAT32) KernelUtil.reserveHeap(node, 4L * nOut, "the reduction's accumulators");
        int[] acc = t == DataType.FLOAT32 ? new int[0] : new int[nOut];
        return () -> {
            // ResolveAxis: negative axes wrap, duplicates count once.
            int count = 0;
            java.util.Arrays.fill(reduced, false);
            for (int k = 0; k < numAxis; k++) {
                int a = axis.getInt(k);
                int cur = a < 0 ? a + rank : a;
                if (cur < 0 || cur >= rank) throw new KernelException("axis " + a + " out of range for input rank " + rank);
                if (!reduced[cur]) { reduced[cur] = true; resolved[count++] = cur; }
            }
            long elementsInAxis = 1;
            for (int d = 0; d < rank; d++) if (reduced[d]) elementsInAxis *= dims[d];
            if (nIn > 0 && (long) nIn / Math.max(elementsInAxis, 1) > nOut) {
                throw new KernelException("the reduction writes " + nIn / Math.max(elementsInAxis, 1) + " output elements, the output has " + nOut);
            }
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            boolean empty = nIn == 0;
            if (t == DataType.FLOAT32) {
                for (int i = 0; i < nOut; i++) LittleEndian.putFloat(oa, oo + 4 * i, 0f);
                if (empty) return;
                boolean hw = mean && keepDims && rank == 4 && count == 2 && reduced[1] && reduced[2];
                if (hw) {
                    int b = dims[0], h = dims[1], w = dims[2], d = dims[3];
                    for (int ob = 0; ob < b; ob++)
                        for (int od = 0; od < d; od++) {
                            float v = 0;
                            for (int y = 0; y < h; y++)
                                for (int x = 0; x < w; x++) v += LittleEndian.getFloat(ia, io + 4 * (((ob * h + y) * w + x) * d + od));
                            LittleEndian.putFloat(oa, oo + 4 * (ob * d + od), v / (w * h));
                        }
                    return;
                }
                java.util.Arrays.fill(iter, 0);
                for (int i = 0; i < nIn; i++) {
                    int o = outputOffset(dims, iter, reduced);
                    LittleEndian.putFloat(oa, oo + 4 * o, LittleEndian.getFloat(ia, io + 4 * i) + LittleEndian.getFloat(oa, oo + 4 * o));
                    next(dims, iter);
                }
                if (mean && elementsInAxis > 0) {
                    for (int i = 0; i < nOut; i++) {
                        LittleEndian.putFloat(oa, oo + 4 * i, LittleEndian.getFloat(oa, oo + 4 * i) / (float) elementsInAxis);
                    }
                }
                return;
            }
            java.util.Arrays.fill(acc, 0);
            for (int i = 0; i < nOut; i++) ElementIO.put(t, oa, oo, i, 0);
            if (empty || elementsInAxis == 0) return;
            java.util.Arrays.fill(iter, 0);
            for (int i = 0; i < nIn; i++) {
                acc[outputOffset(dims, iter, reduced)] += ElementIO.get(t, ia, io, i);
                next(dims, iter);
            }
            int multiplier = m.multiplier(), shift = m.shift();
            if (mean) {
                int s = 63 - Long.numberOfLeadingZeros(elementsInAxis);
                s = Math.min(s, 32);
                s = Math.min(s, 31 + shift);
                multiplier = (int) (((long) multiplier << s) / elementsInAxis);
                shift = shift - s;
            }
            int lo = ElementIO.min(t), hi = ElementIO.max(t);
            for (int i = 0; i < nOut; i++) {
                int shifted = (int) (acc[i] - (long) inZp * elementsInAxis);
                int r = FixedPoint.multiplyByQuantizedMultiplier(shifted, multiplier, shift) + outZp;
                ElementIO.put(t, oa, oo, i, Math.min(Math.max(r, lo), hi));
            }
        };
    }

    /**
     * REDUCE_MAX, REDUCE_MIN (float32, int8 with the output's quantization) and REDUCE_ALL (bool) as ReduceGeneric:
     * the output filled with the initial value, then each input element reduced into its slot in row-major order.
     */
    private PreparedOp prepareGeneric(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), axis = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = in.dataType();
        if (mode == Mode.ALL) node.require(t == DataType.BOOL, "input type %s != BOOL", t.name());
        node.require(axis.dataType() == DataType.INT32, "axis->type != kTfLiteInt32 (%s != INT32)", axis.dataType().name());
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        if (mode != Mode.ALL) {
            node.require(t == DataType.FLOAT32 || t == DataType.INT8, "Only float32 and int8 types are supported (got %s).", t.name());
            if (t == DataType.INT8) {
                node.require((double) in.scale() == (double) out.scale(), "input scale %s != output scale %s", in.scale(), out.scale());
                node.require(in.zeroPoint() == out.zeroPoint(), "input zero point %d != output zero point %d",
                        in.zeroPoint(), out.zeroPoint());
            }
        }
        int rank = in.rank();
        int[] dims = in.shape();
        int numAxis = axis.numElements();
        int nIn = in.numElements(), nOut = out.numElements();
        boolean[] reduced = new boolean[rank];
        int[] iter = new int[rank];
        if (axis.isConstant()) {
            long kept = resolveAxes(node, axis, numAxis, dims, nIn, reduced);
            node.require(kept <= nOut, "the reduction writes %d output elements, the output has %d", kept, nOut);
        }
        boolean max = mode == Mode.MAX;
        return () -> {
            long kept = resolveAxes(null, axis, numAxis, dims, nIn, reduced);
            if (kept > nOut) throw new KernelException("the reduction writes " + kept + " output elements, the output has " + nOut);
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            java.util.Arrays.fill(iter, 0);
            switch (t) {
                case FLOAT32 -> {
                    float init = max ? -Float.MAX_VALUE : Float.MAX_VALUE;
                    for (int i = 0; i < nOut; i++) LittleEndian.putFloat(oa, oo + 4 * i, init);
                    if (nIn == 0) return;
                    for (int i = 0; i < nIn; i++) {
                        int o = oo + 4 * outputOffset(dims, iter, reduced);
                        float v = LittleEndian.getFloat(ia, io + 4 * i), cur = LittleEndian.getFloat(oa, o);
                        if (max ? v > cur : v < cur) LittleEndian.putFloat(oa, o, v);
                        next(dims, iter);
                    }
                }
                case INT8 -> {
                    java.util.Arrays.fill(oa, oo, oo + nOut, (byte) (max ? -128 : 127));
                    for (int i = 0; i < nIn; i++) {
                        int o = oo + outputOffset(dims, iter, reduced);
                        byte v = ia[io + i];
                        if (max ? v > oa[o] : v < oa[o]) oa[o] = v;
                        next(dims, iter);
                    }
                }
                default -> { // BOOL: REDUCE_ALL
                    java.util.Arrays.fill(oa, oo, oo + nOut, (byte) 1);
                    for (int i = 0; i < nIn; i++) {
                        if (ia[io + i] == 0) oa[oo + outputOffset(dims, iter, reduced)] = 0;
                        next(dims, iter);
                    }
                }
            }
        };
    }

    /**
     * TFLM's ResolveAxis into {@code reduced} (negative axes wrap, repeats count once) and the number of output elements
     * the reduction writes (the product of the kept dimensions). Scalars and empty inputs skip the axes as ReduceGeneric
     * does. An axis out of range fails the node in prepare ({@code node} given) or the invoke.
     */
    private static long resolveAxes(NodeContext node, Tensor axis, int numAxis, int[] dims, int nIn, boolean[] reduced) {
        java.util.Arrays.fill(reduced, false);
        if (dims.length == 0 || nIn == 0) return nIn == 0 ? 0 : 1;
        for (int k = 0; k < numAxis; k++) {
            int a = axis.getInt(k);
            int cur = a < 0 ? a + dims.length : a;
            if (cur < 0 || cur >= dims.length) {
                String message = "axis " + a + " out of range for input rank " + dims.length;
                if (node != null) throw node.fail("%s", message);
                throw new KernelException(message);
            }
            reduced[cur] = true;
        }
        long kept = 1;
        for (int d = 0; d < dims.length; d++) if (!reduced[d]) kept *= dims[d];
        return kept;
    }

    private static int[] axisValues(Tensor axis, int numAxis) {
        int[] v = new int[numAxis];
        for (int k = 0; k < numAxis; k++) v[k] = axis.getInt(k);
        return v;
    }

    /** Row-major offset of the input index in the output, skipping the reduced dimensions. */
    private static int outputOffset(int[] dims, int[] iter, boolean[] reduced) {
        int off = 0;
        for (int d = 0; d < dims.length; d++) if (!reduced[d]) off = off * dims[d] + iter[d];
        return off;
    }

    private static void next(int[] dims, int[] iter) {
        for (int d = dims.length - 1; d >= 0; d--) {
            if (++iter[d] < dims[d]) return;
            iter[d] = 0;
        }
    }
}
