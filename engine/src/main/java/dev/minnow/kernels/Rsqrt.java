package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.runtime.KernelException;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.Set;

/**
 * RSQRT as TFLM's kernel: float32 {@code 1 / sqrtf(x)}; int8/int16 through TFLM's fixed-point inverse square root and an
 * output multiplier of {@code 1 / (sqrt(input_scale) * output_scale)}. Inputs below the zero point fail the invoke,
 * as in TFLM.
 */
public final class Rsqrt extends Unary {
    private static final int SHIFT = 20;
    private static final int REVERSE_SHIFT = -1;

    @Override float apply(float x) { return 1.f / (float) Math.sqrt(x); }

    @Override Set<DataType> types() { return Set.of(DataType.FLOAT32, DataType.INT8, DataType.INT16); }

    @Override
    PreparedOp prepareQuantized(NodeContext node, Tensor in, Tensor out) {
        node.require(in.quantization().isQuantized() && out.quantization().isQuantized(), "input and output must be quantized");
        int inZp = in.zeroPoint(), outZp = out.zeroPoint();
        DataType t = in.dataType();
        if (t == DataType.INT16) {
            node.require(inZp == 0, "op_data->input_offset != 0 (%d != 0)", inZp);
            node.require(outZp == 0, "op_data->output_offset != 0 (%d != 0)", outZp);
        }
        int lo = ElementIO.min(t), hi = ElementIO.max(t);
        QuantizedMultiplier m = FixedPoint.quantizeMultiplier(1. / (double) ((float) Math.sqrt(in.scale()) * out.scale()));
        int n = in.numElements();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                int q = ElementIO.get(t, ia, in.offset(), i);
                if (q < inZp) throw new KernelException("RSQRT: Rsqrt is only defined for positive values (input " + q + " below zero point " + inZp + ")");
                int value = q - inZp;
                int r;
                if (value == 0) {
                    r = hi;
                } else {
                    QuantizedMultiplier inv = FixedPoint.invSqrtQuantizedMultiplierExp(value, REVERSE_SHIFT);
                    int data = FixedPoint.multiplyByQuantizedMultiplier(1, inv.multiplier(), inv.shift() + SHIFT);
                    r = FixedPoint.multiplyByQuantizedMultiplier(data, m.multiplier(), m.shift() - SHIFT) + outZp;
                }
                ElementIO.put(t, oa, out.offset(), i, Math.min(Math.max(r, lo), hi));
            }
        };
    }
}
