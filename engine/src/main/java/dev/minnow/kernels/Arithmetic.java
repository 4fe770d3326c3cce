package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * ADD, SUB and MUL as TFLM's reference kernels, with broadcasting: float32 and int32 compute the plain result and
 * clamp to the fused activation; int8/int16 ADD/SUB rescale both inputs to a common scale with a left shift of 20
 * (int16: 15) and three multipliers, MUL applies one multiplier to the product of the offset inputs.
 */
public final class Arithmetic implements OpKernel {
    /** The operation: ADD, SUB or MUL. */
    public enum Kind { ADD, SUB, MUL }

    private final Kind kind;

    /** An ADD, SUB or MUL kernel. */
    public Arithmetic(Kind kind) { this.kind = kind; }

    /** The fused activation from the op's own options table (AddOptions, SubOptions or MulOptions). */
    private int activation(NodeContext node) {
        return switch (kind) {
            case ADD -> Options.Add.of(node.options()).fusedActivationFunction();
            case SUB -> Options.Sub.of(node.options()).fusedActivationFunction();
            case MUL -> Options.Mul.of(node.options()).fusedActivationFunction();
        };
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 && node.outputCount() == 1, "needs 2 inputs and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor a = KernelUtil.requiredInput(node, 0), b = KernelUtil.requiredInput(node, 1), out = node.output(0);
        DataType t = out.dataType();
        if (kind == Kind.SUB) requireSubChecks(node, a, b, out);
        if (kind == Kind.ADD) {
            // add.cc checks no input type: every path switches on the output type and reads both inputs as that type
            // (with the inputs' own quantization), so a mismatched input runs on its raw bytes; one with narrower
            // elements would be read past its end, which minnow cannot reproduce
            node.require(a.dataType().byteSize() >= t.byteSize() && b.dataType().byteSize() >= t.byteSize(),
                    "input types %s, %s are narrower than the output type %s that TFLM reads them as",
                    a.dataType().name(), b.dataType().name(), t.name());
        } else {
            node.require(a.dataType() == t && b.dataType() == t, "input types %s, %s and output type %s must match",
                    a.dataType().name(), b.dataType().name(), t.name());
        }
        int activation = activation(node);
        int[][] maps = Broadcast.indexMaps(node, a, b, out);
        int n = out.numElements();
        if (maps == null) {
            node.require(a.numElements() == n && b.numElements() == n, "element counts differ");
        }
        switch (t) {
            case FLOAT32 -> {
                float[] r = KernelUtil.activationRangeFloat(activation);
                return new FloatOp(kind, a, b, out, n, maps, r[0], r[1]);
            }
            case INT32 -> {
                if (kind != Kind.MUL) {
                    node.require(!a.quantization().isQuantized() && !b.quantization().isQuantized(),
                            "input1->quantization.type != kTfLiteNoQuantization: int32 %s inputs must not be quantized", kind);
                }
                int lo = Integer.MIN_VALUE, hi = Integer.MAX_VALUE;
                if (kind == Kind.MUL) {
                    switch (activation) {
                        case KernelUtil.ACT_RELU -> lo = 0;
                        case KernelUtil.ACT_RELU6 -> { lo = 0; hi = 6; }
                        case KernelUtil.ACT_RELU_N1_TO_1 -> { lo = -1; hi = 1; }
                        default -> { }
                    }
                }
                return new Int32Op(kind, a, b, out, n, maps, lo, hi);
            }
            case INT8, INT16 -> {
                node.require(out.quantization().isQuantized(), "output is not quantized");
                int[] range = KernelUtil.activationRangeQuantized(node, activation, out);
                if (kind == Kind.MUL) {
                    if (t == DataType.INT16) {
                        node.require(a.zeroPoint() == 0, "data->input1_zero_point != 0 (%d != 0)", a.zeroPoint());
                        node.require(b.zeroPoint() == 0, "data->input2_zero_point != 0 (%d != 0)", b.zeroPoint());
                        node.require(out.zeroPoint() == 0, "data->output_zero_point != 0 (%d != 0)", out.zeroPoint());
                    }
                    QuantizedMultiplier m = FixedPoint.quantizeMultiplier(
                            (double) a.scale() * (double) b.scale() / (double) out.scale());
                    return new QuantMul(a, b, out, n, maps, -a.zeroPoint(), -b.zeroPoint(), out.zeroPoint(), m, range[0], range[1]);
                }
                if (kind == Kind.ADD) requireAddOffsets(node, t, a, b, maps == null);
                int leftShift = t == DataType.INT16 ? 15 : 20;
                double r1, r2, ro;
                if (kind == Kind.ADD) {
                    // add_common.cc works in double
                    double twiceMax = 2 * (double) Math.max(a.scale(), b.scale());
                    r1 = (double) a.scale() / twiceMax;
                    r2 = (double) b.scale() / twiceMax;
                    ro = twiceMax / ((1 << leftShift) * (double) out.scale());
                } else {
                    // sub_common.cc works in float and widens the quotients
                    float twiceMax = 2 * Math.max(a.scale(), b.scale());
                    r1 = (double) (a.scale() / twiceMax);
                    r2 = (double) (b.scale() / twiceMax);
                    ro = (double) (twiceMax / ((float) (1 << leftShift) * out.scale()));
                }
                QuantizedMultiplier m1 = FixedPoint.quantizeMultiplierSmallerThanOne(r1);
                QuantizedMultiplier m2 = FixedPoint.quantizeMultiplierSmallerThanOne(r2);
                QuantizedMultiplier mo = FixedPoint.quantizeMultiplierSmallerThanOne(ro);
                return new QuantAddSub(kind == Kind.SUB, a, b, out, n, maps, -a.zeroPoint(), -b.zeroPoint(), out.zeroPoint(),
                        leftShift, m1, m2, mo, range[0], range[1]);
            }
            default -> throw node.fail("Type %s (%d) not supported.", t.name(), t.code());
        }
    }

