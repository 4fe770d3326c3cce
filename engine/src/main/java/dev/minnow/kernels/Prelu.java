package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * PRELU as TFLM's prelu.cc: x >= 0 ? x : x * alpha with alpha broadcast against the input. float32 broadcasts in 4-D
 * (ranks up to 4); int8 and int16 (with an int8 alpha) through BroadcastBinaryOpSimple with two multipliers, input/output
 * for x >= 0 and input*alpha/output for the product of the offset values, then the output zero point and a clamp.
 */
public final class Prelu implements OpKernel {
    /**
     * x86's product of a NaN x with anything: x, quieted. Java leaves the choice between two NaN operands to the JIT,
     * which may commute the product.
     */
    private static float quiet(float nan) { return Float.intBitsToFloat(Float.floatToRawIntBits(nan) | 0x00400000); }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), alpha = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = in.dataType();
        if (out.dataType() == DataType.INT16) {
            node.require(alpha.dataType() == DataType.INT8, "alpha->type == kTfLiteInt8 was not true (alpha is %s)",
                    alpha.dataType().name());
        }
        node.require(t == DataType.FLOAT32 || t == DataType.INT8 || t == DataType.INT16, "Input type '%s' is not supported.",
                t.name());
        // TFLM reads alpha and output as the input's types (int16 with an int8 alpha) without checking them
        node.require(out.dataType() == t, "output type %s != input type %s", out.dataType().name(), t.name());
        DataType alphaType = t == DataType.INT16 ? DataType.INT8 : t;
        node.require(alpha.dataType() == alphaType, "alpha type %s != %s", alpha.dataType().name(), alphaType.name());
        int n = out.numElements();
        if (t == DataType.FLOAT32) {
            // BroadcastPrelu4DSlowFloat DCHECKs ranks <= 4, then broadcasts as NdArrayDesc does
            for (Tensor x : new Tensor[] {in, alpha, out}) node.require(x.rank() <= 4, "%s has rank %d > 4", x.describe(), x.rank());
            int[][] maps = Broadcast.binaryMaps(node, in, alpha, out, 4);
            int[] mi = maps == null ? null : maps[0], ma = maps == null ? null : maps[1];
            return () -> {
                byte[] ia = in.array(), aa = alpha.array(), oa = out.array();
                int io = in.offset(), ao = alpha.offset(), oo = out.offset();
                for (int i = 0; i < n; i++) {
                    float x = LittleEndian.getFloat(ia, io + 4 * (mi == null ? i : mi[i]));
                    float a = LittleEndian.getFloat(aa, ao + 4 * (ma == null ? i : ma[i]));
                    LittleEndian.putFloat(oa, oo + 4 * i, x >= 0.0f ? x : Float.isNaN(x) ? quiet(x) : x * a);
                }
            };
        }
        QuantizedMultiplier m1 = FixedPoint.quantizeMultiplier((double) in.scale() / (double) out.scale());
        QuantizedMultiplier m2 = FixedPoint.quantizeMultiplier((double) in.scale() * (double) alpha.scale() / (double) out.scale());
        int inputOffset = -in.zeroPoint(), alphaOffset = -alpha.zeroPoint(), outputOffset = out.zeroPoint();
        int[][] maps = Broadcast.binaryMaps(node, in, alpha, out, Broadcast.SIMPLE_MAX_RANK);
        int[] mi = maps == null ? null : maps[0], ma = maps == null ? null : maps[1];
        int lo = ElementIO.min(t), hi = ElementIO.max(t);
        return () -> {
            byte[] ia = in.array(), aa = alpha.array(), oa = out.array();
            int io = in.offset(), ao = alpha.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int x = inputOffset + ElementIO.get(t, ia, io, mi == null ? i : mi[i]);
                int r;
                if (x >= 0) {
                    r = m1.apply(x);
                } else {
                    int a = alphaOffset + aa[ao + (ma == null ? i : ma[i])];
                    r = m2.apply(x * a);
                }
                ElementIO.put(t, oa, oo, i, Math.min(hi, Math.max(lo, r + outputOffset)));
            }
        };
    }
}
