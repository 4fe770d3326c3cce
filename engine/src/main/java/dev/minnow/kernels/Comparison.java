package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizationException;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.EnumSet;
import java.util.Set;

/**
 * EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS and LESS_EQUAL as TFLM's comparisons.cc: a bool output, the flat
 * loop when both inputs have one shape and BroadcastBinaryOpSimple's broadcasting (rank up to 8) otherwise. float32,
 * int32 and int64 compare raw values (EQUAL and NOT_EQUAL also bool); int8 compares both inputs rescaled to a common
 * fixed point: (q - zero point) * 2^8 times the input's own scale as a multiplier below one.
 */
public final class Comparison implements OpKernel {
    /** The comparison. */
    public enum Kind {
        EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS, LESS_EQUAL;

        /** The types TFLM's Eval for this comparison switches on. */
        Set<DataType> types() {
            return this == EQUAL || this == NOT_EQUAL
                    ? EnumSet.of(DataType.BOOL, DataType.FLOAT32, DataType.INT32, DataType.INT64, DataType.INT8)
                    : EnumSet.of(DataType.FLOAT32, DataType.INT32, DataType.INT64, DataType.INT8);
        }

        /** The comparison of two values given their order: {@code c} < 0, 0 or > 0 as for Integer.compare. */
        boolean holds(int c) {
            return switch (this) {
                case EQUAL -> c == 0;
                case NOT_EQUAL -> c != 0;
                case GREATER -> c > 0;
                case GREATER_EQUAL -> c >= 0;
                case LESS -> c < 0;
                case LESS_EQUAL -> c <= 0;
            };
        }

        /** The comparison on floats, with C's NaN semantics (every ordered comparison false, != true). */
        boolean holds(float a, float b) {
            return switch (this) {
                case EQUAL -> a == b;
                case NOT_EQUAL -> a != b;
                case GREATER -> a > b;
                case GREATER_EQUAL -> a >= b;
                case LESS -> a < b;
                case LESS_EQUAL -> a <= b;
            };
        }
    }

    /** TFLM's kLeftShift: int8 inputs are widened by 2^8 before rescaling. */
    private static final int LEFT_SHIFT = 8;

    private final Kind kind;

    /** A kernel for one comparison. */
    public Comparison(Kind kind) { this.kind = kind; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = a.dataType();
        // Prepare rescales int8 inputs (QuantizeMultiplierSmallerThanOneExp aborts unless 0 < scale < 1)
        QuantizedMultiplier m1 = null, m2 = null;
        if (t == DataType.INT8) {
            m1 = inputMultiplier(node, a, 1);
            m2 = inputMultiplier(node, b, 2);
        }
        if (kind == Kind.GREATER && t == DataType.INT16) {
            throw node.fail("GREATER on int16: TFLM's Prepare sets no rescaling for int16, so its Eval compares with "
                    + "uninitialized parameters");
        }
        node.require(kind.types().contains(t), "Type %s (%d) not supported.", t.name(), t.code());
        // TFLM reads input 2 as input 1's type and writes bools without checking either tensor's type
        node.require(b.dataType() == t, "input2 type %s != input1 type %s", b.dataType().name(), t.name());
        node.require(out.dataType() == DataType.BOOL, "output type %s is not bool", out.dataType().name());
        int[][] maps = Broadcast.binaryMaps(node, a, b, out, Broadcast.SIMPLE_MAX_RANK);
        int[] ma = maps == null ? null : maps[0], mb = maps == null ? null : maps[1];
        int n = out.numElements();
        return switch (t) {
            case FLOAT32 -> () -> {
                byte[] aa = a.array(), ba = b.array(), oa = out.array();
                int ao = a.offset(), bo = b.offset(), oo = out.offset();
                for (int i = 0; i < n; i++) {
                    float x = LittleEndian.getFloat(aa, ao + 4 * (ma == null ? i : ma[i]));
                    float y = LittleEndian.getFloat(ba, bo + 4 * (mb == null ? i : mb[i]));
                    oa[oo + i] = (byte) (kind.holds(x, y) ? 1 : 0);
                }
            };
            case INT64 -> () -> {
                byte[] aa = a.array(), ba = b.array(), oa = out.array();
                int ao = a.offset(), bo = b.offset(), oo = out.offset();
                for (int i = 0; i < n; i++) {
                    long x = LittleEndian.getLong(aa, ao + 8 * (ma == null ? i : ma[i]));
                    long y = LittleEndian.getLong(ba, bo + 8 * (mb == null ? i : mb[i]));
                    oa[oo + i] = (byte) (kind.holds(Long.compare(x, y)) ? 1 : 0);
                }
            };
            case INT8 -> {
                int off1 = -a.zeroPoint(), off2 = -b.zeroPoint();
                int mul1 = m1.multiplier(), sh1 = m1.shift(), mul2 = m2.multiplier(), sh2 = m2.shift();
                yield () -> {
                    byte[] aa = a.array(), ba = b.array(), oa = out.array();
                    int ao = a.offset(), bo = b.offset(), oo = out.offset();
                    for (int i = 0; i < n; i++) {
                        int x = (off1 + aa[ao + (ma == null ? i : ma[i])]) * (1 << LEFT_SHIFT);
                        int y = (off2 + ba[bo + (mb == null ? i : mb[i])]) * (1 << LEFT_SHIFT);
                        int sx = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(x, mul1, sh1);
                        int sy = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(y, mul2, sh2);
                        oa[oo + i] = (byte) (kind.holds(Integer.compare(sx, sy)) ? 1 : 0);
                    }
                };
            }
            default -> () -> { // INT32, and BOOL (EQUAL / NOT_EQUAL compare the stored bytes)
                byte[] aa = a.array(), ba = b.array(), oa = out.array();
                int ao = a.offset(), bo = b.offset(), oo = out.offset();
                for (int i = 0; i < n; i++) {
                    int x = ElementIO.get(t, aa, ao, ma == null ? i : ma[i]);
                    int y = ElementIO.get(t, ba, bo, mb == null ? i : mb[i]);
                    oa[oo + i] = (byte) (kind.holds(Integer.compare(x, y)) ? 1 : 0);
                }
            };
        };
    }

    /** QuantizeMultiplierSmallerThanOneExp of an int8 input's own scale, which TFLM aborts on outside (0, 1). */
    private static QuantizedMultiplier inputMultiplier(NodeContext node, Tensor t, int which) {
        try {
            return FixedPoint.quantizeMultiplierSmallerThanOne((double) t.scale());
        } catch (QuantizationException e) {
            throw node.fail("input%d scale %s is not in (0, 1): TFLM's QuantizeMultiplierSmallerThanOneExp aborts", which, t.scale());
        }
    }
}
