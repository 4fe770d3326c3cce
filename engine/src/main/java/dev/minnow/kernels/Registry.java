package dev.minnow.kernels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The builtin kernels, by operator name. One class per op lives beside this file. */
public final class Registry {
    private static final Map<String, Supplier<OpKernel>> BUILTINS;

    static {
        Map<String, Supplier<OpKernel>> m = new LinkedHashMap<>();
        // Ops are found by class name so the kernel set can grow file by file; a missing class means unsupported.
        String[][] table = {
            {"ABS", "Abs"}, {"ADD", "Add"}, {"ARG_MAX", "ArgMax"}, {"ARG_MIN", "ArgMin"},
            {"AVERAGE_POOL_2D", "AveragePool2D"}, {"CAST", "Cast"}, {"CONCATENATION", "Concatenation"},
            {"CONV_2D", "Conv2D"}, {"DEPTHWISE_CONV_2D", "DepthwiseConv2D"}, {"DEQUANTIZE", "Dequantize"},
            {"DIV", "Div"}, {"EXP", "Exp"}, {"EXPAND_DIMS", "ExpandDims"}, {"FLOOR", "Floor"},
            {"FULLY_CONNECTED", "FullyConnected"}, {"GATHER", "Gather"}, {"HARD_SWISH", "HardSwish"},
            {"LEAKY_RELU", "LeakyRelu"}, {"LOGISTIC", "Logistic"}, {"MAXIMUM", "Maximum"},
            {"MAX_POOL_2D", "MaxPool2D"}, {"MEAN", "Mean"}, {"MINIMUM", "Minimum"}, {"MUL", "Mul"},
            {"NEG", "Neg"}, {"PACK", "Pack"}, {"PAD", "Pad"}, {"PADV2", "PadV2"}, {"QUANTIZE", "Quantize"},
            {"RELU", "Relu"}, {"RELU6", "Relu6"}, {"RESHAPE", "Reshape"}, {"RSQRT", "Rsqrt"},
            {"SELECT_V2", "SelectV2"}, {"SLICE", "Slice"}, {"SOFTMAX", "Softmax"}, {"SPLIT", "Split"},
            {"SQRT", "Sqrt"}, {"SQUARED_DIFFERENCE", "SquaredDifference"}, {"SQUEEZE", "Squeeze"},
            {"STRIDED_SLICE", "StridedSlice"}, {"SUB", "Sub"}, {"SUM", "Sum"}, {"SVDF", "Svdf"},
            {"TANH", "Tanh"}, {"TRANSPOSE", "Transpose"}, {"TRANSPOSE_CONV", "TransposeConv"},
            {"UNIDIRECTIONAL_SEQUENCE_LSTM", "UnidirectionalSequenceLstm"}, {"UNPACK", "Unpack"},
            {"LOG", "Log"}, {"SIN", "Sin"}, {"COS", "Cos"}, {"SQUARE", "Square"}, {"REDUCE_MAX", "ReduceMax"},
            {"REDUCE_MIN", "ReduceMin"}, {"PRELU", "Prelu"}, {"SPLIT_V", "SplitV"}, {"ZEROS_LIKE", "ZerosLike"},
            {"FILL", "Fill"}, {"SHAPE", "Shape"}, {"LOGICAL_NOT", "LogicalNot"}, {"LESS", "Less"},
            {"GREATER", "Greater"}, {"EQUAL", "Equal"}, {"NOT_EQUAL", "NotEqual"}, {"LESS_EQUAL", "LessEqual"},
            {"GREATER_EQUAL", "GreaterEqual"}, {"BATCH_MATMUL", "BatchMatmul"}, {"CEIL", "Ceil"},
            {"ROUND", "Round"}, {"ELU", "Elu"}, {"L2_NORMALIZATION", "L2Normalization"},
            {"LOG_SOFTMAX", "LogSoftmax"}, {"RESIZE_NEAREST_NEIGHBOR", "ResizeNearestNeighbor"},
            {"RESIZE_BILINEAR", "ResizeBilinear"}, {"SPACE_TO_DEPTH", "SpaceToDepth"},
            {"DEPTH_TO_SPACE", "DepthToSpace"}, {"BROADCAST_TO", "BroadcastTo"}, {"CUMSUM", "Cumsum"},
            {"FLOOR_DIV", "FloorDiv"}, {"FLOOR_MOD", "FloorMod"}, {"SPACE_TO_BATCH_ND", "SpaceToBatchNd"},
            {"BATCH_TO_SPACE_ND", "BatchToSpaceNd"}, {"MIRROR_PAD", "MirrorPad"}, {"ADD_N", "AddN"},
            {"L2_POOL_2D", "L2Pool2D"}, {"GATHER_ND", "GatherNd"}, {"LOGICAL_AND", "LogicalAnd"},
            {"LOGICAL_OR", "LogicalOr"},
        };
        for (String[] row : table) {
            Supplier<OpKernel> s = lookup(row[1]);
            if (s != null) m.put(row[0], s);
        }
        BUILTINS = Collections.unmodifiableMap(m);
    }

    private Registry() {}

    /** Builtin op name -> kernel factory, for every kernel present. */
    public static Map<String, Supplier<OpKernel>> builtins() { return BUILTINS; }

    private static Supplier<OpKernel> lookup(String simpleName) {
        try {
            Class<?> c = Class.forName(Registry.class.getPackageName() + "." + simpleName);
            if (!OpKernel.class.isAssignableFrom(c)) return null;
            var ctor = c.getDeclaredConstructor();
            return () -> {
                try {
                    return (OpKernel) ctor.newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot instantiate kernel " + simpleName, e);
                }
            };
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }
}
