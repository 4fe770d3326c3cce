package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.model.Options;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * L2_NORMALIZATION over the last dimension as TFLM's l2norm.cc (rank at most 4, no fused activation). float32: each
 * value divided by max(sqrt(sum of squares), 1e-6), the squares summed in float in order. int8: the offset values'
 * squares summed in int32, their inverse square root as a multiplier (TFLM's GetInvSqrtQuantizedMultiplierExp), each
 * value scaled by it into 1/128 steps and clamped; the output's quantization is not consulted, as in TFLM.
 */
public final class L2Normalization implements OpKernel {
    private static final float EPSILON = 1e-6f;
    /** TFLM's kOutputScale: the int8 output is in units of 2^-7. */
    private static final int OUTPUT_SCALE_SHIFT = 7;

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 1 && node.outputCount() == 1, "needs 1 input and 1 output, has %d and %d",
                node.inputCount(), node.outputCount());
        Tensor in = KernelUtil.requiredInput(node, 0), out = node.output(0);
        node.require(in.rank() <= 4, "NumDimensions(input) <= 4 was not true (rank %d)", in.rank());
        DataType t = out.dataType();
        node.require(t == DataType.FLOAT32 || t == DataType.INT8, "output->type == kTfLiteFloat32 || output->type == kTfLiteInt8 "
                + "was not true (%s)", t.name());
        node.require(in.dataType() == t, "input->type != output->type (%s != %s)", in.dataType().name(), t.name());
        int activation = Options.L2Norm.of(node.options()).fusedActivationFunction();
        node.require(activation == KernelUtil.ACT_NONE, "params->activation != kTfLiteActNone (%d != 0)", activation);
        node.require(in.rank() >= 1, "input rank 0 has no last dimension to normalize");
        // MatchingDim and MatchingFlatSizeSkipDim DCHECK every dimension against the output's
        KernelUtil.requireSameShape(node, in, out);
        int depth = in.dim(in.rank() - 1);
        int outer = depth == 0 ? 0 : in.numElements() / depth;
        if (t == DataType.FLOAT32) {
            return () -> {
                byte[] ia = in.array(), oa = out.array();
                int io = in.offset(), oo = out.offset();
                for (int i = 0; i < outer; i++) {
                    int row = 4 * i * depth;
                    float squares = 0;
                    for (int c = 0; c < depth; c++) {
                        float v = LittleEndian.getFloat(ia, io + row + 4 * c);
                        squares += v * v;
                    }
                    float norm = (float) Math.sqrt(squares);
                    norm = norm < EPSILON ? EPSILON : norm; // std::max(norm, epsilon): a NaN norm stays
                    for (int c = 0; c < depth; c++) {
                        LittleEndian.putFloat(oa, oo + row + 4 * c, LittleEndian.getFloat(ia, io + row + 4 * c) / norm);
                    }
                }
            };
        }
        int zp = in.zeroPoint();
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            int io = in.offset(), oo = out.offset();
            for (int i = 0; i < outer; i++) {
                int row = i * depth;
                int acc = 0;
                for (int c = 0; c < depth; c++) {
                    int v = ia[io + row + c] - zp;
                    acc += v * v;
                }
                long inv = FixedPoint.invSqrtPacked(acc, -1);
                int mul = FixedPoint.packedMultiplier(inv), shift = FixedPoint.packedShift(inv) + OUTPUT_SCALE_SHIFT;
                for (int c = 0; c < depth; c++) {
                    int v = ia[io + row + c] - zp;
                    int r = FixedPoint.multiplyByQuantizedMultiplier(v, mul, shift);
                    oa[oo + row + c] = (byte) Math.min(127, Math.max(-128, r));
                }
            }
        };
    }
}
