package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/** RELU6 as TFLM's kernel: clamp to [0, 6]; quantized types clamp to [zero point, quantized 6] of the input. */
public final class Relu6 implements OpKernel {
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
                    LittleEndian.putFloat(oa, out.offset() + 4 * i, v > 6f ? 6f : v < 0f ? 0f : v);
                }
            };
        }
        node.require(t == DataType.INT8 || t == DataType.INT16, "Only float32/int8/int16 is supported currently, got %s", t.name());
        int zero = in.zeroPoint();
        // FloatToQuantizedType: round(6 / scale) + zero point in float, clamped to the type.
        // The float-to-int32 conversion is x86's (out of range gives INT32_MIN), as TFLM's build.
        int upper = Math.min(ElementIO.max(t), Math.max(ElementIO.min(t), FixedPoint.toInt32X86(FixedPoint.round(6.0f / in.scale()) + (float) zero)));
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int i = 0; i < n; i++) {
                int v = ElementIO.get(t, ia, in.offset(), i);
                ElementIO.put(t, oa, out.offset(), i, v > upper ? upper : v < zero ? zero : v);
            }
        };
    }
}
