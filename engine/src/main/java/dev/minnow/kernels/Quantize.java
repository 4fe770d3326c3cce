package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
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
 * QUANTIZE as TFLM's reference kernel: float32 to int8/int16 with {@code round(x / scale) + zero_point} in float,
 * and requantization between integer types with {@code MultiplyByQuantizedMultiplier(q - zp_in) + zp_out}.
 */
public final class Quantize implements OpKernel {
    private static final Set<DataType> INPUTS = EnumSet.of(DataType.FLOAT32, DataType.INT32, DataType.INT16, DataType.INT8, DataType.UINT8);
    private static final Set<DataType> OUTPUTS = EnumSet.of(DataType.INT8, DataType.INT16, DataType.INT32, DataType.UINT8);

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor input = KernelUtil.requiredInput(node, 0);
        Tensor output = node.output(0);
        node.require(output.quantization().isQuantized(), "output is not quantized");
        node.require(output.quantization().channelCount() == 1,
                "affine_quantization->scale->size == 1 was not true (output has %d scales)", output.quantization().channelCount());
        DataType in = input.dataType(), out = output.dataType();
        node.require(INPUTS.contains(in), "input type %s not supported", in.name());
        node.require(OUTPUTS.contains(out), "output type %s not supported", out.name());
        node.require(input.numElements() == output.numElements(), "input has %d elements, output %d", input.numElements(), output.numElements());
        int n = input.numElements();
        int outZp = output.zeroPoint();
        if (in == DataType.FLOAT32) {
            node.require(out == DataType.INT8 || out == DataType.INT16, "Input %s, output %s not supported.", in.name(), out.name());
            // AffineQuantize's MatchingFlatSize DCHECKs equal shapes (the integer Requantize paths use the count only).
            KernelUtil.requireSameShape(node, input, output);
            float scale = (float) (double) output.scale();
            return new FromFloat(input, output, n, scale, outZp, ElementIO.min(out), ElementIO.max(out));
        }
        boolean supported = (in == DataType.INT32 && (out == DataType.INT8 || out == DataType.INT16))
                || (in == DataType.INT16 && (out == DataType.INT8 || out == DataType.INT16 || out == DataType.INT32))
                || (in == DataType.INT8 && (out == DataType.INT8 || out == DataType.UINT8 || out == DataType.INT16 || out == DataType.INT32))
                || (in == DataType.UINT8 && out == DataType.INT8);
        node.require(supported, "Input %s, output %s not supported.", in.name(), out.name());
        QuantizedMultiplier m = FixedPoint.quantizeMultiplier((double) input.scale() / (double) output.scale());
        int inZp = input.zeroPoint();
        int min = ElementIO.min(out), max = ElementIO.max(out);
        boolean flipSign = m.multiplier() == (1 << 30) && m.shift() == 1
                && ((in == DataType.INT8 && out == DataType.UINT8 && inZp - outZp == -128)
                    || (in == DataType.UINT8 && out == DataType.INT8 && inZp - outZp == 128));
        return new Requantize(input, output, n, m, inZp, outZp, min, max, flipSign);
    }

    // The evals are package-private records so that FastQuantize can reuse their per-element arithmetic.

    /** float32 to int8/int16: {@code round(x / scale) + zero_point}, clamped. */
    record FromFloat(Tensor input, Tensor output, int n, float scale, int outZp, int min, int max) implements PreparedOp {
        @Override public void eval() {
            DataType out = output.dataType();
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset();
            for (int i = 0; i < n; i++) ElementIO.put(out, oa, oo, i, apply(LittleEndian.getFloat(ia, io + 4 * i)));
        }

        /** The quantized value of x. */
        int apply(float v) {
            int q = FixedPoint.toInt32X86(FixedPoint.round(v / scale)) + outZp;
            return Math.min(Math.max(q, min), max);
        }
    }

    /** Between integer types: {@code MultiplyByQuantizedMultiplier(q - zp_in) + zp_out}, clamped (or a sign flip). */
    record Requantize(Tensor input, Tensor output, int n, QuantizedMultiplier m, int inZp, int outZp, int min, int max,
                      boolean flipSign) implements PreparedOp {
        @Override public void eval() {
            DataType in = input.dataType(), out = output.dataType();
            byte[] ia = input.array(), oa = output.array();
            int io = input.offset(), oo = output.offset();
            for (int i = 0; i < n; i++) ElementIO.put(out, oa, oo, i, apply(ElementIO.get(in, ia, io, i)));
        }

        /** The requantized value of input element q. */
        int apply(int q) {
            return flipSign ? (q ^ 0x80) : Math.max(Math.min(m.apply(q - inZp) + outZp, max), min);
        }
    }
}
