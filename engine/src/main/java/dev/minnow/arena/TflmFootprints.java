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
        int temps = tempPeak(op, g, t);
        return switch (op.opCode().displayName()) {
            // params (size, align 4) / OpData
            case "ADD" -> fp(8, 60, temps);                       // TfLiteAddParams; OpDataAdd: 15 x int32
            case "SUB" -> fp(8, 56, temps);                       // TfLiteSubParams; OpDataSub: 14 x int32
            case "MUL" -> fp(4, 36, temps);                       // TfLiteMulParams; OpDataMul: 9 x int32
            case "CAST" -> fp(8, 0, temps);                       // TfLiteCastParams
            case "PACK" -> fp(8, 0, temps);                       // TfLitePackParams
            case "UNPACK" -> fp(8, 0, temps);                     // TfLiteUnpackParams
            case "SPLIT" -> fp(4, 0, temps);                      // TfLiteSplitParams
            case "RESHAPE" -> fp(36, 0, temps);                   // TfLiteReshapeParams: int[8] + count
            case "LEAKY_RELU" -> fp(4, 24, temps);                // TfLiteLeakyReluParams; 6 x int32
            case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> fp(40, 32, temps); // TfLitePoolParams; OpDataPooling
            case "HARD_SWISH", "LOGISTIC", "TANH" -> fp(0, 16, temps);
            case "ABS", "RSQRT", "SQUEEZE", "RELU" -> fp(0, 28, temps);   // fitted
            case "DEQUANTIZE", "QUANTIZE" -> fp(0, 32, temps);    // params with a double: 32
            case "RELU6" -> fp(0, 8, temps);                      // Relu6OpData: int8 x2, int16 x2 (fitted 8)
            case "SELECT_V2" -> fp(0, 4, temps);                  // fitted
            case "SQUARED_DIFFERENCE" -> fp(0, 108, temps);       // fitted
            case "STRIDED_SLICE" -> fp(0, 104, temps);            // fitted
            case "PAD", "PADV2" -> fp(0, 56, temps);              // PadParams (52) + output zero point
            case "CONV_2D" -> conv(h ? 72 : 56, op.inputs()[1] >= 0 ? g.tensor(op.input(1)).dim(0) : 0, temps);
            case "DEPTHWISE_CONV_2D" -> conv(h ? 72 : 56, op.inputs()[1] >= 0 && g.tensor(op.input(1)).rank() == 4 ? g.tensor(op.input(1)).dim(3) : 0, temps);
            case "FULLY_CONNECTED" -> fullyConnected(op, g, h, temps);
            default -> new NodeFootprint(0, 4, new int[0], new int[0], new int[0], temps);
        };
    }

    private static NodeFootprint fp(int params, int opData, int temps) {
        return new NodeFootprint(params, 4, opData > 0 ? arr(opData) : new int[0], new int[0], new int[0], temps);
    }

    /** TfLiteConvParams / TfLiteDepthwiseConvParams (7 ints); OpDataConv; two per-channel int32 arrays in Prepare. */
    private static NodeFootprint conv(int opData, int channels, int temps) {
        return new NodeFootprint(28, 4, arr(opData), arr(4 * channels, 4 * channels), new int[0], temps);
    }

    /** TfLiteFullyConnectedParams (16); OpDataFullyConnected; per-channel arrays only for per-channel filters. */
    private static NodeFootprint fullyConnected(OperatorInfo op, SubgraphInfo g, boolean h, int temps) {
        int[] prepare = new int[0];
        if (op.inputCount() > 1 && op.input(1) >= 0) {
            TensorInfo filter = g.tensor(op.input(1));
            int channels = filter.quantization().channelCount();
            if (channels > 1) prepare = arr(4 * channels, 4 * channels);
        }
        return new NodeFootprint(16, 4, arr(h ? 64 : 48), prepare, new int[0], temps);
    }

    /** Temporary TfLiteTensors a typical Prepare holds at once: every input and output of the node. */
    private static int tempPeak(OperatorInfo op, SubgraphInfo g, Target t) {
        int bytes = 0;
        for (int i : op.inputs()) if (i >= 0) bytes += TflmArena.tempTensorBytes(g.tensor(i), t);
        for (int o : op.outputs()) bytes += TflmArena.tempTensorBytes(g.tensor(o), t);
        return bytes;
    }
}
