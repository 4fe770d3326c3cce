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
 * RELU as TFLM's kernel: float32 {@code x < 0 ? 0 : x}; int8/int16 requantize from the input to the output scale and
 * clamp below at the output zero point (int16 needs zero points of 0).
 */
public final class Relu implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(in.numElements() == out.numElements() && t == out.dataType(), "input and output must match in type and size");
        // Every TFLM path (float and quantized) walks MatchingFlatSize, which DCHECKs equal shapes.
        KernelUtil.requireSameShape(node, in, out);
        int n = in.numElements();
        if (t == DataType.FLOAT32) {
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                for (int i = 0; i < n; i++) {
                    float v = LittleEndian.getFloat(ia, in.offset() + 4 * i);
                    LittleEndian.putFloat(oa, out.offset() + 4 * i, v < 0f ? 0f : v);
                }
            };
        }
        node.require(t == DataType.INT8 || t == DataType.INT16, "Only float32/int8/int16 is supported currently, got %s", t.name());
        if (t == DataType.INT16) {
            node.require(in.zeroPoint() == 0, "input zero point %d != 0", in.zeroPoint());
            node.require(out.zeroPoint() == 0, "output zero point %d != 0", out.zeroPoint());
        }
        QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) (in.scale() / out.scale()));
        int inZp = in.zeroPoint(), outZp = out.zeroPoint();
        int qmin = Math.max(ElementIO.min(t), outZp); // the quantized 0.0 is the output zero point
        int qmax = ElementIO.max(t);
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                int v = outZp + m.apply(ElementIO.get(t, ia, in.offset(), i) - inZp);
                ElementIO.put(t, oa, out.offset(), i, Math.min(qmax, Math.max(qmin, v)));
            }
        };
    }
}
