package dev.minnow.kernels;

import dev.minnow.fixedpoint.FixedPoint;
import dev.minnow.fixedpoint.QuantizedMultiplier;
import dev.minnow.interpreter.Tensor;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.util.LittleEndian;

/**
 * CONV_2D as TFLM's reference kernels: NHWC input, OHWI filter, grouped when the filter's input depth divides the
 * input depth; float32, int8 (int8 or int4 weights, per-channel multipliers) and int16 (int8 weights, int32 or int64
 * bias). Accumulates over filter y, filter x, input channel in that order, skipping taps outside the image.
 */
public final class Conv2D implements OpKernel {

    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 2 || node.inputCount() == 3, "has %d inputs, expected 2 or 3", node.inputCount());
        node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
        Tensor input = KernelUtil.requiredInput(node, 0);
        Tensor filter = KernelUtil.requiredInput(node, 1);
        Tensor bias = node.input(2);
        Tensor output = node.output(0);
        BuiltinOptions o = node.options();
        DataType in = input.dataType(), f = filter.dataType();
        node.require(in == output.dataType(), "input type %s != output type %s", in.name(), output.dataType().name());
        node.require((in == DataType.FLOAT32 && f == DataType.FLOAT32) || (in == DataType.INT16 && f == DataType.INT8)
                || (in == DataType.INT8 && (f == DataType.INT4 || f == DataType.INT8)),
                "Hybrid models are not supported on TFLite Micro (input %s, filter %s).", in.name(), f.name());
        node.require(filter.rank() == 4, "filter rank %d != 4", filter.rank());
        ConvGeometry g = ConvGeometry.of(node, input, filter.dim(1), filter.dim(2), output, o.getInt("strideH", 0),
                o.getInt("strideW", 0), o.getInt("dilationHFactor", 1), o.getInt("dilationWFactor", 1), o.getInt("padding", 0));
        int filterInDepth = filter.dim(3);
        node.require(filterInDepth > 0 && g.inDepth() % filterInDepth == 0,
                "input depth %d is not a multiple of the filter depth %d", g.inDepth(), filterInDepth);
        int groups = g.inDepth() / filterInDepth;
        node.require(filter.dim(0) == g.outDepth(), "filter has %d output channels, output has %d", filter.dim(0), g.outDepth());
        node.require(g.outDepth() % groups == 0, "output depth %d not divisible into %d groups", g.outDepth(), groups);
        if (bias != null) node.require(bias.numElements() == g.outDepth(), "bias has %d elements for %d channels", bias.numElements(), g.outDepth());
        int activation = o.getInt("fusedActivationFunction", 0);

        if (in == DataType.FLOAT32) {
            Conv2D.requireWideBias(node, bias, "float");
            float[] r = KernelUtil.activationRangeFloat(activation);
            return new FloatConv(input, filter, bias, output, g, filterInDepth, g.outDepth() / groups, r[0], r[1]);
        }
        QuantParams q = QuantParams.of(node, input, filter, output, activation, 0);
        byte[] weights = f == DataType.INT4 ? FullyConnected.unpackInt4(filter) : null;
        if (f == DataType.INT4) node.requestScratch(filter.numElements());
        if (in == DataType.INT8) {
            Conv2D.requireWideBias(node, bias, "int32");
            return new Int8Conv(input, filter, weights, bias, output, g, filterInDepth, g.outDepth() / groups, q);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT32 || bias.dataType() == DataType.INT64,
                    "Bias type %s (%d) not supported.", bias.dataType().name(), bias.dataType().code());
        }
        boolean int32Accum = (bias != null && bias.dataType() == DataType.INT32)
                || (bias == null && o.getInt("quantizedBiasType", 0) == DataType.INT32.code());
        if (!int32Accum) requireInt64MultiplierShifts(node, q.shift());
        return new Int16Conv(input, filter, bias, output, g, filterInDepth, g.outDepth() / groups, q, int32Accum);
    }

    /**
     * TFLM's float and int8 conv, depthwise and fully-connected kernels read the bias as float / int32 whatever its
     * declared type (GetOptionalTensorData without a type check), so any bias with elements of 4 bytes or more runs
     * on its raw bytes (an int64 bias gives its low and high words in turn); a narrower one would make TFLM read past
     * the tensor, which minnow cannot reproduce.
     */
    static void requireWideBias(NodeContext node, Tensor bias, String readAs) {
        if (bias == null) return;
        node.require(bias.dataType().byteSize() >= 4,
                "bias type %s: TFLM reads the bias as %s, past the end of a tensor with %d-byte elements",
                bias.dataType().name(), readAs, bias.dataType().byteSize());
    }

    /**
     * The int64 MultiplyByQuantizedMultiplier (int16 activations with 64-bit accumulators) asserts
     * {@code shift >= -31 && shift < 8}: an effective scale of 128 or more aborts TFLM's debug build on every output.
     */
    static void requireInt64MultiplierShifts(NodeContext node, int[] shifts) {
        for (int c = 0; c < shifts.length; c++) {
            node.require(shifts[c] >= -31 && shifts[c] < 8,
                    "shift >= -31 && shift < 8 was not true (channel %d: effective scale needs shift %d)", c, shifts[c]);
        }
    }

    /** Per-channel multipliers, offsets and activation range of a quantized conv (PopulateConvolutionQuantizationParams). */
    record QuantParams(int[] multiplier, int[] shift, int inputOffset, int outputOffset, int min, int max) {
        static QuantParams of(NodeContext node, Tensor input, Tensor filter, Tensor output, int activation, int quantizedDim) {
            node.require(filter.quantization().isQuantized(), "filter->quantization.type != kTfLiteAffineQuantization (filter is not quantized)");
            node.require(input.quantization().isQuantized(), "input is not quantized");
            int channels = filter.dim(quantizedDim);
            int scales = filter.quantization().channelCount();
            node.require(scales == 1 || scales == channels,
                    "affine_quantization->scale->size == 1 || affine_quantization->scale->size == %d was not true (%d scales)", channels, scales);
            boolean perChannel = scales > 1;
            if (perChannel) {
                int qd = filter.quantization().quantizedDimension();
                node.require(qd < filter.rank() && filter.dim(qd) == channels,
                        "%d filter scales but filter dimension %d has %d", scales, qd, qd < filter.rank() ? filter.dim(qd) : -1);
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

    private record FloatConv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, int fDepth, int perGroup,
                             float min, float max) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), wa = w.array(), oa = out.array();
            int io = in.offset(), wo = w.offset(), oo = out.offset();
            int inRow = g.inWidth() * g.inDepth(), inImg = g.inHeight() * inRow;
            int fRow = g.filterWidth() * fDepth, fOut = g.filterHeight() * fRow;
            int outPos = oo;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    int iy0 = oy * g.strideH() - g.padH();
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int ix0 = ox * g.strideW() - g.padW();
                        for (int oc = 0; oc < g.outDepth(); oc++) {
                            int groupBase = (oc / perGroup) * fDepth;
                            float total = 0f;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                int iy = iy0 + g.dilationH() * fy;
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ix = ix0 + g.dilationW() * fx;
                                    if (ix < 0 || ix >= g.inWidth() || iy < 0 || iy >= g.inHeight()) continue;
                                    int ib = io + 4 * (b * inImg + iy * inRow + ix * g.inDepth() + groupBase);
                                    int wb = wo + 4 * (oc * fOut + fy * fRow + fx * fDepth);
                                    for (int ic = 0; ic < fDepth; ic++) {
                                        total += LittleEndian.getFloat(ia, ib + 4 * ic) * LittleEndian.getFloat(wa, wb + 4 * ic);
                                    }
                                }
                            }
                            float bv = bias == null ? 0f : LittleEndian.getFloat(bias.array(), bias.offset() + 4 * oc);
                            LittleEndian.putFloat(oa, outPos, KernelUtil.clamp(total + bv, min, max));
                            outPos += 4;
                        }
                    }
                }
            }
        }
    }

    private record Int8Conv(Tensor in, Tensor w, byte[] unpacked, Tensor bias, Tensor out, ConvGeometry g, int fDepth,
                            int perGroup, QuantParams q) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), oa = out.array();
            byte[] wa = unpacked != null ? unpacked : w.array();
            int io = in.offset(), wo = unpacked != null ? 0 : w.offset(), oo = out.offset();
            int inRow = g.inWidth() * g.inDepth(), inImg = g.inHeight() * inRow;
            int fRow = g.filterWidth() * fDepth, fOut = g.filterHeight() * fRow;
            int inputOffset = q.inputOffset();
            int outPos = oo;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    int iy0 = oy * g.strideH() - g.padH();
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int ix0 = ox * g.strideW() - g.padW();
                        for (int oc = 0; oc < g.outDepth(); oc++) {
                            int groupBase = (oc / perGroup) * fDepth;
                            int acc = 0;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                int iy = iy0 + g.dilationH() * fy;
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ix = ix0 + g.dilationW() * fx;
                                    if (ix < 0 || ix >= g.inWidth() || iy < 0 || iy >= g.inHeight()) continue;
                                    int ib = io + b * inImg + iy * inRow + ix * g.inDepth() + groupBase;
                                    int wb = wo + oc * fOut + fy * fRow + fx * fDepth;
                                    for (int ic = 0; ic < fDepth; ic++) acc += wa[wb + ic] * (ia[ib + ic] + inputOffset);
                                }
                            }
                            if (bias != null) acc += LittleEndian.getInt(bias.array(), bias.offset() + 4 * oc);
                            int v = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[oc], q.shift()[oc]) + q.outputOffset();
                            oa[outPos++] = (byte) KernelUtil.clamp(v, q.min(), q.max());
                        }
                    }
                }
            }
        }
    }

    private record Int16Conv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, int fDepth, int perGroup,
                             QuantParams q, boolean acc32) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), wa = w.array(), oa = out.array();
            int io = in.offset(), wo = w.offset(), oo = out.offset();
            int inRow = g.inWidth() * g.inDepth(), inImg = g.inHeight() * inRow;
            int fRow = g.filterWidth() * fDepth, fOut = g.filterHeight() * fRow;
            boolean bias64 = bias != null && bias.dataType() == DataType.INT64;
            int outPos = oo;
            for (int b = 0; b < g.batches(); b++) {
                for (int oy = 0; oy < g.outHeight(); oy++) {
                    int iy0 = oy * g.strideH() - g.padH();
                    for (int ox = 0; ox < g.outWidth(); ox++) {
                        int ix0 = ox * g.strideW() - g.padW();
                        for (int oc = 0; oc < g.outDepth(); oc++) {
                            int groupBase = (oc / perGroup) * fDepth;
                            long acc = 0;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                int iy = iy0 + g.dilationH() * fy;
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ix = ix0 + g.dilationW() * fx;
                                    if (ix < 0 || ix >= g.inWidth() || iy < 0 || iy >= g.inHeight()) continue;
                                    int ib = io + 2 * (b * inImg + iy * inRow + ix * g.inDepth() + groupBase);
                                    int wb = wo + oc * fOut + fy * fRow + fx * fDepth;
                                    for (int ic = 0; ic < fDepth; ic++) acc += wa[wb + ic] * LittleEndian.getShort(ia, ib + 2 * ic);
                                }
                            }
                            int v;
                            if (acc32) {
                                // an int32 accumulator wraps exactly like the low 32 bits of the exact 64-bit sum
                                int acc32v = (int) acc;
                                if (bias != null) acc32v += LittleEndian.getInt(bias.array(), bias.offset() + 4 * oc);
                                v = FixedPoint.multiplyByQuantizedMultiplier(acc32v, q.multiplier()[oc], q.shift()[oc]);
                            } else {
                                if (bias64) acc += LittleEndian.getLong(bias.array(), bias.offset() + 8 * oc);
                                v = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[oc], q.shift()[oc]);
                            }
                            LittleEndian.putShort(oa, outPos, (short) KernelUtil.clamp(v, q.min(), q.max()));
                            outPos += 2;
                        }
                    }
                }
            }
        }
    }
}
