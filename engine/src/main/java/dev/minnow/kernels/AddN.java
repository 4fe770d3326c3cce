package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizationException;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

import java.util.ArrayList;
import java.util.List;

/**
 * ADD_N as TFLM's add_n.cc: at least two inputs of one shape and type; float32 sums each element in input order
 * starting from 0; int8 (inputs sharing scale and zero point) widens every offset value by 2^20, halves it with a
 * multiplier (0.5 exactly), sums, and rescales by 2 * input scale / (2^20 * output scale). TFLM's sum starts from the
 * rescaled input offset instead of zero, so one extra -zero point is summed; minnow does the same.
 */
public final class AddN implements OpKernel {
    /** TFLM's kAddNIntegerShift. */
    private static final int LEFT_SHIFT = 20;

    /**
     * No params, no Init; Prepare fetches input 0, the output, then inputs 1..n-1, requests a scratch buffer of one
     * pointer per input, and for int8 allocates its OpData (10 x 4 bytes) persistently.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        List<Integer> temps = new ArrayList<>();
        Footprints.add(temps, op.input(0), op.output(0));
        for (int i = 1; i < op.inputCount(); i++) Footprints.add(temps, op.input(i));
        boolean int8 = g.tensor(op.output(0)).type() == DataType.INT8;
        return new NodeFootprint(0, 4, new int[0], int8 ? new int[] {40} : new int[0],
                new int[] {t.pointerSize() * op.inputCount()}, Footprints.ints(temps));
    }

    /** One addition per input per output element. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        return WorkCount.elements(g.tensor(op.output(0)).elementCount() * op.inputCount());
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        int count = node.inputCount();
        node.require(count >= 2, "num_inputs >= 2 was not true (%d inputs)", count);
        node.require(node.outputCount() == 1, "needs 1 output, has %d", node.outputCount());
        Tensor first = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = first.dataType();
        node.require(out.dataType() == t, "output->type != input->type (%s != %s)", out.dataType().name(), t.name());
        Tensor[] inputs = new Tensor[count];
        inputs[0] = first;
        for (int i = 1; i < count; i++) {
            Tensor in = KernelUtil.requiredInput(node, i);
            node.require(java.util.Arrays.equals(in.shape(), first.shape()), "input %d shape %s != input 0 shape %s", i,
                    java.util.Arrays.toString(in.shape()), java.util.Arrays.toString(first.shape()));
            node.require(in.dataType() == t, "input %d type %s != input 0 type %s", i, in.dataType().name(), t.name());
            if (t == DataType.INT8) {
                node.require(in.zeroPoint() == first.zeroPoint(), "input %d zero point %d != input 0 zero point %d", i,
                        in.zeroPoint(), first.zeroPoint());
                node.require(in.scale() == first.scale(), "input %d scale %s != input 0 scale %s", i, in.scale(), first.scale());
            }
            inputs[i] = in;
        }
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "ADD_N only supports FLOAT32 and INT8, got %s.", t.name());
        // AddN walks the output's flat size over every input; TFLM does not compare it with the inputs' shape
        KernelUtil.requireSameShape(node, first, out);
        int n = out.numElements();
        if (t == DataType.FLOAT32) {
            return () -> {
                byte[] oa = out.array();
                int oo = out.offset();
                for (int i = 0; i < n; i++) {
                    float x = 0;
                    for (Tensor in : inputs) x += LittleEndian.getFloat(in.array(), in.offset() + 4 * i);
                    LittleEndian.putFloat(oa, oo + 4 * i, x);
                }
            };
        }
        double twiceMaxInputScale = 2 * (double) first.scale();
        QuantizedMultiplier inM = smallerThanOne(node, (double) first.scale() / twiceMaxInputScale, "input");
        QuantizedMultiplier outM = smallerThanOne(node, twiceMaxInputScale / ((1 << LEFT_SHIFT) * (double) out.scale()), "output");
        int[] range = KernelUtil.activationRangeQuantized(node, KernelUtil.ACT_NONE, out);
        int inputOffset = -first.zeroPoint(), outputOffset = out.zeroPoint();
        int lo = range[0], hi = range[1];
        int start = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(inputOffset * (1 << LEFT_SHIFT),
                inM.multiplier(), inM.shift());
        return () -> {
            byte[] oa = out.array();
            int oo = out.offset();
            for (int i = 0; i < n; i++) {
                int sum = start;
                for (Tensor in : inputs) {
                    int y = (inputOffset + in.array()[in.offset() + i]) * (1 << LEFT_SHIFT);
                    sum += FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(y, inM.multiplier(), inM.shift());
                }
                int r = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(sum, outM.multiplier(), outM.shift()) + outputOffset;
                oa[oo + i] = (byte) Math.min(hi, Math.max(lo, r));
            }
        };
    }

    /** QuantizeMultiplierSmallerThanOneExp, which TFLM aborts on outside (0, 1). */
    private static QuantizedMultiplier smallerThanOne(NodeContext node, double real, String which) {
        try {
            return FixedPoint.quantizeMultiplierSmallerThanOne(real);
        } catch (QuantizationException e) {
            throw node.fail("the %s multiplier %s is not in (0, 1): TFLM's QuantizeMultiplierSmallerThanOneExp aborts", which, real);
        }
    }
}
