package dev.minnow.emulator;

import dev.minnow.MinnowException;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.FlexBufferException;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.Arrays;

/**
 * The arithmetic work one operator does when TFLM's reference kernels run it: multiply-accumulates for the ops built
 * on dot products, element operations for the rest. MACs are the true count of the kernels' inner loops: taps that
 * fall in the padding are skipped as the reference conv, depthwise, transpose-conv and pooling loops skip them, so a
 * SAME-padded 3x3 convolution does fewer MACs than {@code out_h * out_w * 9 * in_c * out_c}.
 *
 * <p>Rules (also in the module README):
 * <ul>
 *   <li>FULLY_CONNECTED: batches x output depth x accumulation depth (the filter's last dimension).</li>
 *   <li>CONV_2D: batches x output channels x filter depth x (in-image taps summed over output rows) x (same over
 *       output columns), with TFLM's SAME/VALID padding and dilation.</li>
 *   <li>DEPTHWISE_CONV_2D: batches x output channels x the same tap sums (one input channel per output channel).</li>
 *   <li>TRANSPOSE_CONV: batches x input channels x output channels x taps whose scattered output lands in the
 *       image, summed over input rows and columns.</li>
 *   <li>SVDF: batch x filters x (input size + memory size) MACs; element ops batch x filters x memory (state shift)
 *       + batch x filters (rank sum) + batch x units (bias, requantisation).</li>
 *   <li>UNIDIRECTIONAL_SEQUENCE_LSTM: rows (time steps x batch) x 4 gates x cells x (input size + cells) MACs;
 *       element ops rows x cells x 13 (per gate: add the two projections, activate = 8; cell: forget x cell,
 *       input x cell gate, add = 3; hidden: tanh, multiply = 2), plus rows x cells for the cell clip when set.</li>
 *   <li>BATCH_MATMUL: output elements x the contracted dimension.</li>
 *   <li>AVERAGE_POOL_2D, MAX_POOL_2D, L2_POOL_2D: window elements visited (in-image taps x channels x batches).</li>
 *   <li>SOFTMAX, LOG_SOFTMAX: 3 x elements (max, exponent-sum and normalisation passes).</li>
 *   <li>MEAN, SUM, REDUCE_MAX/MIN/PROD/ALL/ANY, ARG_MAX, ARG_MIN: input elements (each read and combined once).</li>
 *   <li>ADD_N: output elements x (inputs - 1).</li>
 *   <li>SignalRfft: frames x fft_length x log2(fft_length) (the FFT's butterfly work).</li>
 *   <li>Every other op (element-wise arithmetic, activations, QUANTIZE/DEQUANTIZE/CAST, data movement such as
 *       RESHAPE, PAD, CONCATENATION, STRIDED_SLICE, GATHER, TRANSPOSE, and the other Signal ops): elements written
 *       to its outputs.</li>
 * </ul>
 *
 * @param macs       multiply-accumulate operations
 * @param elementOps element operations of non-MAC work
 */
public record OpWork(long macs, long elementOps) {

    private static final int PADDING_SAME = 0, PADDING_VALID = 1;

    /** The work of {@code op}, whose tensors live in {@code graph}. Throws when the op's tensors cannot be run. */
    public static OpWork of(OperatorInfo op, SubgraphInfo graph) {
        String name = op.opCode().displayName();
        return switch (name) {
            case "FULLY_CONNECTED" -> fullyConnected(op, graph);
            case "CONV_2D" -> conv(op, graph, false);
            case "DEPTHWISE_CONV_2D" -> conv(op, graph, true);
            case "TRANSPOSE_CONV" -> transposeConv(op, graph);
            case "SVDF" -> svdf(op, graph);
            case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> lstm(op, graph);
            case "BATCH_MATMUL" -> batchMatMul(op, graph);
            case "AVERAGE_POOL_2D", "MAX_POOL_2D", "L2_POOL_2D" -> pool(op, graph);
            case "SOFTMAX", "LOG_SOFTMAX" -> new OpWork(0, 3 * tensor(op, graph, op.input(0), "input").elementCount());
            case "MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN", "REDUCE_PROD", "REDUCE_ALL", "REDUCE_ANY", "ARG_MAX", "ARG_MIN" ->
                    new OpWork(0, tensor(op, graph, op.input(0), "input").elementCount());
            case "ADD_N" -> new OpWork(0, Math.max(1, op.inputCount() - 1) * outputElements(op, graph));
            case "CUSTOM:SignalRfft" -> rfft(op, graph);
            default -> new OpWork(0, outputElements(op, graph));
        };
    }

