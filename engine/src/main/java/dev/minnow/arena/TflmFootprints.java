package dev.minnow.arena;

import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

/**
 * Per-op arena footprints of TFLM's reference kernels: the TfLite*Params struct its parser allocates, the OpData its
 * Init allocates and what its Prepare allocates (per-channel multiplier and shift arrays), on each target. Sizes
 * follow the structs' layouts; those marked "fitted" were derived from the golden corpus's arena numbers, where
 * every case of the op agrees on them.
 */
final class TflmFootprints {
    private TflmFootprints() {}

    private static int[] arr(int... v) { return v; }

    static NodeFootprint of(OperatorInfo op, SubgraphInfo g, Target t) {
        boolean h = t == Target.HOST64;
        int[] temps = tempTensors(op, g);
        if (SignalFootprints.handles(op)) return SignalFootprints.of(op, g, t, temps);
        return switch (op.opCode().displayName()) {
            // params (size, align 4) / OpData
            case "ADD" -> fp(8, 60, temps);                       // TfLiteAddParams; OpDataAdd: 15 x int32
            case "SUB" -> fp(8, 52, temps);                       // TfLiteSubParams; OpDataSub: 13 x int32
            case "DIV" -> fp(4, 28, temps);                       // TfLiteDivParams; OpDataDiv: 7 x int32
            case "MUL" -> fp(4, 36, temps);                       // TfLiteMulParams; OpDataMul: 9 x int32
            case "CAST" -> fp(8, 0, temps);                       // TfLiteCastParams
            case "PACK" -> fp(8, 0, temps);                       // TfLitePackParams
            case "UNPACK" -> fp(8, 0, temps);                     // TfLiteUnpackParams
            case "SPLIT" -> fp(4, 0, temps);                      // TfLiteSplitParams
            case "ARG_MAX", "ARG_MIN" -> fp(4, 0, temps);         // TfLiteArgMaxParams
            case "RESHAPE" -> fp(36, 0, temps);                   // TfLiteReshapeParams: int[8] + count
            case "LEAKY_RELU" -> fp(4, 24, temps);                // TfLiteLeakyReluParams; 6 x int32
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> fp(40, 32, temps); // TfLitePoolParams; OpDataPooling
            case "LOGISTIC", "TANH" -> fp(0, 16, temps);
            case "HARD_SWISH" -> fp(0, 20, temps);                // HardSwishParams: int16 x3, int, int16, int
            case "ABS", "RSQRT", "RELU" -> fp(0, 28, temps);   // OpDataAbsRsqrt / ReluOpData (ReluParams): 28
            case "SQUEEZE" -> fp(36, 0, temps);                   // TfLiteSqueezeParams: int[8] + count
            case "DEQUANTIZE", "QUANTIZE" -> fp(0, 32, temps);    // params with a double: 32
            case "RELU6" -> fp(0, 8, temps);                      // Relu6OpData: six, zero (int32)
            case "SELECT_V2" -> fp(0, 1, temps);                  // OpData: one bool
            case "SQUARED_DIFFERENCE" -> fp(0, 112, temps);       // OpData: bool, ArithmeticParams (104, 8-aligned)
            case "STRIDED_SLICE" -> fp(24, 84, temps);            // TfLiteStridedSliceParams; StridedSliceParams (84)
            case "PAD", "PADV2" -> fp(0, 56, temps);              // PadParams (52) + output zero point
            case "MEAN", "SUM" -> reduce(op, g, temps);
            case "TRANSPOSE_CONV" -> transposeConv(op, g, h, temps);
            case "SVDF" -> svdf(op, g, temps);
            case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> lstm(op, g, temps);
            case "SOFTMAX" -> new NodeFootprint(4, 4, arr(h ? 80 : 56),   // TfLiteSoftmaxParams; SoftmaxParams
                    g.tensor(op.input(0)).type() == dev.minnow.model.DataType.INT16 ? arr(2 * 513, 2 * 513) : new int[0],
                    new int[0], temps);                                   // int16: exp and 1/(1+x) LUTs of 513 entries
            case "GATHER" -> new NodeFootprint(8, 4, new int[0],                   // TfLiteGatherParams
                    arr(Target.intArrayBytes(g.tensor(op.output(0)).rank())), new int[0], temps); // writable output dims
            case "CONCATENATION" -> fp(8, h ? 40 : 24, temps);    // TfLiteConcatenationParams; ConcatenationParams
            case "CONV_2D" -> conv(op, g, h ? 72 : 56, filterDim(op, g, 0), temps);
            case "DEPTHWISE_CONV_2D" -> conv(op, g, h ? 72 : 56, filterDim(op, g, 3), temps);
            case "FULLY_CONNECTED" -> fullyConnected(op, g, h, temps);
            default -> new NodeFootprint(0, 4, new int[0], new int[0], new int[0], temps);
        };
    }

