package dev.minnow.kernels;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The builtin kernels by operator name, and the custom-op kernels by custom code. One class per op lives beside this file. */
public final class Registry {
    private static final Map<String, Supplier<OpKernel>> BUILTINS;
    private static final Map<String, Supplier<OpKernel>> CUSTOMS;

    static {
        Map<String, Supplier<OpKernel>> m = new LinkedHashMap<>();
        m.put("ABS", Abs::new);
        m.put("ADD", Add::new);
        m.put("ARG_MAX", ArgMax::new);
        m.put("ARG_MIN", ArgMin::new);
        m.put("AVERAGE_POOL_2D", AveragePool2D::new);
        m.put("CAST", Cast::new);
        m.put("CONCATENATION", Concatenation::new);
        m.put("CONV_2D", Conv2D::new);
        m.put("DEPTHWISE_CONV_2D", DepthwiseConv2D::new);
        m.put("DEQUANTIZE", Dequantize::new);
        m.put("EXP", Exp::new);
        m.put("EXPAND_DIMS", ExpandDims::new);
        m.put("DIV", Div::new);
        m.put("FLOOR", Floor::new);
        m.put("FULLY_CONNECTED", FullyConnected::new);
        m.put("GATHER", Gather::new);
        m.put("HARD_SWISH", HardSwish::new);
        m.put("LEAKY_RELU", LeakyRelu::new);
        m.put("LOGISTIC", Logistic::new);
        m.put("MAXIMUM", Maximum::new);
        m.put("MAX_POOL_2D", MaxPool2D::new);
        m.put("MEAN", Mean::new);
        m.put("MINIMUM", Minimum::new);
        m.put("MUL", Mul::new);
        m.put("NEG", Neg::new);
        m.put("PACK", Pack::new);
        m.put("PAD", Pad::new);
        m.put("PADV2", PadV2::new);
        m.put("QUANTIZE", Quantize::new);
        m.put("RELU", Relu::new);
        m.put("RELU6", Relu6::new);
        m.put("RESHAPE", Reshape::new);
        m.put("RSQRT", Rsqrt::new);
        m.put("SELECT_V2", SelectV2::new);
        m.put("SLICE", Slice::new);
        m.put("SOFTMAX", Softmax::new);
        m.put("SPLIT", Split::new);
        m.put("SQRT", Sqrt::new);
        m.put("SQUARED_DIFFERENCE", SquaredDifference::new);
        m.put("SQUEEZE", Squeeze::new);
        m.put("STRIDED_SLICE", StridedSlice::new);
        m.put("SUB", Sub::new);
        m.put("SUM", Sum::new);
        m.put("SVDF", Svdf::new);
        m.put("TANH", Tanh::new);
        m.put("TRANSPOSE", Transpose::new);
        m.put("TRANSPOSE_CONV", TransposeConv::new);
        m.put("UNIDIRECTIONAL_SEQUENCE_LSTM", UnidirectionalSequenceLstm::new);
        m.put("UNPACK", Unpack::new);
        BUILTINS = Collections.unmodifiableMap(m);

        // Custom ops, by the custom code the converter writes: TFLM's Signal library (audio front end).
        Map<String, Supplier<OpKernel>> c = new LinkedHashMap<>();
        c.put("SignalEnergy", SignalEnergy::new);
        c.put("SignalFftAutoScale", SignalFftAutoScale::new);
        c.put("SignalFilterBank", SignalFilterBank::new);
        c.put("SignalFilterBankLog", SignalFilterBankLog::new);
        c.put("SignalFilterBankSpectralSubtraction", SignalFilterBankSpectralSubtraction::new);
        c.put("SignalFilterBankSquareRoot", SignalFilterBankSquareRoot::new);
        c.put("SignalPCAN", SignalPCAN::new);
        c.put("SignalRfft", SignalRfft::new);
        c.put("SignalWindow", SignalWindow::new);
        CUSTOMS = Collections.unmodifiableMap(c);
    }

    private Registry() {}

    /** Builtin op name -> kernel factory. */
    public static Map<String, Supplier<OpKernel>> builtins() { return BUILTINS; }

    /** Custom op code ("SignalRfft", without the "CUSTOM:" prefix) -> kernel factory. */
    public static Map<String, Supplier<OpKernel>> customs() { return CUSTOMS; }
}
