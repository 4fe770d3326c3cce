package dev.minnow.ops;

import dev.minnow.arena.FootprintRule;
import dev.minnow.kernels.Abs;
import dev.minnow.kernels.AddN;
import dev.minnow.kernels.ArgMinMax;
import dev.minnow.kernels.Arithmetic;
import dev.minnow.kernels.BatchMatMul;
import dev.minnow.kernels.BroadcastArgs;
import dev.minnow.kernels.BroadcastTo;
import dev.minnow.kernels.CallOnce;
import dev.minnow.kernels.Cast;
import dev.minnow.kernels.CircularBuffer;
import dev.minnow.kernels.Comparison;
import dev.minnow.kernels.Concatenation;
import dev.minnow.kernels.Conv2D;
import dev.minnow.kernels.ConvCommon;
import dev.minnow.kernels.Cumsum;
import dev.minnow.kernels.Decode;
import dev.minnow.kernels.DepthSpace;
import dev.minnow.kernels.DepthwiseConv2D;
import dev.minnow.kernels.DetectionPostprocess;
import dev.minnow.kernels.Div;
import dev.minnow.kernels.DynamicUpdateSlice;
import dev.minnow.kernels.Elu;
import dev.minnow.kernels.EmbeddingLookup;
import dev.minnow.kernels.Exp;
import dev.minnow.kernels.ExpandDims;
import dev.minnow.kernels.FastArithmetic;
import dev.minnow.kernels.FastConv2D;
import dev.minnow.kernels.FastDepthwiseConv2D;
import dev.minnow.kernels.FastFullyConnected;
import dev.minnow.kernels.FastLeakyRelu;
import dev.minnow.kernels.FastLstm;
import dev.minnow.kernels.FastPad;
import dev.minnow.kernels.FastPool2D;
import dev.minnow.kernels.FastQuantize;
import dev.minnow.kernels.FastSoftmax;
import dev.minnow.kernels.FastStridedSlice;
import dev.minnow.kernels.FastTransposeConv;
import dev.minnow.kernels.Fill;
import dev.minnow.kernels.FloatUnary;
import dev.minnow.kernels.Floor;
import dev.minnow.kernels.FloorDivMod;
import dev.minnow.kernels.FullyConnected;
import dev.minnow.kernels.Gather;
import dev.minnow.kernels.GatherNd;
import dev.minnow.kernels.HardSwish;
import dev.minnow.kernels.If;
import dev.minnow.kernels.L2Normalization;
import dev.minnow.kernels.L2Pool2D;
import dev.minnow.kernels.LeakyRelu;
import dev.minnow.kernels.LogSoftmax;
import dev.minnow.kernels.Logical;
import dev.minnow.kernels.MinMax;
import dev.minnow.kernels.MirrorPad;
import dev.minnow.kernels.Neg;
import dev.minnow.kernels.Pack;
import dev.minnow.kernels.Pool2D;
import dev.minnow.kernels.Prelu;
import dev.minnow.kernels.Reduce;
import dev.minnow.kernels.Relu6;
import dev.minnow.kernels.Relu;
import dev.minnow.kernels.Reshape;
import dev.minnow.kernels.Resize;
import dev.minnow.kernels.ResizeBilinear;
import dev.minnow.kernels.ResizeNearestNeighbor;
import dev.minnow.kernels.ResourceVariableOps;
import dev.minnow.kernels.ReverseV2;
import dev.minnow.kernels.Rsqrt;
import dev.minnow.kernels.SelectV2;
import dev.minnow.kernels.Shape;
import dev.minnow.kernels.SigmoidLike;
import dev.minnow.kernels.Slice;
import dev.minnow.kernels.Softmax;
import dev.minnow.kernels.SpaceBatchNd;
import dev.minnow.kernels.Split;
import dev.minnow.kernels.SplitV;
import dev.minnow.kernels.Sqrt;
import dev.minnow.kernels.SquaredDifference;
import dev.minnow.kernels.Squeeze;
import dev.minnow.kernels.Svdf;
import dev.minnow.kernels.Transpose;
import dev.minnow.kernels.TransposeConv;
import dev.minnow.kernels.UnidirectionalSequenceLstm;
import dev.minnow.kernels.Unpack;
import dev.minnow.kernels.While;
import dev.minnow.kernels.ZerosLike;
import dev.minnow.kernels.signal.SignalDelay;
import dev.minnow.kernels.signal.SignalEnergy;
import dev.minnow.kernels.signal.SignalFftAutoScale;
import dev.minnow.kernels.signal.SignalFilterBank;
import dev.minnow.kernels.signal.SignalFilterBankLog;
import dev.minnow.kernels.signal.SignalFilterBankSpectralSubtraction;
import dev.minnow.kernels.signal.SignalFilterBankSquareRoot;
import dev.minnow.kernels.signal.SignalFootprints;
import dev.minnow.kernels.signal.SignalFramer;
import dev.minnow.kernels.signal.SignalIrfft;
import dev.minnow.kernels.signal.SignalOverlapAdd;
import dev.minnow.kernels.signal.SignalPCAN;
import dev.minnow.kernels.signal.SignalRfft;
import dev.minnow.kernels.signal.SignalStacker;
import dev.minnow.kernels.signal.SignalWindow;
import dev.minnow.model.BuiltinOperator;
import dev.minnow.model.OpCode;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.WorkRule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static dev.minnow.kernels.Footprints.NO_TENSORS;
import static dev.minnow.kernels.Footprints.OUTPUT;
import static dev.minnow.kernels.Footprints.fetches;
import static dev.minnow.kernels.Footprints.structs;
import static dev.minnow.model.BuiltinOperator.*;

