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
 * LEAKY_RELU as TFLM's kernel: float32 {@code x > 0 ? x : x * alpha}; int8/int16 apply an identity multiplier to
 * non-negative inputs and an alpha multiplier (computed in float, sign kept apart) to negative ones.
 */
public final class LeakyRelu implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output");
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require(in.numElements() == out.numElements(), "input and output sizes differ");
        float alpha = Options.LeakyRelu.of(node.options()).alpha();
        int n = in.numElements();
        if (t == DataType.FLOAT32) {
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                for (int i = 0; i < n; i++) {
                    float v = LittleEndian.getFloat(ia, in.offset() + 4 * i);
                    LittleEndian.putFloat(oa, out.offset() + 4 * i, v > 0 ? v : v * alpha);
                }
            };
        }
        node.require(t == DataType.INT8 || t == DataType.INT16, "Only float32, int8 are supported by LEAKY_RELU, got %s.", t.name());
        QuantizedMultiplier ma = FixedPoint.quantizeMultiplier((double) (in.scale() * alpha / out.scale()));
        QuantizedMultiplier mi = FixedPoint.quantizeMultiplier((double) (in.scale() / out.scale()));
        boolean negative = ma.multiplier() < 0;
        int safeAlpha = negative ? -ma.multiplier() : ma.multiplier();
        return new QuantOp(t, in, out, n, in.zeroPoint(), out.zeroPoint(), mi, safeAlpha, ma.shift(), negative,
                ElementIO.min(t), ElementIO.max(t));
    }

    /** The int8/int16 eval (package-private so that FastLeakyRelu can tabulate {@link #apply}). */
    record QuantOp(DataType t, Tensor in, Tensor out, int n, int inZp, int outZp, QuantizedMultiplier mi, int safeAlpha,
                   int alphaShift, boolean negative, int qmin, int qmax) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            for (int i = 0; i < n; i++) ElementIO.put(t, oa, out.offset(), i, apply(ElementIO.get(t, ia, in.offset(), i)));
        }

        /** The output element of input element x: TFLM's per-element arithmetic. */
        int apply(int x) {
            int v = x - inZp;
            int r = outZp;
            if (v >= 0) {
                r += mi.apply(v);
            } else {
                int s = FixedPoint.multiplyByQuantizedMultiplier(v, safeAlpha, alphaShift);
                r += negative ? -s : s;
            }
            return Math.min(qmax, Math.max(qmin, r));
        }
    }
}