    /** Sum of both counts, for ranking. */
    public long total() { return macs + elementOps; }

    // ------------------------------------------------------------------ MAC ops

    private static OpWork fullyConnected(OperatorInfo op, SubgraphInfo g) {
        TensorInfo filter = tensor(op, g, op.input(1), "filter");
        TensorInfo out = tensor(op, g, op.output(0), "output");
        require(op, filter.rank() >= 2, "filter rank %d < 2", filter.rank());
        require(op, out.rank() >= 1, "output rank %d < 1", out.rank());
        long outDepth = out.dim(out.rank() - 1);
        long batches = outDepth == 0 ? 0 : out.elementCount() / outDepth;
        return new OpWork(batches * outDepth * filter.dim(filter.rank() - 1), 0);
    }

    private static OpWork conv(OperatorInfo op, SubgraphInfo g, boolean depthwise) {
        TensorInfo in = tensor(op, g, op.input(0), "input");
        TensorInfo filter = tensor(op, g, op.input(1), "filter");
        TensorInfo out = tensor(op, g, op.output(0), "output");
        require(op, in.rank() == 4 && filter.rank() == 4 && out.rank() == 4,
                "input, filter and output must be 4-D, got %s, %s, %s", shape(in), shape(filter), shape(out));
        BuiltinOptions o = op.options();
        int fh = filter.dim(1), fw = filter.dim(2);
        int sh = o.getInt("strideH", 0), sw = o.getInt("strideW", 0);
        int dh = o.getInt("dilationHFactor", 1), dw = o.getInt("dilationWFactor", 1);
        int padding = o.getInt("padding", 0);
        int padH = 0, padW = 0;
        // TFLM leaves both paddings 0 as soon as either dimension's arguments are invalid
        if (validOutSize(padding, in.dim(1), fh, sh, dh) && validOutSize(padding, in.dim(2), fw, sw, dw)) {
            padH = padBefore(sh, dh, in.dim(1), fh, outSize(padding, in.dim(1), fh, sh, dh));
            padW = padBefore(sw, dw, in.dim(2), fw, outSize(padding, in.dim(2), fw, sw, dw));
        }
        long rows = taps(out.dim(1), sh, padH, fh, dh, in.dim(1));
        long cols = taps(out.dim(2), sw, padW, fw, dw, in.dim(2));
        long perTap = depthwise ? out.dim(3) : (long) out.dim(3) * filter.dim(3);
        return new OpWork((long) out.dim(0) * rows * cols * perTap, 0);
    }

    private static OpWork transposeConv(OperatorInfo op, SubgraphInfo g) {
        // inputs: output shape, filter [oc, fh, fw, ic], input, optional bias
        TensorInfo filter = tensor(op, g, op.input(1), "filter");
        TensorInfo in = tensor(op, g, op.input(2), "input");
        TensorInfo out = tensor(op, g, op.output(0), "output");
        require(op, in.rank() == 4 && filter.rank() == 4 && out.rank() == 4,
                "input, filter and output must be 4-D, got %s, %s, %s", shape(in), shape(filter), shape(out));
        BuiltinOptions o = op.options();
        int sh = o.getInt("strideH", 0), sw = o.getInt("strideW", 0), padding = o.getInt("padding", 0);
        int fh = filter.dim(1), fw = filter.dim(2);
        // transpose_conv.cc computes its padding with the output size in the input's place
        int padH = padBefore(sh, 1, out.dim(1), fh, outSize(padding, out.dim(1), fh, sh, 1));
        int padW = padBefore(sw, 1, out.dim(2), fw, outSize(padding, out.dim(2), fw, sw, 1));
        long rows = scatteredTaps(in.dim(1), sh, padH, fh, out.dim(1));
        long cols = scatteredTaps(in.dim(2), sw, padW, fw, out.dim(2));
        return new OpWork((long) in.dim(0) * in.dim(3) * out.dim(3) * rows * cols, 0);
    }