/**
 * The op table: one {@link OpDescriptor} per operator minnow runs (TFLM's builtins, and the Signal library's custom
 * ops by custom code). Each entry names the kernel, TFLM's arena footprint of a node (params struct and OpData
 * bytes and the temporaries Prepare fetches, or the kernel's own footprint rule), its work count and whether its
 * float path calls libm. Adding an op is a kernel file and a line here.
 */
public final class Ops {
    private static final Map<String, OpDescriptor> ALL;

    static {
        Table t = new Table();
        // element-wise arithmetic                    structs(params bytes, OpData bytes[, temporaries])
        t.op(ADD, () -> new FastArithmetic(Arithmetic.Kind.ADD), structs(8, 60));           // TfLiteAddParams; OpDataAdd
        t.op(SUB, () -> new FastArithmetic(Arithmetic.Kind.SUB), structs(8, 52));           // TfLiteSubParams; OpDataSub
        t.op(MUL, () -> new FastArithmetic(Arithmetic.Kind.MUL), structs(4, 36));           // TfLiteMulParams; OpDataMul
        t.op(DIV, Div::new, structs(4, 28));                                            // TfLiteDivParams; OpDataDiv
        t.op(SQUARED_DIFFERENCE, SquaredDifference::new, structs(0, 112));              // bool + ArithmeticParams
        t.op(MAXIMUM, () -> new MinMax(MinMax.Mode.MAXIMUM), structs(0, 0, NO_TENSORS));
        t.op(MINIMUM, () -> new MinMax(MinMax.Mode.MINIMUM), structs(0, 0, NO_TENSORS));
        t.op(SELECT_V2, SelectV2::new, structs(0, 1));                                  // OpData: one bool
        // unary math and activations
        t.op(ABS, Abs::new, structs(0, 28));                                            // OpDataAbsRsqrt
        t.op(RSQRT, Rsqrt::new, structs(0, 28)).libm();
        t.op(NEG, Neg::new, structs(0, 0, NO_TENSORS));
        t.op(FLOOR, Floor::new, structs(0, 0, NO_TENSORS));
        t.op(EXP, Exp::new, structs(0, 0)).libm();
        t.op(SQRT, Sqrt::new, structs(0, 0)).libm();
        t.op(RELU, Relu::new, structs(0, 28));                                          // ReluOpData
        t.op(RELU6, Relu6::new, structs(0, 8, fetches(0)));                             // Relu6OpData: six, zero
        t.op(LEAKY_RELU, FastLeakyRelu::new, structs(4, 24));                           // TfLiteLeakyReluParams; 6 x int32
        t.op(HARD_SWISH, HardSwish::new, structs(0, 20));                               // HardSwishParams
        t.op(LOGISTIC, () -> new SigmoidLike(SigmoidLike.Function.LOGISTIC), structs(0, 16)).libm();
        t.op(TANH, () -> new SigmoidLike(SigmoidLike.Function.TANH), structs(0, 16, fetches(0, 0, OUTPUT))).libm();
        t.op(SOFTMAX, FastSoftmax::new, Softmax::footprint).work(WorkRule.THREE_PASSES).libm();
        // quantization and types
        t.op(QUANTIZE, FastQuantize::quantize, structs(0, 32));                         // params with a double
        t.op(DEQUANTIZE, FastQuantize::dequantize, structs(0, 32));
        t.op(CAST, Cast::new, structs(8, 0));                                           // TfLiteCastParams
        // reductions
        t.op(MEAN, () -> new Reduce(Reduce.Mode.MEAN), Reduce::footprint).work(WorkRule.INPUT_ELEMENTS);
        t.op(SUM, () -> new Reduce(Reduce.Mode.SUM), Reduce::footprint).work(WorkRule.INPUT_ELEMENTS);
        t.op(ARG_MAX, () -> new ArgMinMax(ArgMinMax.Mode.MAX), structs(4, 0, NO_TENSORS)).work(WorkRule.INPUT_ELEMENTS);
        t.op(ARG_MIN, () -> new ArgMinMax(ArgMinMax.Mode.MIN), structs(4, 0, NO_TENSORS)).work(WorkRule.INPUT_ELEMENTS);
        // data movement
        t.op(RESHAPE, Reshape::new, structs(36, 0, fetches(0, OUTPUT)));               // int[8] + count
        t.op(SQUEEZE, Squeeze::new, structs(36, 0));                                    // int[8] + count
        t.op(EXPAND_DIMS, ExpandDims::new, structs(0, 0));
        t.op(PAD, FastPad::new, structs(0, 56));                                        // PadParams + output zero point
        t.op(PADV2, FastPad::new, structs(0, 56));
        t.op(CONCATENATION, Concatenation::new, structs(8, 24, 40, Concatenation::temps)); // ConcatenationParams
        t.op(STRIDED_SLICE, FastStridedSlice::new, structs(24, 84));                    // StridedSliceParams (84)
        t.op(SLICE, Slice::new, structs(0, 0));
        t.op(TRANSPOSE, Transpose::new, structs(0, 0));
        t.op(GATHER, Gather::new, Gather::footprint);
        t.op(PACK, Pack::new, structs(8, 0, NO_TENSORS));                               // TfLitePackParams
        t.op(UNPACK, Unpack::new, structs(8, 0, NO_TENSORS));                           // TfLiteUnpackParams
        t.op(SPLIT, Split::new, structs(4, 0, fetches(0)));                             // TfLiteSplitParams
        // convolutions, pooling, dense (Fast*: the reference kernel, with fast loops where the node qualifies and
        // InterpreterOptions.useFastKernels is on)
        t.op(CONV_2D, FastConv2D::new, (op, g, tg) -> ConvCommon.convFootprint(op, g, tg, 0)).work(Conv2D::work);
        t.op(DEPTHWISE_CONV_2D, FastDepthwiseConv2D::new, (op, g, tg) -> ConvCommon.convFootprint(op, g, tg, 3))
                .work(DepthwiseConv2D::work);
        t.op(TRANSPOSE_CONV, FastTransposeConv::new, TransposeConv::footprint).work(TransposeConv::work);
        t.op(FULLY_CONNECTED, FastFullyConnected::new, FullyConnected::footprint).work(FullyConnected::work);
        t.op(AVERAGE_POOL_2D, () -> new FastPool2D(Pool2D.Kind.AVERAGE), structs(40, 32)).work(Pool2D::work);
        t.op(MAX_POOL_2D, () -> new FastPool2D(Pool2D.Kind.MAX), structs(40, 32)).work(Pool2D::work);
        // recurrent
        t.op(SVDF, Svdf::new, Svdf::footprint).work(Svdf::work).libm();
        t.op(UNIDIRECTIONAL_SEQUENCE_LSTM, FastLstm::new, UnidirectionalSequenceLstm::footprint)
                .work(UnidirectionalSequenceLstm::work).libm();
        // issue 12: control flow, variables, custom ops
        t.op(IF, If::new, structs(8, 8, fetches(0)));                                   // TfLiteIfParams; OpData: 2 ints
        t.op(WHILE, While::new, structs(8, 8, NO_TENSORS));                             // TfLiteWhileParams; OpData: 2 ints
        t.op(CALL_ONCE, CallOnce::new, structs(4, 8, NO_TENSORS));                      // TfLiteCallOnceParams; int + bool
        t.op(VAR_HANDLE, ResourceVariableOps.VarHandle::new, ResourceVariableOps.VarHandle::footprint);
        t.op(READ_VARIABLE, ResourceVariableOps.ReadVariable::new, structs(0, 0, fetches(0)));
        // the variable's buffer its first Prepare allocates is the arena's ResourceVariablePlan
        t.op(ASSIGN_VARIABLE, ResourceVariableOps.AssignVariable::new, structs(0, 0, fetches(1)));
        t.custom("CIRCULAR_BUFFER", CircularBuffer::new, CircularBuffer::footprint);
        t.custom("TFLite_Detection_PostProcess", DetectionPostprocess::new, DetectionPostprocess::footprint).libm();
        t.custom("SignalDelay", SignalDelay::new, SignalFootprints::delay);
        t.custom("SignalFramer", SignalFramer::new, SignalFootprints::framer);
        t.custom("SignalIrfft", SignalIrfft::new, SignalFootprints::irfft);
        t.custom("SignalOverlapAdd", SignalOverlapAdd::new, SignalFootprints::overlapAdd);
        t.custom("SignalStacker", SignalStacker::new, SignalFootprints::stacker);
        // issue 12: data movement, image, matmul
        t.op(SHAPE, Shape::new, structs(4, 0, NO_TENSORS));                              // TfLiteShapeParams
        t.op(FILL, Fill::new, structs(0, 0));
        t.op(ZEROS_LIKE, ZerosLike::new, structs(0, 0));
        t.op(SPLIT_V, SplitV::new, structs(4, 0, fetches(2))).work(WorkRule.INPUT_ELEMENTS); // TfLiteSplitVParams
        t.op(REVERSE_V2, ReverseV2::new, structs(0, 0));
        t.op(MIRROR_PAD, MirrorPad::new, MirrorPad::footprint);
        t.op(BROADCAST_TO, BroadcastTo::new, structs(0, 0));
        t.op(BROADCAST_ARGS, BroadcastArgs::new, structs(0, 0));
        t.op(SPACE_TO_DEPTH, () -> new DepthSpace(DepthSpace.Mode.SPACE_TO_DEPTH), DepthSpace::footprint);
        t.op(DEPTH_TO_SPACE, () -> new DepthSpace(DepthSpace.Mode.DEPTH_TO_SPACE), DepthSpace::footprint);
        t.op(SPACE_TO_BATCH_ND, () -> new SpaceBatchNd(SpaceBatchNd.Mode.SPACE_TO_BATCH), structs(0, 4, fetches(0, OUTPUT))); // SpaceToBatchParams
        t.op(BATCH_TO_SPACE_ND, () -> new SpaceBatchNd(SpaceBatchNd.Mode.BATCH_TO_SPACE), structs(0, 0, fetches(0, OUTPUT)));
        t.op(GATHER_ND, GatherNd::new, GatherNd::footprint);
        t.op(EMBEDDING_LOOKUP, EmbeddingLookup::new, EmbeddingLookup::footprint);
        t.op(DYNAMIC_UPDATE_SLICE, DynamicUpdateSlice::new, structs(0, 0));
        t.op(CUMSUM, Cumsum::new, Cumsum::footprint);
        t.op(RESIZE_BILINEAR, ResizeBilinear::new, Resize::footprint);
        t.op(RESIZE_NEAREST_NEIGHBOR, ResizeNearestNeighbor::new, Resize::footprint);
        t.op(BATCH_MATMUL, BatchMatMul::new, BatchMatMul::footprint).work(BatchMatMul::work);
        // issue 12: comparisons, logic, math
        for (Comparison.Kind k : Comparison.Kind.values()) {                          // OpData: ComparisonParams
            t.op(BuiltinOperator.valueOf(k.name()), () -> new Comparison(k), structs(0, 32, fetches(0, 1)));
        }
        t.op(LOGICAL_AND, () -> new Logical(Logical.Kind.AND), structs(0, 0, NO_TENSORS)); // no Init, no Prepare
        t.op(LOGICAL_OR, () -> new Logical(Logical.Kind.OR), structs(0, 0, NO_TENSORS));
        t.op(LOGICAL_NOT, () -> new Logical(Logical.Kind.NOT), structs(0, 0));
        t.op(REDUCE_ALL, () -> new Reduce(Reduce.Mode.ALL), Reduce::allFootprint).work(WorkRule.INPUT_ELEMENTS);
        t.op(REDUCE_MAX, () -> new Reduce(Reduce.Mode.MAX), Reduce::minMaxFootprint).work(WorkRule.INPUT_ELEMENTS);
        t.op(REDUCE_MIN, () -> new Reduce(Reduce.Mode.MIN), Reduce::minMaxFootprint).work(WorkRule.INPUT_ELEMENTS);
        t.op(CEIL, () -> new FloatUnary(FloatUnary.Function.CEIL), structs(0, 0));
        t.op(ROUND, () -> new FloatUnary(FloatUnary.Function.ROUND), structs(0, 0));
        t.op(COS, () -> new FloatUnary(FloatUnary.Function.COS), structs(0, 0)).libm();
        t.op(SIN, () -> new FloatUnary(FloatUnary.Function.SIN), structs(0, 0)).libm();
        t.op(LOG, () -> new FloatUnary(FloatUnary.Function.LOG), structs(0, 0)).libm();
        t.op(SQUARE, () -> new FloatUnary(FloatUnary.Function.SQUARE), structs(0, 0));
        t.op(ELU, Elu::new, Elu::footprint).libm();
        t.op(PRELU, Prelu::new, structs(0, 28));                                      // PreluParams
        t.op(FLOOR_DIV, () -> new FloorDivMod(FloorDivMod.Kind.FLOOR_DIV), structs(0, 0));
        t.op(FLOOR_MOD, () -> new FloorDivMod(FloorDivMod.Kind.FLOOR_MOD), structs(0, 0)).libm(); // fmodf
        t.op(ADD_N, AddN::new, AddN::footprint).work(AddN::work);
        t.op(LOG_SOFTMAX, LogSoftmax::new, LogSoftmax::footprint).work(WorkRule.THREE_PASSES).libm();
        t.op(L2_NORMALIZATION, L2Normalization::new, structs(4, 4));                  // TfLiteL2NormParams; L2NormalizationParams
        t.op(L2_POOL_2D, L2Pool2D::new, L2Pool2D::footprint).work(Pool2D::work);
        // issue 12: tensor decompression (TFLM_DECODE)
        t.custom("TFLM_DECODE", Decode::new, Decode::footprint).work(WorkRule.OUTPUT_ELEMENTS);
        // the Signal library's custom ops (audio front end)
        t.custom("SignalWindow", SignalWindow::new, SignalFootprints::twoInts);
        t.custom("SignalFftAutoScale", SignalFftAutoScale::new, SignalFootprints::noInit);
        t.custom("SignalRfft", SignalRfft::new, SignalFootprints::rfft).work(SignalFootprints::rfftWork);
        t.custom("SignalEnergy", SignalEnergy::new, SignalFootprints::twoInts);
        t.custom("SignalFilterBank", SignalFilterBank::new, SignalFootprints::filterBank);
        t.custom("SignalFilterBankSquareRoot", SignalFilterBankSquareRoot::new, SignalFootprints::noInit);
        t.custom("SignalFilterBankSpectralSubtraction", SignalFilterBankSpectralSubtraction::new,
                SignalFootprints::spectralSubtraction);
        t.custom("SignalPCAN", SignalPCAN::new, SignalFootprints::pcan);
        t.custom("SignalFilterBankLog", SignalFilterBankLog::new, SignalFootprints::twoInts);
        ALL = Collections.unmodifiableMap(t.build());
    }

