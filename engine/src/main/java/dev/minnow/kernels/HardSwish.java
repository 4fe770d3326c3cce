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
 * HARD_SWISH as TFLM's kernel: float32 {@code x * min(6, max(0, x + 3)) / 6}; int8 with TFLM's int16 fixed-point
 * pipeline (a "reluish" ramp and an output multiplier, both down-scaled to Q0.15).
 */
public final class HardSwish implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(in.numElements() == out.numElements(), "input and output sizes differ");
        int n = in.numElements();
        if (t == DataType.FLOAT32) {
            return () -> {
                for (int i = 0; i < n; i++) {
                    float x = LittleEndian.getFloat(in.array(), in.offset() + 4 * i);
                    float lo = 0f < x + 3 ? x + 3 : 0f;
                    float r = lo < 6f ? lo : 6f;
                    LittleEndian.putFloat(out.array(), out.offset() + 4 * i, x * r / 6);
                }
            };
        }
        node.require(t == DataType.INT8, "Type %s (%d) not supported.", t.name(), t.code());
        float hiresInputScale = (1.0f / 128.0f) * in.scale();
        float reluishScale = 3.0f / 32768.0f;
        QuantizedMultiplier outM = FixedPoint.quantizeMultiplier((double) (hiresInputScale / out.scale()));
        node.require(outM.shift() <= 0, "params->output_multiplier_exponent <= 0 was not true (%d)", outM.shift());
        QuantizedMultiplier reluM = FixedPoint.quantizeMultiplier((double) (hiresInputScale / reluishScale));
        short outMult = FixedPoint.downScaleInt32ToInt16Multiplier(outM.multiplier());
        short reluMult = FixedPoint.downScaleInt32ToInt16Multiplier(reluM.multiplier());
        int outExp = outM.shift(), reluExp = reluM.shift();
        int inZp = in.zeroPoint(), outZp = out.zeroPoint();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                short value = (short) (ia[in.offset() + i] - inZp);
                short hires = (short) (value * (1 << 7));
                short preshiftOut = FixedPoint.saturatingRoundingDoublingHighMul(hires, outMult);
                short reluish = hires;
                if (reluExp > 0) reluish = saturatingLeftShift(reluish, reluExp - 1);
                reluish = FixedPoint.saturatingRoundingDoublingHighMul(reluish, reluMult);
                if (reluExp > 0) reluish = saturatingLeftShift(reluish, 1);
                if (reluExp < 0) reluish = FixedPoint.roundingDivideByPOT(reluish, -reluExp);
                reluish = (short) ((reluish + (1 << 15)) >> 1);
                short preshift = doublingHighMul(reluish, preshiftOut);
                short o = FixedPoint.roundingDivideByPOT(preshift, -outExp);
                o = (short) (o + outZp);
                oa[out.offset() + i] = (byte) Math.max(Math.min(o, 127), -128);
            }
        };
    }

    private static short saturatingLeftShift(short value, int amount) {
        long r = (long) value * (1 << amount);
        return (short) Math.max(Math.min(r, Short.MAX_VALUE), Short.MIN_VALUE);
    }

    /** TFLM's non-rounding SaturatingDoublingHighMul on int16 (truncating division by 2^15). */
    private static short doublingHighMul(short a, short b) {
        if (a == b && a == Short.MIN_VALUE) return Short.MAX_VALUE;
        return (short) ((a * b) / (1 << 15));
    }
}
