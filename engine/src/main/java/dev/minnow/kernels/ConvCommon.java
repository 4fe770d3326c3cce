package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * What the convolution family (CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV) and FULLY_CONNECTED share, as TFLM keeps it
 * in conv_common.cc and fully_connected_common.cc: per-channel quantization, the bias and shift checks, int4 weight
 * unpacking, and their TFLM arena footprint.
 */
public final class ConvCommon {
    private ConvCommon() {}

    /**
     * TFLM's float and int8 conv, depthwise and fully-connected kernels read the bias as float / int32 whatever its
     * declared type (GetOptionalTensorData without a type check), so any bias with elements of 4 bytes or more runs
     * on its raw bytes (an int64 bias gives its low and high words in turn); a narrower one would make TFLM read past
     * the tensor, which minnow cannot reproduce.
     */
    public static void requireWideBias(NodeContext node, Tensor bias, String readAs) {
        if (bias == null) return;
        node.require(bias.dataType().byteSize() >= 4,
                "bias type %s: TFLM reads the bias as %s, past the end of a tensor with %d-byte elements",
                bias.dataType().name(), readAs, bias.dataType().byteSize());
    }

    /**
     * The int64 MultiplyByQuantizedMultiplier (int16 activations with 64-bit accumulators) asserts
     * {@code shift >= -31 && shift < 8}: an effective scale of 128 or more aborts TFLM's debug build on every output.
     */
    public static void requireInt64MultiplierShifts(NodeContext node, int[] shifts) {
        for (int c = 0; c < shifts.length; c++) {
            node.require(shifts[c] >= -31 && shifts[c] < 8,
                    "shift >= -31 && shift < 8 was not true (channel %d: effective scale needs shift %d)", c, shifts[c]);
        }
    }

    /** Per-channel multipliers, offsets and activation range of a quantized conv (PopulateConvolutionQuantizationParams). */
    public record QuantParams(int[] multiplier, int[] shift, int inputOffset, int outputOffset, int min, int max) {
        /** Computes the parameters for a node, rejecting it as TFLM's Prepare does when quantization is missing or inconsistent. */
        public static QuantParams of(NodeContext node, Tensor input, Tensor filter, Tensor output, int activation, int quantizedDim) {
            node.require(filter.quantization().isQuantized(), "filter->quantization.type != kTfLiteAffineQuantization (filter is not quantized)");
            node.require(input.quantization().isQuantized(), "input is not quantized");
            int channels = filter.dim(quantizedDim);
            int scales = filter.quantization().channelCount();
            node.require(scales == 1 || scales == channels,
                    "affine_quantization->scale->size == 1 || affine_quantization->scale->size == %d was not true (%d scales)", channels, scales);
            boolean perChannel = scales > 1;
            if (perChannel) {
                int qd = filter.quantization().quantizedDimension();
                node.require(qd >= 0 && qd < filter.rank() && filter.dim(qd) == channels,
                        "%d filter scales but filter dimension %d has %d", scales, qd, qd >= 0 && qd < filter.rank() ? filter.dim(qd) : -1);
            }
            int[] m = new int[channels], s = new int[channels];
            for (int c = 0; c < channels; c++) {
                double filterScale = filter.quantization().scale(perChannel ? c : 0);
                QuantizedMultiplier qm = FixedPoint.quantizeMultiplier((double) input.scale() * filterScale / (double) output.scale());
                m[c] = qm.multiplier();
                s[c] = qm.shift();
            }
            int[] range = KernelUtil.activationRangeQuantized(node, activation, output);
            return new QuantParams(m, s, -input.zeroPoint(), output.zeroPoint(), range[0], range[1]);
        }
    }

    /** TFLM's UnpackDenseInt4IntoInt8: low nibble first, each sign-extended. */
    public static byte[] unpackInt4(Tensor filter) {
        int n = filter.numElements();
        byte[] packed = filter.array();
        int off = filter.offset();
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            int b = packed[off + i / 2];
            out[i] = (byte) ((i & 1) == 0 ? (b << 28) >> 28 : (b << 24) >> 28);
        }
        return out;
    }

    /**
     * CONV_2D and DEPTHWISE_CONV_2D in TFLM's arena: TfLiteConvParams / TfLiteDepthwiseConvParams (7 ints), OpDataConv,
     * two per-channel int32 arrays (multipliers and shifts, one per output channel: filter dimension
     * {@code channelDim}) allocated in Prepare, an int4 unpacking scratch; Prepare fetches output, input and filter,
     * allocates the arrays, then (CalculateOpData) fetches input, filter, bias and output again and, for quantized
     * inputs, fills the arrays.
     */
    public static NodeFootprint convFootprint(OperatorInfo op, SubgraphInfo g, Target t, int channelDim) {
        int channels = 0;
        if (op.inputCount() >= 2 && op.input(1) >= 0) {
            TensorInfo f = g.tensor(op.input(1));
            channels = channelDim < f.rank() ? f.dim(channelDim) : 0;
        }
        List<Integer> temps = new ArrayList<>();
        Footprints.add(temps, op.output(0), Footprints.input(op, 0), Footprints.input(op, 1));
        temps.add(NodeFootprint.PERSISTENT_HERE);
        Footprints.add(temps, Footprints.input(op, 0), Footprints.input(op, 1), Footprints.input(op, 2), op.output(0));
        if (Footprints.quantizedInput(op, g, 0)) temps.add(NodeFootprint.WRITTEN_HERE);
        return new NodeFootprint(28, 4, new int[] {t == Target.HOST64 ? 72 : 56}, new int[] {4 * channels, 4 * channels},
                int4Scratch(op, g), Footprints.ints(temps));
    }

    /** Int4 filters are unpacked into a scratch buffer of one byte per weight (TFLM requests it in Prepare). */
    public static int[] int4Scratch(OperatorInfo op, SubgraphInfo g) {
        if (op.inputCount() < 2 || op.input(1) < 0) return new int[0];
        TensorInfo filter = g.tensor(op.input(1));
        return filter.type() == DataType.INT4 ? new int[] {(int) filter.elementCount()} : new int[0];
    }
}