    private static NodeFootprint fp(int params, int opData, int[] temps) {
        return new NodeFootprint(params, 4, opData > 0 ? arr(opData) : new int[0], new int[0], new int[0], temps);
    }

    /** TfLiteConvParams / TfLiteDepthwiseConvParams (7 ints); OpDataConv; two per-channel int32 arrays in Prepare. */
    private static int filterDim(OperatorInfo op, SubgraphInfo g, int d) {
        if (op.inputCount() < 2 || op.input(1) < 0) return 0;
        TensorInfo f = g.tensor(op.input(1));
        return d < f.rank() ? f.dim(d) : 0;
    }

    private static NodeFootprint conv(OperatorInfo op, SubgraphInfo g, int opData, int channels, int[] temps) {
        return new NodeFootprint(28, 4, arr(opData), arr(4 * channels, 4 * channels), int4Scratch(op, g), temps);
    }

    /**
     * TfLiteReducerParams (one bool); OpDataReduce (11 x 4); scratch: int32 accumulators for quantized inputs, the
     * input iterator and the resolved axes.
     */
    private static NodeFootprint reduce(OperatorInfo op, SubgraphInfo g, int[] temps) {
        TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0)), axis = g.tensor(op.input(1));
        boolean quantized = in.type() == dev.minnow.model.DataType.INT8 || in.type() == dev.minnow.model.DataType.INT16;
        int[] scratch = quantized
                ? arr(4 * (int) out.elementCount(), 4 * in.rank(), 4 * (int) axis.elementCount())
                : arr(4 * in.rank(), 4 * (int) axis.elementCount());
        return new NodeFootprint(1, 1, arr(44), new int[0], scratch, temps);
    }

    /**
     * TfLiteTransposeConvParams (5 ints); OpData (ConvParams 56, two indices, two pointers); per-channel arrays;
     * scratch accumulators of the output's size (int32 for int8, int64 for int16) and an int64 copy of an int16 bias.
     */
    private static NodeFootprint transposeConv(OperatorInfo op, SubgraphInfo g, boolean h, int[] temps) {
        TensorInfo in = g.tensor(op.input(2)), filter = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        TensorInfo bias = op.inputCount() > 3 && op.input(3) >= 0 ? g.tensor(op.input(3)) : null;
        int channels = filter.rank() > 0 ? filter.dim(0) : 0;
        java.util.List<Integer> scratch = new java.util.ArrayList<>();
        if (in.type() == dev.minnow.model.DataType.INT8) scratch.add(4 * (int) out.elementCount());
        if (in.type() == dev.minnow.model.DataType.INT16) {
            scratch.add(8 * (int) out.elementCount());
            if (bias != null && bias.type() == dev.minnow.model.DataType.INT16) scratch.add(8 * (int) bias.elementCount());
        }
        return new NodeFootprint(20, 4, arr(h ? 80 : 72), arr(4 * channels, 4 * channels),
                scratch.stream().mapToInt(Integer::intValue).toArray(), temps);
    }

    /** TfLiteSVDFParams (12); OpDataSvdf (9 ints); scratch: batch x filters, and for int8 batch x units. */
    private static NodeFootprint svdf(OperatorInfo op, SubgraphInfo g, int[] temps) {
        TensorInfo in = g.tensor(op.input(0)), wf = g.tensor(op.input(1));
        int rank = op.options().getInt("rank", 0);
        int batch = in.rank() > 0 ? in.dim(0) : 0;
        int filters = wf.rank() > 0 ? wf.dim(0) : 0;
        int units = rank == 0 ? 0 : filters / rank;
        int[] scratch = in.type() == dev.minnow.model.DataType.INT8
                ? arr(4 * batch * filters, 4 * batch * units) : arr(4 * batch * filters);
        return new NodeFootprint(12, 4, arr(36), new int[0], scratch, temps);
    }

    /**
     * TfLiteUnidirectionalSequenceLSTMParams (16); OpDataLSTM (size info, cell info, 4 gates of two
     * FullyConnectedParams, 3 ArithmeticParams, 4 buffer indices: 688); four scratch buffers of the cell state's size.
     */
    private static NodeFootprint lstm(OperatorInfo op, SubgraphInfo g, int[] temps) {
        int bytes = 0;
        if (op.inputCount() > 19 && op.input(19) >= 0) bytes = (int) g.tensor(op.input(19)).byteSize();
        return new NodeFootprint(16, 4, arr(688), new int[0], arr(bytes, bytes, bytes, bytes), temps);
    }

    /** Int4 filters are unpacked into a scratch buffer of one byte per weight. */
    private static int[] int4Scratch(OperatorInfo op, SubgraphInfo g) {
        if (op.inputCount() < 2 || op.input(1) < 0) return new int[0];
        TensorInfo filter = g.tensor(op.input(1));
        return filter.type() == dev.minnow.model.DataType.INT4 ? arr((int) filter.elementCount()) : new int[0];
    }

    /** TfLiteFullyConnectedParams (16); OpDataFullyConnected; per-channel arrays only for per-channel filters. */
    private static NodeFootprint fullyConnected(OperatorInfo op, SubgraphInfo g, boolean h, int[] temps) {
        int[] prepare = new int[0];
        if (op.inputCount() > 1 && op.input(1) >= 0) {
            TensorInfo filter = g.tensor(op.input(1));
            int channels = filter.quantization().channelCount();
            if (channels > 1) prepare = arr(4 * channels, 4 * channels);
        }
        return new NodeFootprint(16, 4, arr(h ? 64 : 48), prepare, int4Scratch(op, g), temps);
    }

    /**
     * Tensors whose temporary TfLiteTensors a kernel's Prepare allocates, in order (DeallocateTemp does not give memory
     * back before the node's ResetTempAllocations, so all of them count). The conv family
     * fetches output, input and filter, then (in CalculateOpData) input, filter, bias and output again.
     */
    private static int[] tempTensors(OperatorInfo op, SubgraphInfo g) {
        java.util.List<Integer> list = new java.util.ArrayList<>();
        switch (op.opCode().displayName()) {
            case "CONV_2D", "DEPTHWISE_CONV_2D" -> {
                add(list, op.output(0), input(op, 0), input(op, 1));
                list.add(NodeFootprint.PERSISTENT_HERE);
                add(list, input(op, 0), input(op, 1), input(op, 2), op.output(0));
                // PopulateConvolutionQuantizationParams fills the per-channel arrays for quantized inputs.
                if (quantizedInput(op, g, 0)) list.add(NodeFootprint.WRITTEN_HERE);
            }
            case "TRANSPOSE_CONV" -> {
                // Prepare fetches output, input and filter (not the output-shape tensor), allocates the per-channel
                // arrays; CalculateOpData fetches input, filter, bias and output again only for quantized inputs.
                add(list, op.output(0), input(op, 2), input(op, 1));
                list.add(NodeFootprint.PERSISTENT_HERE);
                if (quantizedInput(op, g, 2)) {
                    add(list, input(op, 2), input(op, 1), input(op, 3), op.output(0));
                    list.add(NodeFootprint.WRITTEN_HERE);
                }
            }
            case "TANH" -> add(list, input(op, 0), input(op, 0), op.output(0));
            // Kernels without a Prepare, or whose Prepare fetches only some of the node's tensors.
            case "ARG_MAX", "ARG_MIN", "FLOOR", "MAXIMUM", "MINIMUM", "NEG", "PACK", "UNPACK" -> { }
            case "SPLIT", "RELU6" -> add(list, input(op, 0));
            case "RESHAPE" -> add(list, input(op, 0), op.output(0));
            case "MEAN", "SUM" -> {
                // PrepareMeanOrSumHelper: input, output, axis; PrepareSimple: input, axis, and output for int8 input.
                add(list, input(op, 0), op.output(0), input(op, 1), input(op, 0), input(op, 1));
                int in = input(op, 0);
                if (in >= 0 && g.tensor(in).type() == dev.minnow.model.DataType.INT8) add(list, op.output(0));
            }
            case "CONCATENATION" -> {
                add(list, input(op, 0), op.output(0));
                for (int i : op.inputs()) add(list, i);
            }
            default -> {
                for (int i : op.inputs()) add(list, i);
                for (int o : op.outputs()) add(list, o);
            }
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean quantizedInput(OperatorInfo op, SubgraphInfo g, int i) {
        int t = input(op, i);
        return t >= 0 && g.tensor(t).type() != dev.minnow.model.DataType.FLOAT32;
    }

    private static int input(OperatorInfo op, int i) { return i < op.inputCount() ? op.input(i) : -1; }

    private static void add(java.util.List<Integer> list, int... tensors) {
        for (int t : tensors) if (t >= 0) list.add(t);
    }
}
