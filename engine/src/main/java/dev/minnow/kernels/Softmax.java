package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.FloatLibm;
import dev.minnow.math.Lut16;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * SOFTMAX over the last dimension as TFLM's reference kernels: float32 with expf and TFLM's summation order; int8
 * input (int8 or int16 output) with gemmlowp's fixed-point exp and reciprocal; int16 with exp and 1/(1+x) tables.
 */
public final class Softmax implements OpKernel {
    /** TfLiteSoftmaxParams; SoftmaxParams (56 or 80); for int16 the exp and 1/(1+x) LUTs of 513 entries in Prepare. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        boolean int16 = g.tensor(op.input(0)).type() == DataType.INT16;
        return new NodeFootprint(4, 4, new int[] {t == Target.HOST64 ? 80 : 56}, int16 ? new int[] {2 * 513, 2 * 513} : new int[0],
                new int[0], Footprints.ALL_TENSORS.of(op, g));
    }

    private static final int SCALED_DIFF_INTEGER_BITS = 5;
    static final int ACCUMULATION_INTEGER_BITS = 12;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        node.require(in.rank() >= 1, "input rank 0");
        DataType it = in.dataType(), ot = out.dataType();
        float beta = Options.Softmax.of(node.options()).beta();
        int depth = in.dim(in.rank() - 1);
        node.require(in.numElements() == out.numElements(), "input and output sizes differ");
        // The reference kernels' MatchingFlatSizeSkipDim and MatchingDim DCHECK every input dimension against the output's.
        for (int d = 0; d < in.rank(); d++) {
            node.require(d < out.rank() && out.dim(d) == in.dim(d), "output shape %s does not match input shape %s (MatchingFlatSizeSkipDim)",
                    java.util.Arrays.toString(out.shape()), java.util.Arrays.toString(in.shape()));
        }
        int outer = depth == 0 ? 0 : in.numElements() / depth;
        if (ot == DataType.INT16) {
            node.require(it == DataType.INT8 || it == DataType.INT16, "int16 output needs int8 or int16 input, got %s", it.name());
        } else {
            node.require(it == ot, "input type %s != output type %s", it.name(), ot.name());
        }
        if (it == DataType.FLOAT32) return new FloatSoftmax(in, out, outer, depth, (float) (double) beta);
        if (it == DataType.INT16) {
            node.require(in.zeroPoint() == 0, "input zero point %d != 0", in.zeroPoint());
            node.require(out.zeroPoint() == 0, "output zero point %d != 0", out.zeroPoint());
            node.require(Math.abs(out.scale() - 1f / 32768) <= 0.001f * 1f / 32768, "output scale %s is not 1/32768", out.scale());
            short[] expLut = Lut16.populate(10.0f / 65535, 32767, 2.0f / 65535, 0, FloatLibm::expf);
            short[] recipLut = Lut16.populate(1.0f / 65535, -32768, 2.0f / 65535, 0, v -> 1.0f / (1.0f + v));
            QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) in.scale() * (double) beta / (10.0 / 65535.0));
            return new Int16Softmax(in, out, outer, depth, m, expLut, recipLut);
        }
        node.require(it == DataType.INT8, "Type %s not supported", it.name());
        if (ot == DataType.INT16) {
            node.require(out.zeroPoint() == -32768, "output zero point %d != -32768", out.zeroPoint());
            node.require(Math.abs(out.scale() - 1f / 65536) <= 0.001f * 1f / 65536, "output scale %s is not 1/65536", out.scale());
        } else {
            node.require(out.zeroPoint() == -128, "output zero point %d != -128", out.zeroPoint());
            node.require(out.scale() == 1f / 256, "output scale %s != 1/256", out.scale());
        }
        double real = Math.min((double) beta * (double) in.scale() * (1 << (31 - SCALED_DIFF_INTEGER_BITS)), (1L << 31) - 1.0);
        QuantizedMultiplier m = FixedPoint.quantizeMultiplierGreaterThanOne(real);
        int diffMin = (int) (-1.0 * FixedPoint.calculateInputRadius(SCALED_DIFF_INTEGER_BITS, m.shift()));
        return new Int8Softmax(in, out, outer, depth, m, diffMin, new int[1]);
    }

    private record FloatSoftmax(Tensor in, Tensor out, int outer, int depth, float beta) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < outer; i++) {
                float max = -Float.MAX_VALUE;
                for (int c = 0; c < depth; c++) {
                    float v = LittleEndian.getFloat(ia, io + 4 * (i * depth + c));
                    max = max < v ? v : max;
                }
                float sum = 0f;
                for (int c = 0; c < depth; c++) {
                    float e = FloatLibm.expf((LittleEndian.getFloat(ia, io + 4 * (i * depth + c)) - max) * beta);
                    LittleEndian.putFloat(oa, oo + 4 * (i * depth + c), e);
                    sum += e;
                }
                for (int c = 0; c < depth; c++) {
                    int p = oo + 4 * (i * depth + c);
                    LittleEndian.putFloat(oa, p, LittleEndian.getFloat(oa, p) / sum);
                }
            }
        }
    }

    /** int8 input: {@code bits} is the reciprocal's scratch (its bits over one). */
    record Int8Softmax(Tensor in, Tensor out, int outer, int depth, QuantizedMultiplier m, int diffMin,
                       int[] bits) implements PreparedOp {
        /**
         * gemmlowp's exp of an input's difference from its row's maximum ({@code diff <= 0}) in Q0.31, for {@code diff >=
         * diffMin}; the reference skips smaller differences (they add nothing and output the minimum).
         */
        int exp(int diff) {
            int scaled = FixedPoint.multiplyByQuantizedMultiplierGreaterThanOne(diff, m.multiplier(), m.shift());
            return FixedPoint.expOnNegativeValues(scaled, SCALED_DIFF_INTEGER_BITS);
        }

        /** An exp's term of the row sum, in the accumulation's Q12.19. */
        static int term(int exp) { return FixedPoint.rescale(exp, 0, ACCUMULATION_INTEGER_BITS); }

        /** An output before the clamp, from the row's reciprocal ({@code shiftedScale}, {@code exponent}) and the input's exp. */
        static int unsaturated(int shiftedScale, int exp, int exponent) {
            return FixedPoint.roundingDivideByPOT(FixedPoint.mul(shiftedScale, exp), exponent);
        }

        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            boolean out16 = out.dataType() == DataType.INT16;
            int outMin = out16 ? -32768 : -128, outMax = out16 ? 32767 : 127;
            for (int i = 0; i < outer; i++) {
                int max = -128;
                for (int c = 0; c < depth; c++) max = Math.max(max, ia[io + i * depth + c]);
                int sum = 0;
                for (int c = 0; c < depth; c++) {
                    int diff = ia[io + i * depth + c] - max;
                    if (diff >= diffMin) sum += term(exp(diff));
                }
                int shiftedScale = FixedPoint.getReciprocal(sum, ACCUMULATION_INTEGER_BITS, bits);
                int exponent = bits[0] + 31 - (out16 ? 16 : 8);
                for (int c = 0; c < depth; c++) {
                    int diff = ia[io + i * depth + c] - max;
                    int v;
                    if (diff >= diffMin) {
                        v = Math.max(Math.min(unsaturated(shiftedScale, exp(diff), exponent) + outMin, outMax), outMin);
                    } else {
                        v = outMin;
                    }
                    if (out16) LittleEndian.putShort(oa, oo + 2 * (i * depth + c), (short) v);
                    else oa[oo + i * depth + c] = (byte) v;
                }
            }
        }
    }

    private record Int16Softmax(Tensor in, Tensor out, int outer, int depth, QuantizedMultiplier m, short[] expLut,
                                short[] recipLut) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < outer; i++) {
                int max = -32768;
                for (int c = 0; c < depth; c++) max = Math.max(max, LittleEndian.getShort(ia, io + 2 * (i * depth + c)));
                int sum = 0;
                for (int c = 0; c < depth; c++) {
                    int diff = LittleEndian.getShort(ia, io + 2 * (i * depth + c)) - max;
                    int scaled = m.apply(diff);
                    int sym = Math.min(Math.max(scaled + 32767, -32768), 32767);
                    short e = Lut16.lookup((short) sym, expLut);
                    LittleEndian.putShort(oa, oo + 2 * (i * depth + c), e);
                    sum += e;
                }
                int headroomPlusOne = Integer.numberOfLeadingZeros(sum);
                int shiftedSum = (int) ((((long) sum << (headroomPlusOne - 1)) + (1 << 13)) >> 14);
                int symShifted = shiftedSum + (-((1 << 15) + (1 << 16)));
                short sat = (short) Math.min(Math.max(symShifted, -32768), 32767);
                int reciprocal = Lut16.lookup(sat, recipLut);
                int rightShift = (31 - headroomPlusOne) & 0xFF;
                long round = 1L << (rightShift - 1);
                for (int c = 0; c < depth; c++) {
                    int p = oo + 2 * (i * depth + c);
                    int r = (int) (((long) LittleEndian.getShort(oa, p) * reciprocal + round) >> rightShift);
                    LittleEndian.putShort(oa, p, (short) Math.min(Math.max(r, 0), 32767));
                }
            }
        }
    }
}