    private static OpWork svdf(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = tensor(op, g, op.input(0), "input");
        TensorInfo wf = tensor(op, g, op.input(1), "weights_feature");
        TensorInfo wt = tensor(op, g, op.input(2), "weights_time");
        TensorInfo out = tensor(op, g, op.output(0), "output");
        require(op, in.rank() == 2 && wf.rank() == 2 && wt.rank() == 2 && out.rank() == 2,
                "input, weights and output must be 2-D, got %s, %s, %s, %s", shape(in), shape(wf), shape(wt), shape(out));
        long batch = in.dim(0), inputSize = in.dim(1), filters = wf.dim(0), memory = wt.dim(1), units = out.dim(1);
        long macs = batch * filters * (inputSize + memory);
        long elements = batch * filters * memory + batch * filters + batch * units;
        return new OpWork(macs, elements);
    }

    private static OpWork lstm(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = tensor(op, g, op.input(0), "input");
        TensorInfo inputToForget = tensor(op, g, op.input(2), "input_to_forget_weights");
        TensorInfo recurrentToForget = tensor(op, g, op.input(6), "recurrent_to_forget_weights");
        require(op, in.rank() == 3 && inputToForget.rank() == 2 && recurrentToForget.rank() == 2,
                "input must be 3-D and weights 2-D, got %s, %s, %s", shape(in), shape(inputToForget), shape(recurrentToForget));
        long inputSize = in.dim(2), cells = inputToForget.dim(0), hidden = recurrentToForget.dim(1);
        long rows = in.dim(0) * (long) in.dim(1);
        long macs = rows * 4 * cells * (inputSize + hidden);
        boolean clip = op.options().getFloat("cellClip", 0f) > 0f;
        return new OpWork(macs, rows * cells * (clip ? 14 : 13));
    }

    private static OpWork batchMatMul(OperatorInfo op, SubgraphInfo g) {
        TensorInfo lhs = tensor(op, g, op.input(0), "lhs");
        TensorInfo out = tensor(op, g, op.output(0), "output");
        require(op, lhs.rank() >= 2, "lhs rank %d < 2", lhs.rank());
        boolean adjX = op.options().getBool("adjX", false);
        long depth = lhs.dim(adjX ? lhs.rank() - 2 : lhs.rank() - 1);
        return new OpWork(out.elementCount() * depth, 0);
    }

    // ------------------------------------------------------------------ element ops

    private static OpWork pool(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = tensor(op, g, op.input(0), "input");
        TensorInfo out = tensor(op, g, op.output(0), "output");
        require(op, in.rank() == 4 && out.rank() == 4, "input and output must be 4-D, got %s, %s", shape(in), shape(out));
        BuiltinOptions o = op.options();
        int fh = o.getInt("filterHeight", 0), fw = o.getInt("filterWidth", 0);
        int sh = o.getInt("strideH", 0), sw = o.getInt("strideW", 0), padding = o.getInt("padding", 0);
        int padH = 0, padW = 0;
        if (validOutSize(padding, in.dim(1), fh, sh, 1) && validOutSize(padding, in.dim(2), fw, sw, 1)) {
            padH = padBefore(sh, 1, in.dim(1), fh, outSize(padding, in.dim(1), fh, sh, 1));
            padW = padBefore(sw, 1, in.dim(2), fw, outSize(padding, in.dim(2), fw, sw, 1));
        }
        long rows = taps(out.dim(1), sh, padH, fh, 1, in.dim(1));
        long cols = taps(out.dim(2), sw, padW, fw, 1, in.dim(2));
        return new OpWork(0, (long) out.dim(0) * out.dim(3) * rows * cols);
    }