    /**
     * The reference ADD kernels' TFLITE_DCHECKs on the input offsets (-zero point), aborts in TFLM's debug build:
     * int8 (integer_ops/add.h CheckArithmeticParams) needs zero points within [-128, 127]; int16 without broadcast
     * (add.h AddGeneralParamScale) needs -32767 < -zero point < 32767; int16 broadcasting checks nothing.
     */
    private static void requireAddOffsets(NodeContext node, DataType t, Tensor a, Tensor b, boolean elementwise) {
        int[] zps = {a.zeroPoint(), b.zeroPoint()};
        for (int k = 0; k < 2; k++) {
            int zp = zps[k];
            if (t == DataType.INT8) {
                node.require(zp >= -128 && zp <= 127,
                        "-params.input%d_offset within [-128, 127] was not true (input %d zero point %d)", k + 1, k + 1, zp);
            } else if (elementwise) {
                node.require(-zp > -32767 && -zp < 32767,
                        "params.input%d_offset within (-32767, 32767) was not true (input %d zero point %d)", k + 1, k + 1, zp);
            }
        }
    }

    /**
     * The checks TFLM makes for SUB alone: an int32 output must be unquantized too (sub_common.cc), and without
     * broadcasting (input shapes equal once right-aligned, ProcessBroadcastShapes) the reference int16 Sub DCHECKs
     * input zero points of 0, the int8 one zero points within [-128, 128], and both a quantized activation range with
     * min <= max; without broadcasting the output must have the inputs' element count.
     */
    private static void requireSubChecks(NodeContext node, Tensor a, Tensor b, Tensor out) {
        DataType t = out.dataType();
        if (t == DataType.INT32) {
            node.require(!out.quantization().isQuantized(),
                    "output->quantization.type != kTfLiteNoQuantization: an int32 SUB output must not be quantized");
        }
        // No broadcast (float/int32: identical shapes; int8/int16: identical once right-aligned): TFLM's
        // MatchingElementsSize TFLITE_CHECKs that the output has as many elements as the inputs.
        boolean quantized = t == DataType.INT8 || t == DataType.INT16;
        if (quantized ? sameExtendedShape(a, b) : java.util.Arrays.equals(a.shape(), b.shape())) {
            node.require(out.numElements() == a.numElements(),
                    "MatchingElementsSize: output has %d elements, the equally shaped inputs %d", out.numElements(), a.numElements());
        }
        if ((t == DataType.INT8 || t == DataType.INT16) && a.dataType() == t && b.dataType() == t
                && out.quantization().isQuantized() && sameExtendedShape(a, b)) {
            if (t == DataType.INT16) {
                node.require(a.zeroPoint() == 0, "params.input1_offset != 0 (%d): int16 SUB without broadcast needs input zero points of 0",
                        -a.zeroPoint());
                node.require(b.zeroPoint() == 0, "params.input2_offset != 0 (%d): int16 SUB without broadcast needs input zero points of 0",
                        -b.zeroPoint());
            } else {
                for (Tensor in : new Tensor[] {a, b}) {
                    node.require(in.zeroPoint() >= -128 && in.zeroPoint() <= 128,
                            "input zero point %d outside [-128, 128] (int8 SUB input offset DCHECK)", in.zeroPoint());
                }
            }
            int[] range = KernelUtil.activationRangeQuantized(node, Options.Sub.of(node.options()).fusedActivationFunction(), out);
            node.require(range[0] <= range[1], "quantized_activation_min %d > quantized_activation_max %d", range[0], range[1]);
        }
    }

