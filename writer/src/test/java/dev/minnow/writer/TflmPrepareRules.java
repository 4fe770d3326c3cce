package dev.minnow.writer;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Quantization;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What TFLM's kernels check in Prepare (tflite-micro 90b983c2: fully_connected_common.cc, conv_common.cc,
 * depthwise_conv_common.cc, transpose_conv.cc, unidirectional_sequence_lstm.cc / lstm_eval_common.cc,
 * pooling_common.cc, quantize_common.cc, dequantize_common.cc, logistic_common.cc, tanh.cc, softmax_common.cc,
 * reshape_common.cc, strided_slice_common.cc, kernel_util.cc's PopulateConvolutionQuantizationParams and
 * GetQuantizedConvolutionMultipler), for the operators the writer emits, plus the conventions the int8 kernels
 * assume without checking (TANH output 1/128, LOGISTIC output 1/256, LSTM output and state sharing parameters).
 * Returns every violation found, empty when the model is valid.
 */
final class TflmPrepareRules {
    private TflmPrepareRules() {}

    static List<String> check(Model m) {
        List<String> v = new ArrayList<>();
        SubgraphInfo g = m.mainSubgraph();
        for (TensorInfo t : g.tensors()) {
            if (t.type() == DataType.INT8 || t.type() == DataType.INT16 || (t.type() == DataType.INT32 && t.quantization().isQuantized())) {
                Quantization q = t.quantization();
                if (!q.isQuantized() && t.elementCount() > 0) v.add(t + ": integer tensor without quantization");
                for (float s : q.scales()) if (!(s > 0) || !Float.isFinite(s)) v.add(t + ": scale " + s);
                if (q.zeroPoints().length != q.scales().length) v.add(t + ": " + q.zeroPoints().length + " zero points for " + q.scales().length + " scales");
                long lo = t.type() == DataType.INT8 ? -128 : t.type() == DataType.INT16 ? -32768 : Integer.MIN_VALUE;
                long hi = t.type() == DataType.INT8 ? 127 : t.type() == DataType.INT16 ? 32767 : Integer.MAX_VALUE;
                for (long zp : q.zeroPoints()) if (zp < lo || zp > hi) v.add(t + ": zero point " + zp);
            }
        }
        for (OperatorInfo op : g.operators()) {
            String w = "op " + op.index() + " " + op.opCode().builtinName();
            switch (op.opCode().builtinName()) {
                case "FULLY_CONNECTED" -> fullyConnected(g, op, w, v);
                case "CONV_2D" -> conv(g, op, op.input(0), op.input(1), op.inputCount() > 2 ? op.input(2) : -1, 0, w, v);
                case "DEPTHWISE_CONV_2D" -> conv(g, op, op.input(0), op.input(1), op.inputCount() > 2 ? op.input(2) : -1, 3, w, v);
                case "TRANSPOSE_CONV" -> {
                    if (!g.tensor(op.input(0)).isConstant() || g.tensor(op.input(0)).type() != DataType.INT32) v.add(w + ": output shape is not an int32 constant");
                    conv(g, op, op.input(2), op.input(1), op.inputCount() > 3 ? op.input(3) : -1, 0, w, v);
                }
                case "UNIDIRECTIONAL_SEQUENCE_LSTM" -> lstm(g, op, w, v);
                case "AVERAGE_POOL_2D", "MAX_POOL_2D" -> {
                    TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0));
                    same(in, out, w, v);
                    if (in.type() == DataType.INT8 && (Math.abs(in.quantization().scale() - out.quantization().scale()) > 1e-6
                            || in.quantization().zeroPoint() != out.quantization().zeroPoint())) v.add(w + ": input and output quantization differ");
                    activation(op, w, v);
                }
                case "RESHAPE", "EXPAND_DIMS", "SQUEEZE" -> {
                    TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0));
                    same(in, out, w, v);
                    if (in.elementCount() != out.elementCount()) v.add(w + ": " + in.elementCount() + " elements in, " + out.elementCount() + " out");
                }
                case "STRIDED_SLICE" -> {
                    if (op.inputCount() != 4) v.add(w + ": " + op.inputCount() + " inputs");
                    for (int k = 1; k < 4; k++) if (!g.tensor(op.input(k)).isConstant()) v.add(w + ": input " + k + " is not constant");
                    if (g.tensor(op.input(0)).rank() > 5) v.add(w + ": rank above 5");
                    for (int s : dev.minnow.writer.LeArrays.toInts(g.tensor(op.input(3)).constantData())) if (s == 0) v.add(w + ": zero stride");
                    same(g.tensor(op.input(0)), g.tensor(op.output(0)), w, v);
                }
                case "LOGISTIC" -> fixedOutput(g, op, 1.0 / 256, -128, w, v);
                case "TANH" -> fixedOutput(g, op, 1.0 / 128, 0, w, v);
                case "SOFTMAX" -> fixedOutput(g, op, 1.0 / 256, -128, w, v);
                case "RELU", "RELU6" -> same(g.tensor(op.input(0)), g.tensor(op.output(0)), w, v);
                case "QUANTIZE" -> {
                    TensorInfo out = g.tensor(op.output(0));
                    if (out.quantization().channelCount() != 1) v.add(w + ": output needs exactly one scale");
                    if (out.type() != DataType.INT8 && out.type() != DataType.INT16) v.add(w + ": output type " + out.type());
                }
                case "DEQUANTIZE" -> {
                    TensorInfo in = g.tensor(op.input(0));
                    if (in.type() != DataType.INT8 && in.type() != DataType.INT16 && in.type() != DataType.UINT8) v.add(w + ": input type " + in.type());
                    if (g.tensor(op.output(0)).type() != DataType.FLOAT32) v.add(w + ": output not float32");
                }
                default -> v.add(w + ": not an operator the writer emits");
            }
        }
        return v;
    }

    private static void fullyConnected(SubgraphInfo g, OperatorInfo op, String w, List<String> v) {
        TensorInfo in = g.tensor(op.input(0)), filter = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        same(in, out, w, v);
        if (in.type() == DataType.FLOAT32 && filter.type() != DataType.FLOAT32) v.add(w + ": float input with " + filter.type() + " filter");
        if (in.type() == DataType.INT8 && filter.type() != DataType.INT8) v.add(w + ": int8 input with " + filter.type() + " filter");
        if (filter.rank() != 2) v.add(w + ": filter rank " + filter.rank());
        if (out.dim(out.rank() - 1) != filter.dim(0)) v.add(w + ": output depth " + out.dim(out.rank() - 1) + " != filter rows " + filter.dim(0));
        if (in.elementCount() / filter.dim(1) * filter.dim(0) != out.elementCount()) v.add(w + ": batches do not match");
        activation(op, w, v);
        if (in.type() == DataType.INT8) {
            Quantization fq = filter.quantization();
            for (long zp : fq.zeroPoints()) if (zp != 0) v.add(w + ": filter zero point " + zp);
            if (fq.isPerChannel() && fq.channelCount() != filter.dim(fq.quantizedDimension())) v.add(w + ": per-channel scales do not match filter dimension");
            bias(g, op.inputCount() > 2 ? op.input(2) : -1, in, filter, out, w, v);
        }
    }

    private static void conv(SubgraphInfo g, OperatorInfo op, int input, int filterIndex, int biasIndex, int channelDim, String w, List<String> v) {
        TensorInfo in = g.tensor(input), filter = g.tensor(filterIndex), out = g.tensor(op.output(0));
        same(in, out, w, v);
        if (in.type() != filter.type()) v.add(w + ": input " + in.type() + " with filter " + filter.type());
        if (in.rank() != 4 || filter.rank() != 4 || out.rank() != 4) v.add(w + ": tensors not 4-D");
        activation(op, w, v);
        if (in.type() == DataType.INT8) {
            Quantization fq = filter.quantization();
            if (!fq.isQuantized()) v.add(w + ": filter not quantized");
            if (fq.channelCount() != 1 && fq.channelCount() != filter.dim(channelDim)) v.add(w + ": " + fq.channelCount() + " filter scales for " + filter.dim(channelDim) + " channels");
            if (fq.isPerChannel() && fq.quantizedDimension() != channelDim) v.add(w + ": quantized dimension " + fq.quantizedDimension() + ", expected " + channelDim);
            if (fq.zeroPoints().length != fq.scales().length) v.add(w + ": filter zero points do not match scales");
            for (long zp : fq.zeroPoints()) if (zp != 0) v.add(w + ": filter zero point " + zp);
            bias(g, biasIndex, in, filter, out, w, v);
        }
        if (filter.dim(0) != out.dim(3) && channelDim == 0) v.add(w + ": filter output channels " + filter.dim(0) + " != " + out.dim(3));
    }

    private static void bias(SubgraphInfo g, int biasIndex, TensorInfo in, TensorInfo filter, TensorInfo out, String w, List<String> v) {
        if (biasIndex < 0) return;
        TensorInfo b = g.tensor(biasIndex);
        if (b.type() != DataType.INT32) { v.add(w + ": bias type " + b.type()); return; }
        Quantization fq = filter.quantization(), bq = b.quantization();
        for (int c = 0; c < bq.channelCount(); c++) {
            double expect = (double) in.quantization().scale() * fq.scale(fq.isPerChannel() ? c : 0);
            if (Math.abs(expect - bq.scale(c)) / out.quantization().scale() > 0.02) v.add(w + ": bias scale " + bq.scale(c) + " vs " + expect);
            if (Math.abs(expect - bq.scale(c)) > 1e-6 * expect) v.add(w + ": bias scale " + bq.scale(c) + " is not input x weight scale " + expect);
            if (bq.zeroPoint(c) != 0) v.add(w + ": bias zero point " + bq.zeroPoint(c));
        }
    }

    private static void lstm(SubgraphInfo g, OperatorInfo op, String w, List<String> v) {
        if (op.inputCount() != 24 || op.outputCount() != 1) { v.add(w + ": " + op.inputCount() + " inputs, " + op.outputCount() + " outputs"); return; }
        TensorInfo in = g.tensor(op.input(0)), hidden = g.tensor(op.input(18)), cell = g.tensor(op.input(19)), out = g.tensor(op.output(0));
        int batch = in.dim(0), steps = in.dim(1), inputs = in.dim(2), units = hidden.dim(hidden.rank() - 1);
        for (int k = 1; k <= 8; k++) {
            TensorInfo t = g.tensor(op.input(k));
            int cols = k <= 4 ? inputs : units;
            if (t.rank() != 2 || t.dim(0) != units || t.dim(1) != cols) v.add(w + ": weights " + k + " shape " + Arrays.toString(t.shape()));
            if (in.type() == DataType.INT8 && (t.type() != DataType.INT8 || t.quantization().isPerChannel() || t.quantization().zeroPoint() != 0)) v.add(w + ": weights " + k + " not per-tensor symmetric int8");
        }
        for (int k = 12; k <= 15; k++) if (g.tensor(op.input(k)).rank() != 1 || g.tensor(op.input(k)).dim(0) != units) v.add(w + ": bias " + k + " shape");
        if (hidden.elementCount() != (long) batch * units || cell.elementCount() != (long) batch * units) v.add(w + ": state sizes");
        if (!hidden.isVariable() || !cell.isVariable()) v.add(w + ": state tensors not variables");
        if (out.rank() != 3 || out.dim(0) != batch || out.dim(1) != steps || out.dim(2) != units) v.add(w + ": output shape " + Arrays.toString(out.shape()));
        if (in.type() == DataType.INT8) {
            if (cell.type() != DataType.INT16) v.add(w + ": cell state " + cell.type() + ", TFLM needs int16");
            float s = cell.quantization().scale();
            if (Math.getExponent(s) < -126 || Float.intBitsToFloat(Float.floatToIntBits(s) & 0xff800000) != s) v.add(w + ": cell state scale " + s + " is not a power of two");
            if (!hidden.quantization().equals(out.quantization())) v.add(w + ": output state and output quantization differ");
            for (int k = 12; k <= 15; k++) {
                TensorInfo b = g.tensor(op.input(k));
                double expect = (double) in.quantization().scale() * g.tensor(op.input(k - 11)).quantization().scale();
                if (b.type() != DataType.INT32 || Math.abs(b.quantization().scale() - expect) > 1e-6 * expect) v.add(w + ": bias " + k + " scale");
            }
        }
    }

    private static void fixedOutput(SubgraphInfo g, OperatorInfo op, double scale, int zp, String w, List<String> v) {
        TensorInfo in = g.tensor(op.input(0)), out = g.tensor(op.output(0));
        same(in, out, w, v);
        if (out.type() == DataType.INT8 && (out.quantization().scale() != (float) scale || out.quantization().zeroPoint() != zp)) {
            v.add(w + ": int8 output " + out.quantization() + ", TFLM's kernel assumes scale " + scale + " zero point " + zp);
        }
    }

    private static void same(TensorInfo in, TensorInfo out, String w, List<String> v) {
        if (in.type() != out.type()) v.add(w + ": input type " + in.type() + " != output type " + out.type());
    }

    private static void activation(OperatorInfo op, String w, List<String> v) {
        int a = op.options().getInt("fusedActivationFunction", 0);
        if (a < 0 || a > 3) v.add(w + ": fused activation " + a + " has no TFLM kernel support");
    }
}
