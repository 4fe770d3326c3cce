package dev.minnow.emulator.export;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code MicroMutableOpResolver} method that registers each op, as TFLM names them in
 * tensorflow/lite/micro/micro_mutable_op_resolver.h at the corpus commit (90b983c2): builtin ops by schema name,
 * custom ops by the custom code the method registers.
 */
public final class TflmOpNames {
    private static final Map<String, String> BUILTIN;
    private static final Map<String, String> CUSTOM;

    static {
        Map<String, String> b = new LinkedHashMap<>();
        b.put("ABS", "AddAbs");
        b.put("ADD", "AddAdd");
        b.put("ADD_N", "AddAddN");
        b.put("ARG_MAX", "AddArgMax");
        b.put("ARG_MIN", "AddArgMin");
        b.put("ASSIGN_VARIABLE", "AddAssignVariable");
        b.put("AVERAGE_POOL_2D", "AddAveragePool2D");
        b.put("BATCH_MATMUL", "AddBatchMatMul");
        b.put("BATCH_TO_SPACE_ND", "AddBatchToSpaceNd");
        b.put("BROADCAST_ARGS", "AddBroadcastArgs");
        b.put("BROADCAST_TO", "AddBroadcastTo");
        b.put("CALL_ONCE", "AddCallOnce");
        b.put("CAST", "AddCast");
        b.put("CEIL", "AddCeil");
        b.put("CONCATENATION", "AddConcatenation");
        b.put("CONV_2D", "AddConv2D");
        b.put("COS", "AddCos");
        b.put("CUMSUM", "AddCumSum");
        b.put("DEPTH_TO_SPACE", "AddDepthToSpace");
        b.put("DEPTHWISE_CONV_2D", "AddDepthwiseConv2D");
        b.put("DEQUANTIZE", "AddDequantize");
        b.put("DIV", "AddDiv");
        b.put("DYNAMIC_UPDATE_SLICE", "AddDynamicUpdateSlice");
        b.put("EMBEDDING_LOOKUP", "AddEmbeddingLookup");
        b.put("ELU", "AddElu");
        b.put("EQUAL", "AddEqual");
        b.put("EXP", "AddExp");
        b.put("EXPAND_DIMS", "AddExpandDims");
        b.put("FILL", "AddFill");
        b.put("FLOOR", "AddFloor");
        b.put("FLOOR_DIV", "AddFloorDiv");
        b.put("FLOOR_MOD", "AddFloorMod");
        b.put("FULLY_CONNECTED", "AddFullyConnected");
        b.put("GATHER", "AddGather");
        b.put("GATHER_ND", "AddGatherNd");
        b.put("GREATER", "AddGreater");
        b.put("GREATER_EQUAL", "AddGreaterEqual");
        b.put("HARD_SWISH", "AddHardSwish");
        b.put("IF", "AddIf");
        b.put("L2_NORMALIZATION", "AddL2Normalization");
        b.put("L2_POOL_2D", "AddL2Pool2D");
        b.put("LEAKY_RELU", "AddLeakyRelu");
        b.put("LESS", "AddLess");
        b.put("LESS_EQUAL", "AddLessEqual");
        b.put("LOG", "AddLog");
        b.put("LOGICAL_AND", "AddLogicalAnd");
        b.put("LOGICAL_NOT", "AddLogicalNot");
        b.put("LOGICAL_OR", "AddLogicalOr");
        b.put("LOGISTIC", "AddLogistic");
        b.put("LOG_SOFTMAX", "AddLogSoftmax");
        b.put("MAXIMUM", "AddMaximum");
        b.put("MAX_POOL_2D", "AddMaxPool2D");
        b.put("MIRROR_PAD", "AddMirrorPad");
        b.put("MEAN", "AddMean");
        b.put("MINIMUM", "AddMinimum");
        b.put("MUL", "AddMul");
        b.put("NEG", "AddNeg");
        b.put("NOT_EQUAL", "AddNotEqual");
        b.put("PACK", "AddPack");
        b.put("PAD", "AddPad");
        b.put("PADV2", "AddPadV2");
        b.put("PRELU", "AddPrelu");
        b.put("QUANTIZE", "AddQuantize");
        b.put("READ_VARIABLE", "AddReadVariable");
        b.put("REDUCE_ALL", "AddReduceAll");
        b.put("REDUCE_MAX", "AddReduceMax");
        b.put("REDUCE_MIN", "AddReduceMin");
        b.put("RELU", "AddRelu");
        b.put("RELU6", "AddRelu6");
        b.put("RESHAPE", "AddReshape");
        b.put("RESIZE_BILINEAR", "AddResizeBilinear");
        b.put("RESIZE_NEAREST_NEIGHBOR", "AddResizeNearestNeighbor");
        b.put("REVERSE_V2", "AddReverseV2");
        b.put("ROUND", "AddRound");
        b.put("RSQRT", "AddRsqrt");
        b.put("SELECT_V2", "AddSelectV2");
        b.put("SHAPE", "AddShape");
        b.put("SIN", "AddSin");
        b.put("SLICE", "AddSlice");
        b.put("SOFTMAX", "AddSoftmax");
        b.put("SPACE_TO_BATCH_ND", "AddSpaceToBatchNd");
        b.put("SPACE_TO_DEPTH", "AddSpaceToDepth");
        b.put("SPLIT", "AddSplit");
        b.put("SPLIT_V", "AddSplitV");
        b.put("SQUEEZE", "AddSqueeze");
        b.put("SQRT", "AddSqrt");
        b.put("SQUARE", "AddSquare");
        b.put("SQUARED_DIFFERENCE", "AddSquaredDifference");
        b.put("STRIDED_SLICE", "AddStridedSlice");
        b.put("SUB", "AddSub");
        b.put("SUM", "AddSum");
        b.put("SVDF", "AddSvdf");
        b.put("TANH", "AddTanh");
        b.put("TRANSPOSE_CONV", "AddTransposeConv");
        b.put("TRANSPOSE", "AddTranspose");
        b.put("UNPACK", "AddUnpack");
        b.put("UNIDIRECTIONAL_SEQUENCE_LSTM", "AddUnidirectionalSequenceLSTM");
        b.put("VAR_HANDLE", "AddVarHandle");
        b.put("WHILE", "AddWhile");
        b.put("ZEROS_LIKE", "AddZerosLike");
        BUILTIN = Collections.unmodifiableMap(b);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("CIRCULAR_BUFFER", "AddCircularBuffer");
        c.put("TFLM_DECODE", "AddDecode");
        c.put("SignalDelay", "AddDelay");
        c.put("TFLite_Detection_PostProcess", "AddDetectionPostprocess");
        c.put("SignalEnergy", "AddEnergy");
        c.put("SignalFftAutoScale", "AddFftAutoScale");
        c.put("SignalFilterBank", "AddFilterBank");
        c.put("SignalFilterBankLog", "AddFilterBankLog");
        c.put("SignalFilterBankSquareRoot", "AddFilterBankSquareRoot");
        c.put("SignalFilterBankSpectralSubtraction", "AddFilterBankSpectralSubtraction");
        c.put("SignalFramer", "AddFramer");
        c.put("SignalIrfft", "AddIrfft");
        c.put("SignalOverlapAdd", "AddOverlapAdd");
        c.put("SignalPCAN", "AddPCAN");
        c.put("SignalRfft", "AddRfft");
        c.put("SignalStacker", "AddStacker");
        c.put("SignalWindow", "AddWindow");
        c.put("ethos-u", "AddEthosU");
        CUSTOM = Collections.unmodifiableMap(c);
    }

    private TflmOpNames() {}

    /** Builtin op name ("CONV_2D") to its Add method ("AddConv2D"). */
    public static Map<String, String> builtins() { return BUILTIN; }

    /** Custom code ("SignalRfft") to its Add method ("AddRfft"). */
    public static Map<String, String> customs() { return CUSTOM; }
}
