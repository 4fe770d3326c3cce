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
 * SQUARED_DIFFERENCE as TFLM's kernel, with broadcasting: float32/int32 {@code (a - b) * (a - b)}; int8 (left
 * shift 7) and int16 (left shift 0, zero points 0) rescale both inputs, square the difference and requantize.
 */
public final class SquaredDifference implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output");
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = a.dataType();
        node.require(b.dataType() == t && out.dataType() == t, "input and output types must match (%s, %s, %s)",
                t.name(), b.dataType().name(), out.dataType().name());
        if (java.util.Arrays.equals(a.shape(), b.shape())) {
            // Equal input shapes take TFLM's non-broadcast path, which walks the inputs' elements only (and for
            // float/int32 DCHECKs the output shape with MatchingFlatSize): the output must have that shape too.
            KernelUtil.requireSameShape(node, a, out);
        }
        int[][] maps = Broadcast.indexMaps(node, a, b, out);
        int n = out.numElements();
        switch (t) {
            case FLOAT32 -> {
                return () -> {
                    for (int i = 0; i < n; i++) {
                        float x = LittleEndian.getFloat(a.array(), a.offset() + 4 * (maps == null ? i : maps[0][i]));
                        float y = LittleEndian.getFloat(b.array(), b.offset() + 4 * (maps == null ? i : maps[1][i]));
                        float d = x - y;
                        LittleEndian.putFloat(out.array(), out.offset() + 4 * i, d * d);
                    }
                };
            }
            case INT32 -> {
                return () -> {
                    for (int i = 0; i < n; i++) {
                        int x = LittleEndian.getInt(a.array(), a.offset() + 4 * (maps == null ? i : maps[0][i]));
                        int y = LittleEndian.getInt(b.array(), b.offset() + 4 * (maps == null ? i : maps[1][i]));
                        int d = x - y;
                        LittleEndian.putInt(out.array(), out.offset() + 4 * i, d * d);
                    }
                };
            }
            case INT8, INT16 -> {
                int leftShift = t == DataType.INT8 ? 7 : 0;
                if (t == DataType.INT16) {
                    node.require(a.zeroPoint() == 0 && b.zeroPoint() == 0 && out.zeroPoint() == 0,
                            "int16 zero points must be 0 (%d, %d, %d)", a.zeroPoint(), b.zeroPoint(), out.zeroPoint());
                } else {
                    for (int zp : new int[] {a.zeroPoint(), b.zeroPoint(), out.zeroPoint()}) {
                        node.require(zp >= -128 && zp <= 127, "zero point %d outside int8", zp);
                    }
                }
                double twiceMax = 2.0 * (double) Math.max(a.scale(), b.scale());
                QuantizedMultiplier m1 = FixedPoint.quantizeMultiplierSmallerThanOne((double) a.scale() / twiceMax);
                QuantizedMultiplier m2 = FixedPoint.quantizeMultiplierSmallerThanOne((double) b.scale() / twiceMax);
                QuantizedMultiplier mo = FixedPoint.quantizeMultiplier(
                        (twiceMax * twiceMax) / (double) ((float) (1 << leftShift * 2) * out.scale()));
                int offA = -a.zeroPoint(), offB = -b.zeroPoint(), offOut = out.zeroPoint();
                int lo = ElementIO.min(t), hi = ElementIO.max(t);
                return () -> {
                    for (int i = 0; i < n; i++) {
                        int x = (offA + ElementIO.get(t, a.array(), a.offset(), maps == null ? i : maps[0][i])) * (1 << leftShift);
                        int y = (offB + ElementIO.get(t, b.array(), b.offset(), maps == null ? i : maps[1][i])) * (1 << leftShift);
                        int sx = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(x, m1.multiplier(), m1.shift());
                        int sy = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(y, m2.multiplier(), m2.shift());
                        int d = sx - sy;
                        int r = FixedPoint.multiplyByQuantizedMultiplier(d * d, mo.multiplier(), mo.shift()) + offOut;
                        ElementIO.put(t, out.array(), out.offset(), i, Math.min(hi, Math.max(lo, r)));
                    }
                };
            }
            default -> throw node.fail("SquaredDifference only supports FLOAT32, INT32, INT16 and INT8 now, got %s.", t.name());
        }
    }
}
