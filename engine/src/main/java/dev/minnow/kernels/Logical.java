package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * LOGICAL_AND, LOGICAL_OR and LOGICAL_NOT on bool tensors as TFLM's logical.cc and elementwise.cc. AND and OR have no
 * Prepare in TFLM (nothing is checked; the flat loop runs when both inputs have one shape, BroadcastBinaryOpSimple
 * otherwise); NOT's Prepare requires the output to have the input's type and its Eval requires bool.
 */
public final class Logical implements OpKernel {
    /** The operation. */
    public enum Kind { AND, OR, NOT }

    private final Kind kind;

    /** A kernel for one logical operation. */
    public Logical(Kind kind) { this.kind = kind; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        if (kind == Kind.NOT) return prepareNot(node);
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        // TFLM reads any tensors as bool arrays; minnow runs only the bool tensors that reading is defined for
        for (Tensor t : new Tensor[] {a, b, out}) {
            node.require(t.dataType() == DataType.BOOL, "tensor %s is %s; LOGICAL_%s takes bool tensors", t.describe(),
                    t.dataType().lowerName(), kind.name());
        }
        int[][] maps = Broadcast.binaryMaps(node, a, b, out, Broadcast.SIMPLE_MAX_RANK);
        int[] ma = maps == null ? null : maps[0], mb = maps == null ? null : maps[1];
        int n = out.numElements();
        boolean and = kind == Kind.AND;
        return () -> {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                boolean x = aa[ao + (ma == null ? i : ma[i])] != 0, y = ba[bo + (mb == null ? i : mb[i])] != 0;
                oa[oo + i] = (byte) ((and ? x && y : x || y) ? 1 : 0);
            }
        };
    }

    private static PreparedOp prepareNot(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        node.require(in.dataType() == out.dataType(), "input->type != output->type (%s != %s)", in.dataType().name(),
                out.dataType().name());
        node.require(in.dataType() == DataType.BOOL, "input type %s != BOOL", in.dataType().name());
        node.require(in.numElements() == out.numElements(), "output has %d elements, input %d", out.numElements(),
                in.numElements());
        int n = in.numElements();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) oa[oo + i] = (byte) (ia[io + i] == 0 ? 1 : 0);
        };
    }
}
