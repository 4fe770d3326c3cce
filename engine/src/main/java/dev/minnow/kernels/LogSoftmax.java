package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.FloatLibm;
import dev.minnow.math.QuantizationException;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * LOG_SOFTMAX over the last dimension as TFLM's log_softmax.cc. float32: x - max - logf(sum of expf(x - max)), summed
 * in order. int8 (output scale 16/256, zero point 127, fixed by TFLM): differences to the row maximum rescaled to
 * Q5.26, exp summed in Q12.19, log of the sum in Q5.26, outputs (x - max - log sum) in Q4 rounded and offset by 127;
 * differences at or below TFLM's adjusted minimum give -128.
 */
public final class LogSoftmax implements OpKernel {
    /** No params or Init; Prepare fetches input and output and, for int8, allocates LogSoftmaxOpData (two size_t). */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        boolean int8 = g.tensor(op.input(0)).type() == DataType.INT8;
        return new NodeFootprint(0, 4, new int[0], int8 ? new int[] {t == Target.HOST64 ? 40 : 28} : new int[0], new int[0],
                Footprints.ALL_TENSORS.of(op, g));
    }

    private static final float OUTPUT_SCALE = 16.0f / 256;
    private static final int OUTPUT_ZERO_POINT = 127;
    private static final int INPUT_INTEGER_BITS = 5;
    private static final int ACCUMULATION_INTEGER_BITS = 12;
    private static final int OUTPUT_INTEGER_BITS = 4;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input->type != output->type (%s != %s)", t.name(), out.dataType().name());
        KernelUtil.requireSameShape(node, in, out); // HaveSameShapes
        node.require(in.rank() >= 1, "input rank 0 has no last dimension to normalize");
        int depth = in.dim(in.rank() - 1);
        int outer = depth == 0 ? 0 : in.numElements() / depth;
        if (t == DataType.FLOAT32) {
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset();
                for (int i = 0; i < outer; i++) {
                    int row = io + 4 * i * depth;
                    float max = -Float.MAX_VALUE;
                    for (int c = 0; c < depth; c++) {
                        float v = LittleEndian.getFloat(ia, row + 4 * c);
                        max = max < v ? v : max; // std::max keeps the first argument unless it is smaller
                    }
                    float sum = 0f;
                    for (int c = 0; c < depth; c++) sum += FloatLibm.expf(LittleEndian.getFloat(ia, row + 4 * c) - max);
                    float logSum = FloatLibm.logf(sum);
                    for (int c = 0; c < depth; c++) {
                        LittleEndian.putFloat(oa, oo + 4 * (i * depth + c), LittleEndian.getFloat(ia, row + 4 * c) - max - logSum);
                    }
                }
            };
        }
        node.require(t == DataType.INT8, "LOG_SOFTMAX only supports float32, int8, got %s.", t.lowerName());
        node.require(out.scale() == OUTPUT_SCALE, "output->params.scale == kOutputScale was not true (%s != 0.0625)", out.scale());
        node.require(out.zeroPoint() == OUTPUT_ZERO_POINT, "output->params.zero_point == kOutputZeroPoint was not true (%d != 127)",
                out.zeroPoint());
        // PreprocessLogSoftmaxScalingExp with beta 1: the input multiplier (> 1, else TFLM aborts) and its reverse (< 1)
        double real = Math.min((double) in.scale() * (1 << (31 - INPUT_INTEGER_BITS)), (1L << 31) - 1.0);
        QuantizedMultiplier input, reverse;
        try {
            input = FixedPoint.quantizeMultiplierGreaterThanOne(real);
            reverse = FixedPoint.quantizeMultiplierSmallerThanOne((1 << (31 - input.shift())) / (double) input.multiplier());
        } catch (QuantizationException e) {
            throw node.fail("input scale %s gives no log-softmax multipliers TFLM accepts (it aborts): %s", in.scale(), e.getMessage());
        }
        int diffMin = -FixedPoint.calculateInputRadius(INPUT_INTEGER_BITS, input.shift());
        int inMul = input.multiplier(), inShift = input.shift(), revMul = reverse.multiplier(), revShift = reverse.shift();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < outer; i++) {
                int row = i * depth;
                int max = -128;
                for (int c = 0; c < depth; c++) max = Math.max(max, ia[io + row + c]);
                int sumOfExps = 0; // Q12.19
                for (int c = 0; c < depth; c++) {
                    int diff = ia[io + row + c] - max;
                    if (diff >= diffMin) {
                        int q5 = FixedPoint.multiplyByQuantizedMultiplier(diff, inMul, inShift);
                        sumOfExps += FixedPoint.rescale(FixedPoint.expOnNegativeValues(q5, INPUT_INTEGER_BITS), 0,
                                ACCUMULATION_INTEGER_BITS);
                    }
                }
                int logSum = FixedPoint.logXForXGreaterThanOrEqualTo1(sumOfExps, ACCUMULATION_INTEGER_BITS, INPUT_INTEGER_BITS);
                int shiftedLogSum = logSum + Integer.MIN_VALUE;
                int adjustedDiffMin = Math.max(diffMin - 1, FixedPoint.multiplyByQuantizedMultiplier(shiftedLogSum, revMul, revShift));
                for (int c = 0; c < depth; c++) {
                    int diff = ia[io + row + c] - max;
                    int v = -128;
                    if (diff > adjustedDiffMin) {
                        int q5 = FixedPoint.multiplyByQuantizedMultiplier(diff, inMul, inShift);
                        int q = FixedPoint.roundingDivideByPOT(q5 - logSum, 31 - INPUT_INTEGER_BITS - OUTPUT_INTEGER_BITS) + 127;
                        v = Math.max(Math.min(q, 127), -128);
                    }
                    oa[oo + row + c] = (byte) v;
                }
            }
        };
    }
}
