package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.FloatLibm;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * ELU as TFLM's elu.cc: float32 x < 0 ? expm1f(x) : x; int8 through a 256-entry table Prepare fills in float
 * (dequantize, x < 0 ? expf(x) - 1 : x, divide by the output scale as a multiplication by its float inverse, C round,
 * add the zero point, truncate to int32 as x86 does, clamp). Prepare requires the output to have the input's type;
 * Eval supports float32 and int8 only.
 */
public final class Elu implements OpKernel {
    /**
     * No params; Init allocates the 256-byte table; Prepare fetches input and output. TFLM's Init does not check that
     * allocation and only int8 Prepare writes the table, so float32 ELU is accepted in an arena without room for it.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        boolean float32 = g.tensor(op.input(0)).type() == DataType.FLOAT32;
        return new NodeFootprint(0, 4, new int[] {256}, new int[0], new int[0], Footprints.ALL_TENSORS.of(op, g), float32);
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        DataType t = in.dataType();
        node.require(t == out.dataType(), "input->type != output->type (%s != %s)", t.name(), out.dataType().name());
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "ELU only supports float32 and int8 currently, got %s.",
                t.lowerName());
        KernelUtil.requireSameShape(node, in, out); // MatchingFlatSize
        int n = in.numElements();
        if (t == DataType.FLOAT32) {
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset();
                for (int i = 0; i < n; i++) {
                    float v = LittleEndian.getFloat(ia, io + 4 * i);
                    LittleEndian.putFloat(oa, oo + 4 * i, v < 0.0f ? FloatLibm.expm1f(v) : v);
                }
            };
        }
        byte[] table = table(in.scale(), in.zeroPoint(), out.scale(), out.zeroPoint());
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) oa[oo + i] = table[ia[io + i] & 0xff];
        };
    }

    /** TFLM's PopulateLookupTable for ELU, indexed by the input byte as unsigned. */
    static byte[] table(float inScale, int inZp, float outScale, int outZp) {
        byte[] table = new byte[256];
        float inverseScale = 1 / outScale;
        for (int v = -128; v <= 127; v++) {
            float dequantized = inScale * (float) (v - inZp);
            float transformed = dequantized < 0.0f ? FloatLibm.expf(dequantized) - 1.0f : dequantized;
            float rescaled = FixedPoint.round(transformed * inverseScale);
            int quantized = FixedPoint.toInt32X86(rescaled + (float) outZp);
            table[v & 0xff] = (byte) Math.max(Math.min(127, quantized), -128);
        }
        return table;
    }
}
