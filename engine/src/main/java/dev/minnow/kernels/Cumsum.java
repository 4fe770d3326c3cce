package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * CUMSUM as TFLM's kernel: running sums along the axis of input 1 (an int32 scalar read at invoke, negative counting
 * from the end), exclusive (each output leaves out its own element) and/or reverse. float32 sums in order from 0.0f;
 * int8 works as TFLM's quantized path: each input, offset by the zero point and shifted left 20 bits, is halved by a
 * fixed-point multiplier of 0.5 and added to an int32 accumulator (wrapping like TFLM's), which is rescaled by
 * {@code 2 * input_scale / (2^20 * output_scale)} (which must be below 1) to the output.
 */
public final class Cumsum implements OpKernel {
    private static final int LEFT_SHIFT = 20;

    /** TfLiteCumsumParams {bool exclusive, reverse}; the int8 path's OpData (9 ints) is allocated in Prepare. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        boolean int8 = g.tensor(op.output(0)).type() == DataType.INT8;
        return new NodeFootprint(2, 1, new int[0], int8 ? new int[] {36} : new int[0], new int[0],
                Footprints.fetches(0, 1, Footprints.OUTPUT).of(op, g));
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2, "NumInputs(node) != 2 (%d)", node.inputCount());
        node.require(node.outputCount() == 1, "NumOutputs(node) != 1 (%d)", node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), axisT = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "input type %s: only float32 and int8", t.name());
        node.require(axisT.dataType() == DataType.INT32, "axis->type != kTfLiteInt32 (%s)", axisT.dataType().name());
        node.require(axisT.numElements() == 1, "NumElements(axis) != 1 (%d)", axisT.numElements());
        node.require(in.rank() >= 1, "NumDimensions(input) >= 1 was not true (a scalar)");
        node.require(out.dataType() == t, "input->type != output->type (%s != %s)", t.name(), out.dataType().name());
        KernelUtil.requireSameShape(node, in, out);
        Options.Cumsum opts = Options.Cumsum.of(node.options());
        boolean exclusive = opts.exclusive(), reverse = opts.reverse();
        int rank = in.rank();
        int[] dims = in.shape();
        if (axisT.isConstant()) {
            int a = axisT.getInt(0);
            node.require(a >= -rank && a < rank, "CUMSUM Invalid axis: %d (rank %d)", a, rank);
        }
        int[] geometry = new int[3]; // inner (before the axis), depth, outer (after it)
        if (t == DataType.FLOAT32) {
            return () -> {
                axis(axisT, dims, geometry);
                int inner = geometry[0], depth = geometry[1], outer = geometry[2];
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset();
                for (int o = 0; o < outer; o++) {
                    for (int i = 0; i < inner; i++) {
                        float sum = 0f;
                        for (int k = 0; k < depth; k++) {
                            int kk = reverse ? depth - 1 - k : k;
                            int index = o + i * depth * outer + kk * outer;
                            float x = LittleEndian.getFloat(ia, io + 4 * index);
                            if (exclusive) {
                                LittleEndian.putFloat(oa, oo + 4 * index, sum);
                                sum += x;
                            } else {
                                sum += x;
                                LittleEndian.putFloat(oa, oo + 4 * index, sum);
                            }
                        }
                    }
                }
            };
        }
        // OpData of the int8 path
        int inputOffset = -in.zeroPoint(), outputOffset = out.zeroPoint();
        double twiceMaxInputScale = 2 * (double) in.scale();
        double realInput = (double) in.scale() / twiceMaxInputScale;
        double realOutput = twiceMaxInputScale / ((1 << LEFT_SHIFT) * (double) out.scale());
        QuantizedMultiplier inM = smallerThanOne(node, realInput, "input");
        QuantizedMultiplier outM = smallerThanOne(node, realOutput, "output");
        int[] range = KernelUtil.activationRangeQuantized(node, KernelUtil.ACT_NONE, out);
        int qmin = range[0], qmax = range[1];
        node.require(-inputOffset >= -128 && -inputOffset <= 127, "input zero point %d outside int8 (TFLM DCHECKs it)", -inputOffset);
        return () -> {
            axis(axisT, dims, geometry);
            int inner = geometry[0], depth = geometry[1], outer = geometry[2];
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int o = 0; o < outer; o++) {
                for (int i = 0; i < inner; i++) {
                    int acc = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(inputOffset * (1 << LEFT_SHIFT),
                            inM.multiplier(), inM.shift());
                    for (int k = 0; k < depth; k++) {
                        int kk = reverse ? depth - 1 - k : k;
                        int index = o + i * depth * outer + kk * outer;
                        int y = inputOffset + ia[io + index];
                        int scaled = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(y * (1 << LEFT_SHIFT),
                                inM.multiplier(), inM.shift());
                        int result;
                        if (exclusive) {
                            result = acc;
                            acc += scaled;
                        } else {
                            acc += scaled;
                            result = acc;
                        }
                        int raw = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(result, outM.multiplier(), outM.shift())
                                + outputOffset;
                        oa[oo + index] = (byte) Math.min(qmax, Math.max(qmin, raw));
                    }
                }
            }
        };
    }

    /** QuantizeMultiplierSmallerThanOneExp and its CHECKs (0 < m < 1, shift <= 0): an abort in TFLM otherwise. */
    private static QuantizedMultiplier smallerThanOne(NodeContext node, double real, String which) {
        node.require(real > 0 && real < 1, "%s multiplier %s is not in (0, 1) (TFLM's QuantizeMultiplierSmallerThanOneExp aborts)",
                which, real);
        QuantizedMultiplier m = FixedPoint.quantizeMultiplier(real);
        node.require(m.shift() <= 0, "%s multiplier %s rounds to a shift of %d > 0 (TFLM aborts)", which, real, m.shift());
        return m;
    }

    /** Reads the axis as TFLM's Eval does and splits the shape around it into {inner, depth, outer}. */
    private static void axis(Tensor axisT, int[] dims, int[] geometry) {
        int rank = dims.length, a = axisT.getInt(0);
        if (a < 0) a += rank;
        if (a < 0 || a >= rank) throw new KernelException("CUMSUM Invalid axis: " + axisT.getInt(0) + " (rank " + rank + ")");
        int inner = 1, outer = 1;
        for (int d = 0; d < a; d++) inner *= dims[d];
        for (int d = a + 1; d < rank; d++) outer *= dims[d];
        geometry[0] = inner;
        geometry[1] = dims[a];
        geometry[2] = outer;
    }
}