    private static OpWork rfft(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = tensor(op, g, op.input(0), "input");
        int fftLength;
        try {
            fftLength = FlexBufferMap.parse(op.customOptions()).getInt("fft_length");
        } catch (FlexBufferException e) {
            throw new MinnowException(where(op) + ": " + e.getMessage());
        }
        require(op, fftLength > 0 && in.rank() >= 1, "fft_length %d, input %s", fftLength, shape(in));
        long frames = in.dim(in.rank() - 1) == 0 ? 0 : in.elementCount() / in.dim(in.rank() - 1);
        long log2 = 63 - Long.numberOfLeadingZeros(fftLength);
        return new OpWork(0, frames * fftLength * log2);
    }

    private static long outputElements(OperatorInfo op, SubgraphInfo g) {
        long n = 0;
        for (int i = 0; i < op.outputCount(); i++) {
            if (op.output(i) >= 0) n += tensor(op, g, op.output(i), "output " + i).elementCount();
        }
        return n;
    }

    // ------------------------------------------------------------------ geometry

    /** In-image filter taps along one dimension, summed over the output positions a conv or pool loop visits. */
    private static long taps(int outSize, int stride, int pad, int filter, int dilation, int inSize) {
        long sum = 0;
        for (int o = 0; o < outSize; o++) {
            long origin = (long) o * stride - pad;
            for (int f = 0; f < filter; f++) {
                long i = origin + (long) dilation * f;
                if (i >= 0 && i < inSize) sum++;
            }
        }
        return sum;
    }

    /** Transpose conv: taps whose scattered output position is inside the image, summed over input positions. */
    private static long scatteredTaps(int inSize, int stride, int pad, int filter, int outSize) {
        long sum = 0;
        for (int i = 0; i < inSize; i++) {
            long origin = (long) i * stride - pad;
            for (int f = 0; f < filter; f++) {
                long o = origin + f;
                if (o >= 0 && o < outSize) sum++;
            }
        }
        return sum;
    }

    private static int outSize(int padding, int image, int filter, int stride, int dilation) {
        int effective = (filter - 1) * dilation + 1;
        if (stride == 0) return 0;
        return switch (padding) {
            case PADDING_SAME -> (image + stride - 1) / stride;
            case PADDING_VALID -> (image + stride - effective) / stride;
            default -> 0;
        };
    }

    private static int padBefore(int stride, int dilation, int in, int filter, int out) {
        int effective = (filter - 1) * dilation + 1;
        return Math.max((out - 1) * stride + effective - in, 0) / 2;
    }

    private static boolean validOutSize(int padding, int image, int filter, int stride, int dilation) {
        if ((padding != PADDING_SAME && padding != PADDING_VALID) || image < 0 || filter <= 0 || stride <= 0 || dilation <= 0) {
            return false;
        }
        long effective = ((long) filter - 1) * dilation + 1;
        long value = padding == PADDING_SAME ? ((long) image + stride - 1) / stride : ((long) image + stride - effective) / stride;
        return value >= 0 && value <= Integer.MAX_VALUE;
    }

    // ------------------------------------------------------------------ checks

    private static TensorInfo tensor(OperatorInfo op, SubgraphInfo g, int index, String role) {
        require(op, index >= 0 && index < g.tensors().size(), "%s is missing (tensor index %d)", role, index);
        return g.tensor(index);
    }

    private static void require(OperatorInfo op, boolean ok, String format, Object... args) {
        if (!ok) throw new MinnowException(where(op) + ": " + String.format(format, args));
    }

    private static String where(OperatorInfo op) {
        return op.opCode().displayName() + " (node " + op.index() + ")";
    }

    private static String shape(TensorInfo t) { return Arrays.toString(t.shape()); }
}
