package dev.minnow.kernels;

import dev.minnow.math.FloatLibm;
import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * FLOOR_DIV and FLOOR_MOD as TFLM's floor_div.cc and floor_mod.cc: Prepare requires one type for both inputs and the
 * output, Eval supports float32 only; the flat loop when both inputs have one shape, BroadcastBinaryOpSimple otherwise.
 * FLOOR_DIV is floor(double(x) / double(y)) rounded to float and fails the invoke when any denominator is zero;
 * FLOOR_MOD is fmodf(x, y), plus y when the remainder is nonzero and its sign differs from y's.
 */
public final class FloorDivMod implements OpKernel {
    /** The operation. */
    public enum Kind { FLOOR_DIV, FLOOR_MOD }

    private final boolean div;

    /** A FLOOR_DIV or FLOOR_MOD kernel. */
    public FloorDivMod(Kind kind) { this.div = kind == Kind.FLOOR_DIV; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = a.dataType();
        node.require(t == b.dataType(), "input1->type != input2->type (%s != %s)", t.name(), b.dataType().name());
        node.require(t == out.dataType(), "input1->type != output->type (%s != %s)", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32, "Type '%s' is not supported by %s.", t.name(), div ? "FLOOR_DIV" : "FLOOR_MOD");
        int[][] maps = Broadcast.binaryMaps(node, a, b, out, Broadcast.SIMPLE_MAX_RANK);
        int[] ma = maps == null ? null : maps[0], mb = maps == null ? null : maps[1];
        int n = out.numElements(), nb = b.numElements();
        return () -> {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            if (div) {
                for (int i = 0; i < nb; i++) {
                    if (LittleEndian.getFloat(ba, bo + 4 * i) == 0.0f) throw new KernelException("FLOOR_DIV: Division by 0");
                }
            }
            for (int i = 0; i < n; i++) {
                float x = LittleEndian.getFloat(aa, ao + 4 * (ma == null ? i : ma[i]));
                float y = LittleEndian.getFloat(ba, bo + 4 * (mb == null ? i : mb[i]));
                LittleEndian.putFloat(oa, oo + 4 * i, div ? floorDiv(x, y) : floorMod(x, y));
            }
        };
    }

    /** reference_ops::FloorDiv on float: std::floor of the double quotient, converted back to float. */
    static float floorDiv(float x, float y) { return (float) Math.floor((double) x / (double) y); }

    /** reference_ops::FloorMod on float. */
    static float floorMod(float x, float y) {
        float mod = FloatLibm.fmodf(x, y);
        return mod != 0 && ((y < 0) != (mod < 0)) ? mod + y : mod;
    }
}
