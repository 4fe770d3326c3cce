package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

import java.util.Set;

/**
 * ABS as TFLM's kernel: float32 fabsf; int8/int16 |q - zp|, rescaled when input and output scales differ and clamped;
 * unquantized int16 is TFLM's AbsHelper, std::abs cast back to int16, so -32768 wraps to itself.
 */
public final class Abs extends Unary {
    @Override float apply(float x) { return Math.abs(x); }

    @Override Set<DataType> types() { return Set.of(DataType.FLOAT32, DataType.INT8, DataType.INT16); }

    @Override
    PreparedOp prepareQuantized(NodeContext node, Tensor in, Tensor out) {
        DataType t = in.dataType();
        boolean quantized = t == DataType.INT8 || in.quantization().isQuantized();
        int inZp = 0, outZp = 0;
        boolean rescale = false;
        QuantizedMultiplier m = QuantizedMultiplier.ZERO;
        if (quantized) {
            node.require(in.quantization().isQuantized() && out.quantization().isQuantized(), "input and output must be quantized");
            inZp = in.zeroPoint();
            outZp = out.zeroPoint();
            if (t == DataType.INT16) {
                node.require(inZp == 0, "op_data->input_offset != 0 (%d != 0)", inZp);
                node.require(outZp == 0, "op_data->output_offset != 0 (%d != 0)", outZp);
            }
            rescale = in.scale() != out.scale();
            if (rescale) m = FixedPoint.quantizeMultiplier((double) (in.scale() / out.scale()));
        }
        int n = in.numElements(), lo = ElementIO.min(t), hi = ElementIO.max(t);
        int izp = inZp, ozp = outZp;
        boolean rs = rescale;
        QuantizedMultiplier mm = m;
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                int v = Math.abs(ElementIO.get(t, ia, in.offset(), i) - izp);
                if (!quantized) { ElementIO.put(t, oa, out.offset(), i, (short) v); continue; } // std::abs(int16) cast back: -32768 stays
                int r = rs ? mm.apply(v) + ozp : v + ozp;
                ElementIO.put(t, oa, out.offset(), i, Math.min(Math.max(r, lo), hi));
            }
        };
    }
}
