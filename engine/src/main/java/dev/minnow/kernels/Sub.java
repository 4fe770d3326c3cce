package dev.minnow.kernels;

import dev.minnow.interpreter.Tensor;
import dev.minnow.model.DataType;

/**
 * SUB (see {@link Arithmetic}), plus the checks TFLM makes for SUB alone: an int32 output must be unquantized too
 * (sub_common.cc), and without broadcasting (input shapes equal once right-aligned, ProcessBroadcastShapes) the
 * reference int16 Sub DCHECKs input zero points of 0, the int8 one zero points within [-128, 128], and both a
 * quantized activation range with min <= max; without broadcasting the output must have the inputs' element count.
 */
public final class Sub extends Arithmetic {
    public Sub() { super(Kind.SUB); }

    @Override
    public PreparedOp prepare(NodeContext node) {
        if (node.inputCount() == 2 && node.outputCount() == 1 && node.input(0) != null && node.input(1) != null) {
            Tensor a = node.input(0), b = node.input(1), out = node.output(0);
            DataType t = out.dataType();
            if (t == DataType.INT32) {
                node.require(!out.quantization().isQuantized(),
                        "output->quantization.type != kTfLiteNoQuantization: an int32 SUB output must not be quantized");
            }
            // No broadcast (float/int32: identical shapes; int8/int16: identical once right-aligned): TFLM's
            // MatchingElementsSize TFLITE_CHECKs that the output has as many elements as the inputs.
            boolean quantized = t == DataType.INT8 || t == DataType.INT16;
            if (quantized ? sameExtendedShape(a, b) : java.util.Arrays.equals(a.shape(), b.shape())) {
                node.require(out.numElements() == a.numElements(),
                        "MatchingElementsSize: output has %d elements, the equally shaped inputs %d", out.numElements(), a.numElements());
            }
            if ((t == DataType.INT8 || t == DataType.INT16) && a.dataType() == t && b.dataType() == t
                    && out.quantization().isQuantized() && sameExtendedShape(a, b)) {
                if (t == DataType.INT16) {
                    node.require(a.zeroPoint() == 0, "params.input1_offset != 0 (%d): int16 SUB without broadcast needs input zero points of 0",
                            -a.zeroPoint());
                    node.require(b.zeroPoint() == 0, "params.input2_offset != 0 (%d): int16 SUB without broadcast needs input zero points of 0",
                            -b.zeroPoint());
                } else {
                    for (Tensor in : new Tensor[] {a, b}) {
                        node.require(in.zeroPoint() >= -128 && in.zeroPoint() <= 128,
                                "input zero point %d outside [-128, 128] (int8 SUB input offset DCHECK)", in.zeroPoint());
                    }
                }
                int[] range = KernelUtil.activationRangeQuantized(node, node.options().getInt("fusedActivationFunction", 0), out);
                node.require(range[0] <= range[1], "quantized_activation_min %d > quantized_activation_max %d", range[0], range[1]);
            }
        }
        return super.prepare(node);
    }

    /** ProcessBroadcastShapes' "exact match": the shapes agree once both are padded with leading 1s. */
    private static boolean sameExtendedShape(Tensor a, Tensor b) {
        int rank = Math.max(a.rank(), b.rank());
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dim(i - (rank - a.rank()));
            int db = i < rank - b.rank() ? 1 : b.dim(i - (rank - b.rank()));
            if (da != db) return false;
        }
        return true;
    }
}
