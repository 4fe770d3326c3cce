package dev.minnow.kernels;

import dev.minnow.math.FixedPoint16;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.FloatLibm;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * LOGISTIC and TANH as TFLM's kernels: float32 through glibc's expf/tanhf; int8 through gemmlowp's fixed-point
 * logistic/tanh on a Q4.27 input with TFLM's input radius saturation; int16 through the interpolated sigmoid table.
 */
public final class SigmoidLike implements OpKernel {
    /** The function: LOGISTIC or TANH. */
    public enum Function { LOGISTIC, TANH }

    private static final int INPUT_INTEGER_BITS_8 = 4;
    private final boolean tanh;

    /** A LOGISTIC or TANH kernel. */
    public SigmoidLike(Function function) { this.tanh = function == Function.TANH; }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(in.numElements() == out.numElements(), "input and output sizes differ");
        // Every TFLM Tanh path (float, int8, int16) walks MatchingFlatSize, which DCHECKs equal shapes; Logistic's don't.
        if (tanh) KernelUtil.requireSameShape(node, in, out);
        int n = in.numElements();
        switch (t) {
            case FLOAT32 -> {
                return tanh ? () -> {
                    for (int i = 0; i < n; i++) {
                        LittleEndian.putFloat(out.array(), out.offset() + 4 * i,
                                FloatLibm.tanhf(LittleEndian.getFloat(in.array(), in.offset() + 4 * i)));
                    }
                } : () -> {
                    for (int i = 0; i < n; i++) {
                        float v = LittleEndian.getFloat(in.array(), in.offset() + 4 * i);
                        float r = v > 16.619047164916992188f ? 1.0f : v < -9.f ? FloatLibm.expf(v) : 1.f / (1.f + FloatLibm.expf(-v));
                        LittleEndian.putFloat(out.array(), out.offset() + 4 * i, r);
                    }
                };
            }
            case INT8 -> {
                if (!tanh) {
                    node.require(out.zeroPoint() == -128, "output->params.zero_point != std::numeric_limits<int8_t>::min() (%d != -128)", out.zeroPoint());
                }
                double real = (double) in.scale() * (double) (1 << (31 - INPUT_INTEGER_BITS_8));
                int shift = FixedPoint.frexpExponent(real);
                int multiplier = (int) FixedPoint.round(FixedPoint.frexpMantissa(real) * (double) (1L << 31));
                int radius = FixedPoint.calculateInputRadius(INPUT_INTEGER_BITS_8, shift, 31);
                int zp = in.zeroPoint();
                return () -> {
                    byte[] ia = in.array(), oa = out.array();
                    for (int i = 0; i < n; i++) {
                        int x = ia[in.offset() + i] - zp;
                        int r;
                        if (x <= -radius) r = -128;
                        else if (x >= radius) r = 127;
                        else {
                            int q4 = FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift);
                            if (tanh) {
                                r = Math.min(Math.max(FixedPoint.roundingDivideByPOT(FixedPoint.tanh(q4, INPUT_INTEGER_BITS_8), 24), -128), 127);
                            } else {
                                r = Math.min(Math.max(FixedPoint.roundingDivideByPOT(FixedPoint.logistic(q4, INPUT_INTEGER_BITS_8), 23) - 128, -128), 127);
                            }
                        }
                        oa[out.offset() + i] = (byte) r;
                    }
                };
            }
            case INT16 -> {
                if (!tanh) {
                    // logistic_common.cc: unless the input scale is exactly 2^-12, the table multiplier is
                    // scale * 4096 * 3, doubled while it is <= 32767 / 2; TFLITE_DCHECK_LE(input_multiplier, 32767)
                    // then aborts TFLM's debug build for input scales above 32767 / 12288 (about 2.667).
                    double multiplier = (double) in.scale() * 4096.0 * 3.0;
                    node.require((int) multiplier <= 32767,
                            "data->input_multiplier <= 32767 was not true (int16 input scale %s gives multiplier %d)",
                            in.scale(), (int) multiplier);
                }
                node.require(in.zeroPoint() == 0, "input zero point %d != 0", in.zeroPoint());
                node.require(out.zeroPoint() == 0, "output zero point %d != 0", out.zeroPoint());
                int[] log2 = new int[1];
                boolean pot = checkedLog2(in.scale(), log2);
                int leftShift = (15 - 3) + log2[0];
                pot &= tanh ? (leftShift == 0 || leftShift == 1) : leftShift == 0;
                int multiplier;
                if (pot) {
                    multiplier = 0;
                } else {
                    double m = (double) in.scale() * 4096.0 * 3.0;
                    leftShift = 0;
                    while (m <= 32767.0 / 2.0 && leftShift <= 30) { leftShift++; m *= 2.0; }
                    multiplier = (int) m;
                }
                node.require(checkedLog2(out.scale(), log2) && log2[0] == -15,
                        "output scale %s is not 2^-15", out.scale());
                int[] s = FixedPoint16.inputScaling(multiplier, leftShift);
                return () -> {
                    byte[] ia = in.array(), oa = out.array();
                    for (int i = 0; i < n; i++) {
                        int x = LittleEndian.getShort(ia, in.offset() + 2 * i);
                        short r = tanh ? FixedPoint16.tanh(x, s[0], s[1]) : FixedPoint16.logistic(x, s[0], s[1]);
                        LittleEndian.putShort(oa, out.offset() + 2 * i, r);
                    }
                };
            }
            default -> throw node.fail("Input %s, output %s not supported.", t.name(), out.dataType().name());
        }
    }

    /** TFLM's CheckedLog2: log2 of x in float, rounded; true when x is a power of two within 1e-3. */
    private static boolean checkedLog2(float x, int[] result) {
        float log2 = FloatLibm.logf(x) * (1.0f / FloatLibm.logf(2.0f));
        float rounded = FixedPoint.round(log2);
        result[0] = (int) rounded;
        return Math.abs(log2 - rounded) < 1e-3f;
    }
}