    /** ProcessBroadcastShapes' "exact match": the shapes agree once both are padded with leading 1s. */
    private static boolean sameExtendedShape(Tensor a, Tensor b) {
        int rank = Math.max(a.rank(), b.rank());
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db) return false;
        }
        return true;
    }

    // The prepared evals are package-private records so that FastArithmetic can read what prepare derived.
    record FloatOp(Kind kind, Tensor a, Tensor b, Tensor out, int n, int[][] maps, float min, float max) implements PreparedOp {
        @Override public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int ia = maps == null ? i : maps[0][i], ib = maps == null ? i : maps[1][i];
                float x = LittleEndian.getFloat(aa, ao + 4 * ia), y = LittleEndian.getFloat(ba, bo + 4 * ib);
                float r = kind == Kind.ADD ? x + y : kind == Kind.SUB ? x - y : x * y;
                LittleEndian.putFloat(oa, oo + 4 * i, KernelUtil.clamp(r, min, max));
            }
        }
    }

    record Int32Op(Kind kind, Tensor a, Tensor b, Tensor out, int n, int[][] maps, int min, int max) implements PreparedOp {
        @Override public void eval() {
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int ia = maps == null ? i : maps[0][i], ib = maps == null ? i : maps[1][i];
                int x = LittleEndian.getInt(aa, ao + 4 * ia), y = LittleEndian.getInt(ba, bo + 4 * ib);
                int r = kind == Kind.ADD ? x + y : kind == Kind.SUB ? x - y : x * y;
                LittleEndian.putInt(oa, oo + 4 * i, KernelUtil.clamp(r, min, max));
            }
        }
    }

    record QuantAddSub(boolean subtract, Tensor a, Tensor b, Tensor out, int n, int[][] maps, int offA, int offB,
                               int offOut, int leftShift, QuantizedMultiplier m1, QuantizedMultiplier m2,
                               QuantizedMultiplier mo, int min, int max) implements PreparedOp {
        /** Element {@code v} of the first input ({@code b} when {@code second}): offset, shifted left, rescaled. */
        int scaled(int v, boolean second) {
            QuantizedMultiplier m = second ? m2 : m1;
            int x = ((second ? offB : offA) + v) * (1 << leftShift);
            return FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(x, m.multiplier(), m.shift());
        }

        /** The output element of the rescaled inputs' sum or difference {@code raw}: output multiplier, offset, clamp. */
        int output(int raw) {
            int r = FixedPoint.multiplyByQuantizedMultiplierSmallerThanOneExp(raw, mo.multiplier(), mo.shift()) + offOut;
            return Math.min(max, Math.max(min, r));
        }

        /** The output element of input elements {@code x} (of a) and {@code y} (of b). */
        int apply(int x, int y) {
            int sx = scaled(x, false), sy = scaled(y, true);
            return output(subtract ? sx - sy : sx + sy);
        }

        @Override public void eval() {
            DataType t = out.dataType();
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int ia = maps == null ? i : maps[0][i], ib = maps == null ? i : maps[1][i];
                ElementIO.put(t, oa, oo, i, apply(ElementIO.get(t, aa, ao, ia), ElementIO.get(t, ba, bo, ib)));
            }
        }
    }

    record QuantMul(Tensor a, Tensor b, Tensor out, int n, int[][] maps, int offA, int offB, int offOut,
                            QuantizedMultiplier m, int min, int max) implements PreparedOp {
        @Override public void eval() {
            DataType t = out.dataType();
            byte[] aa = a.array(), ba = b.array(), oa = out.array();
            int ao = a.offset(), bo = b.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int ia = maps == null ? i : maps[0][i], ib = maps == null ? i : maps[1][i];
                ElementIO.put(t, oa, oo, i, apply(ElementIO.get(t, aa, ao, ia), ElementIO.get(t, ba, bo, ib)));
            }
        }

        /** The output element of input elements {@code x} (of a) and {@code y} (of b). */
        int apply(int x, int y) {
            int r = offOut + m.apply((offA + x) * (offB + y));
            return Math.min(max, Math.max(min, r));
        }
    }
}
