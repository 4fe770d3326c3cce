package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/** Helpers shared by kernels: fused activation ranges and common checks (TFLM's kernel_util). */
public final class KernelUtil {
    private KernelUtil() {}

    /** Accounts a prepare-time table of {@code bytes} against the interpreter's heap budget before it is allocated. */
    static void reserveHeap(NodeContext node, long bytes, String what) { node.reserveHeap(bytes, what); }

    /**
     * Reserves {@code bytes} of prepare-time heap when they fit the node's budget (true); false, with nothing reserved,
     * when they do not, so that the kernel takes a form that needs less.
     */
    static boolean tryReserveHeap(NodeContext node, long bytes, String what) {
        try {
            node.reserveHeap(bytes, what);
            return true;
        } catch (dev.minnow.BudgetExceededException e) {
            return false;
        }
    }

    /** Schema ActivationFunctionType values. */
    public static final int ACT_NONE = 0, ACT_RELU = 1, ACT_RELU_N1_TO_1 = 2, ACT_RELU6 = 3, ACT_TANH = 4, ACT_SIGN_BIT = 5;

    /** Schema Padding values. */
    public static final int PADDING_SAME = 0, PADDING_VALID = 1;

    /** Float clamp range {min, max} of a fused activation (TFLM's CalculateActivationRange). */
    public static float[] activationRangeFloat(int activation) {
        return switch (activation) {
            case ACT_RELU -> new float[] {0f, Float.MAX_VALUE};
            case ACT_RELU6 -> new float[] {0f, 6f};
            case ACT_RELU_N1_TO_1 -> new float[] {-1f, 1f};
            default -> new float[] {-Float.MAX_VALUE, Float.MAX_VALUE};
        };
    }

    /**
     * Quantized clamp range {min, max} of a fused activation for the output tensor's type, scale and zero point
     * (TFLM's CalculateActivationRangeQuantized: bounds quantized with C round, intersected with the type range).
     */
    public static int[] activationRangeQuantized(NodeContext node, int activation, Tensor output) {
        int qmin, qmax;
        switch (output.dataType()) {
            case INT8 -> { qmin = -128; qmax = 127; }
            case UINT8 -> { qmin = 0; qmax = 255; }
            case INT16 -> { qmin = -32768; qmax = 32767; }
            case INT32 -> { qmin = Integer.MIN_VALUE; qmax = Integer.MAX_VALUE; }
            default -> throw node.fail("no quantized activation range for output type %s", output.dataType().lowerName());
        }
        float scale = output.scale();
        int zp = output.zeroPoint();
        switch (activation) {
            case ACT_RELU -> qmin = Math.max(qmin, quantize(node, 0f, scale, zp));
            case ACT_RELU6 -> {
                qmin = Math.max(qmin, quantize(node, 0f, scale, zp));
                qmax = Math.min(qmax, quantize(node, 6f, scale, zp));
            }
            case ACT_RELU_N1_TO_1 -> {
                qmin = Math.max(qmin, quantize(node, -1f, scale, zp));
                qmax = Math.min(qmax, quantize(node, 1f, scale, zp));
            }
            default -> { } // NONE and the others: the type's full range, as TFLM does
        }
        return new int[] {qmin, qmax};
    }

    /** zero_point + round(f / scale), as TFLM's Quantize helper in kernel_util (float division, C round). */
    private static int quantize(NodeContext node, float f, float scale, int zp) {
        float tmp = FixedPoint.round(f / scale);
        node.require(tmp >= -2147483648f && tmp <= 2147483647f,
                "activation bound %s quantizes to %s with scale %s, outside int32", f, tmp, scale);
        return zp + (int) tmp;
    }

    /**
     * C++'s {@code std::min(std::max(x, lo), hi)}: unlike Math.max/min it keeps -0.0 and returns x when a comparison
     * is false, exactly as TFLM's ActivationFunctionWithMinMax.
     */
    public static float clamp(float x, float lo, float hi) {
        float y = x < lo ? lo : x;
        return hi < y ? hi : y;
    }

    /** Integer clamp to [lo, hi]. */
    public static int clamp(int x, int lo, int hi) {
        return Math.min(Math.max(x, lo), hi);
    }

    /**
     * TFLM's GetQuantizedConvolutionMultipler: checks that the bias scale matches input*filter scale within 2% of an
     * output step, then returns float(input_scale * filter_scale) / output_scale in double.
     */
    public static double convolutionMultiplier(NodeContext node, Tensor input, Tensor filter, Tensor bias, Tensor output) {
        double inputProductScale = (double) input.scale() * (double) filter.scale();
        if (bias != null) {
            double scaleDiff = Math.abs(inputProductScale - (double) bias.scale());
            node.require(scaleDiff / (double) output.scale() <= 0.02,
                    "bias scale %s differs from input*filter scale %s by more than 2%% of the output scale %s",
                    bias.scale(), inputProductScale, output.scale());
        }
        double productScale = (double) (input.scale() * filter.scale());
        node.require(productScale >= 0, "input_product_scale %s < 0", productScale);
        return productScale / (double) output.scale();
    }

    /** Fails unless the tensor has the given type. */
    public static void requireType(NodeContext node, Tensor t, DataType type, String role) {
        node.require(t.dataType() == type, "%s type %s != %s", role, t.dataType().lowerName(), type.lowerName());
    }

    /** Fails unless the input exists (not omitted). */
    public static Tensor requiredInput(NodeContext node, int i) {
        Tensor t = node.input(i);
        if (t == null) throw node.fail("input %d is missing (the op has %d inputs)", i, node.inputCount());
        return t;
    }

    /** Fails unless the output has exactly the input's shape (TFLM's MatchingFlatSize DCHECKs every dimension). */
    public static void requireSameShape(NodeContext node, Tensor in, Tensor out) {
        node.require(java.util.Arrays.equals(in.shape(), out.shape()), "output shape %s != input shape %s (MatchingFlatSize)",
                java.util.Arrays.toString(out.shape()), java.util.Arrays.toString(in.shape()));
    }
}