    private Ops() {}

    /** Every descriptor by name ("CONV_2D", "CUSTOM:SignalRfft"), in table order. */
    public static Map<String, OpDescriptor> all() { return ALL; }

    /** The descriptor for an operator code, or null when minnow has no kernel for it. */
    public static OpDescriptor find(OpCode code) { return ALL.get(code.displayName()); }

    /** The descriptor of a builtin, or null. */
    public static OpDescriptor find(BuiltinOperator op) { return ALL.get(op.name()); }

    /** Collects the entries; {@link #work} and {@link #libm} refine the last one. */
    private static final class Table {
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private Entry last;

        Table op(BuiltinOperator op, Supplier<OpKernel> kernel, FootprintRule footprint) {
            return add(op.name(), kernel, footprint);
        }

        Table custom(String code, Supplier<OpKernel> kernel, FootprintRule footprint) {
            return add("CUSTOM:" + code, kernel, footprint);
        }

        private Table add(String name, Supplier<OpKernel> kernel, FootprintRule footprint) {
            if (entries.containsKey(name)) throw new IllegalStateException("op " + name + " registered twice");
            last = new Entry(kernel, footprint);
            entries.put(name, last);
            return this;
        }

        Table work(WorkRule rule) {
            last.work = rule;
            return this;
        }

        Table libm() {
            last.libm = true;
            return this;
        }

        Map<String, OpDescriptor> build() {
            Map<String, OpDescriptor> out = new LinkedHashMap<>();
            entries.forEach((k, e) -> out.put(k, new OpDescriptor(k, e.kernel, e.footprint, e.work, e.libm)));
            return out;
        }
    }

    private static final class Entry {
        final Supplier<OpKernel> kernel;
        final FootprintRule footprint;
        WorkRule work = WorkRule.OUTPUT_ELEMENTS;
        boolean libm;

        Entry(Supplier<OpKernel> kernel, FootprintRule footprint) {
            this.kernel = kernel;
            this.footprint = footprint;
        }
    }
}
