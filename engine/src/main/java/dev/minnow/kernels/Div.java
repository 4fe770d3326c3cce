package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * DIV as TFLM's kernel, with broadcasting: float32 and int32 (C division, clamped to the fused activation); int8 via
 * the fixed-point reciprocal of the divisor. A zero divisor, or int32 INT32_MIN / -1, fails the invoke (TFLM aborts there).
 */
public final class Div implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = a.dataType();
        node.require(b.dataType() == t && out.dataType() == t, "input and output types must match (%s, %s, %s)",
                t.name(), b.dataType().name(), out.dataType().name());
        int activation = Options.Div.of(node.options()).fusedActivationFunction();
        int[][] maps = Broadcast.indexMaps(node, a, b, out);
        int n = out.numElements();
        switch (t) {
            case FLOAT32 -> {
                float[] r = KernelUtil.activationRangeFloat(activation);
                return () -> {
                    for (int i = 0; i < n; i++) {
                        float x = LittleEndian.getFloat(a.array(), a.offset() + 4 * (maps == null ? i : maps[0][i]));
                        float y = LittleEndian.getFloat(b.array(), b.offset() + 4 * (maps == null ? i : maps[1][i]));
                        LittleEndian.putFloat(out.array(), out.offset() + 4 * i, KernelUtil.clamp(x / y, r[0], r[1]));
                    }
                };
            }
            case INT32 -> {
                node.require(!a.quantization().isQuantized() && !b.quantization().isQuantized(), "int32 DIV inputs must not be quantized");
                int lo = Integer.MIN_VALUE, hi = Integer.MAX_VALUE;
                switch (activation) {
                    case KernelUtil.ACT_RELU -> lo = 0;
                    case KernelUtil.ACT_RELU6 -> { lo = 0; hi = 6; }
                    case KernelUtil.ACT_RELU_N1_TO_1 -> { lo = -1; hi = 1; }
                    default -> { }
                }
                int fl = lo, fh = hi;
                return () -> {
                    for (int i = 0; i < n; i++) {
                        int x = LittleEndian.getInt(a.array(), a.offset() + 4 * (maps == null ? i : maps[0][i]));
                        int y = LittleEndian.getInt(b.array(), b.offset() + 4 * (maps == null ? i : maps[1][i]));
                        if (y == 0) throw new KernelException("DIV: division by zero at element " + i);
                        // TFLM's int32 division traps there too (x86 idiv raises SIGFPE); Java would wrap silently
                        if (y == -1 && x == Integer.MIN_VALUE) throw new KernelException("DIV: INT32_MIN / -1 overflows at element " + i);
                        LittleEndian.putInt(out.array(), out.offset() + 4 * i, KernelUtil.clamp(x / y, fl, fh));
                    }
                };
            }
            case INT8 -> {
                int[] range = KernelUtil.activationRangeQuantized(node, activation, out);
                QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) (a.scale() / (b.scale() * out.scale())));
                int offA = -a.zeroPoint(), offB = -b.zeroPoint(), offOut = out.zeroPoint();
                int[] bits = new int[1];
                return () -> {
                    for (int i = 0; i < n; i++) {
                        int x = offA + a.array()[a.offset() + (maps == null ? i : maps[0][i])];
                        int y = offB + b.array()[b.offset() + (maps == null ? i : maps[1][i])];
                        if (y == 0) throw new KernelException("DIV: division by a quantized zero at element " + i);
                        if (y < 0) { x = -x; y = -y; }
                        int inv = FixedPoint.getReciprocal(y, 31, bits);
                        int headroom = FixedPoint.countLeadingSignBits(x);
                        int unscaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(x, inv, headroom);
                        int totalShift = m.shift() - bits[0] - headroom;
                        int r = offOut + FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(unscaled, m.multiplier(), totalShift);
                        out.array()[out.offset() + i] = (byte) Math.min(range[1], Math.max(range[0], r));
                    }
                };
            }
            default -> throw node.fail("Type %s (%d) not supported.", t.name(), t.code());
        }
    }
}
