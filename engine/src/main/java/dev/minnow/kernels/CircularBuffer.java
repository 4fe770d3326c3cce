package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferException;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.InvokeAbort;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CIRCULAR_BUFFER custom op (TFLM's kernels/circular_buffer.cc), for strided streaming convolutions: on every
 * invoke the int8 output [1, slots, h, w] (normally a variable tensor) shifts one slot towards its start and takes the
 * input [1, 1, h, w] as its last slot; then the op counts down its period and, while the count has not reached zero,
 * ends the invoke early (TFLM's kTfLiteAbort: later nodes do not run). Custom option {@code cycles_max} (the period;
 * the options may be empty). A period of 0 or less takes TFLM's hard-wired guess for the two streaming models it was
 * written for: 1 when the output has 5, 13 or 25 slots or, on the fifth such node prepared (counted per interpreter, a
 * function-static count in TFLM), 2 x 96 per slot; 2 otherwise. Reset restores the count.
 */
public final class CircularBuffer implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        int cyclesMax = cyclesMax(node);
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "has %d inputs and %d outputs, expected 1 and 1",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        // TFLM reads four dimensions of both without checking their rank.
        node.require(in.rank() == 4 && out.rank() == 4, "input %s and output %s must have rank 4", in.describe(), out.describe());
        node.require(in.dim(0) == out.dim(0), "input batch %d differs from the output's %d", in.dim(0), out.dim(0));
        node.require(in.dim(1) == 1, "input %s must hold one slot (dimension 1 = 1)", in.describe());
        node.require(in.dim(2) == out.dim(2) && in.dim(3) == out.dim(3), "input %s and output %s differ in dimensions 2 and 3",
                in.describe(), out.describe());
        node.require(in.dataType() == out.dataType(), "input is %s, output %s", in.dataType().lowerName(), out.dataType().lowerName());
        node.require(in.dataType() == DataType.INT8, "Type %s (%d) not supported.", in.dataType().name(), in.dataType().code());
        int slots = out.dim(1), depth = out.dim(2) * out.dim(3);
        node.require(slots >= 1, "output %s has no slot", out.describe());
        if (cyclesMax <= 0) {
            AtomicInteger prepared = node.interpreterCounter("CIRCULAR_BUFFER cb_prepare_count");
            int count = prepared.incrementAndGet();
            if (slots == 5 || slots == 13 || slots == 25 || (count == 5 && out.dim(2) == 2 && out.dim(3) == 96)) {
                cyclesMax = 1;
                prepared.set(0);
            } else {
                cyclesMax = 2;
            }
        }
        int period = cyclesMax;
        return new PreparedOp() {
            private int cyclesUntilRun = period;

            @Override public void eval() {
                byte[] o = out.array();
                int base = out.offset();
                System.arraycopy(o, base + depth, o, base, (slots - 1) * depth);
                System.arraycopy(in.array(), in.offset(), o, base + (slots - 1) * depth, depth);
                if (--cyclesUntilRun != 0) throw InvokeAbort.INSTANCE;
                cyclesUntilRun = period;
            }

            @Override public void reset() { cyclesUntilRun = period; }
        };
    }

    /** The {@code cycles_max} option (read by position 0 in TFLM), 0 when the node has no custom options. */
    private static int cyclesMax(NodeContext node) {
        byte[] raw = node.customOptions();
        if (raw.length == 0) return 0;
        try {
            FlexBufferMap map = FlexBufferMap.parse(raw);
            node.require(map.keys().equals(Set.of("cycles_max")), "custom options have keys %s, expected [cycles_max]", map.keys());
            return map.getInt("cycles_max");
        } catch (FlexBufferException e) {
            throw node.fail("%s", e.getMessage());
        }
    }

    /** OpDataCircularBuffer (two ints) from Init; Prepare fetches the input and the output. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        return new NodeFootprint(0, 4, new int[] {8}, new int[0], new int[0], Footprints.ALL_TENSORS.of(op, g));
    }
}
