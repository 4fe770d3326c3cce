package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

/**
 * DEPTHWISE_CONV_2D as TFLM's reference kernels: output channel {@code m + c * depthMultiplier} filters input
 * channel c with filter column {@code [0][y][x][oc]}; float32, int8 (int8/int4 weights, per-channel) and int16 with
 * int8 weights and int64 bias. Taps outside the image are skipped (zero padding).
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes TFLM's checks and derives an immutable
 * {@link Params} (geometry, depth multiplier, offsets, per-channel multipliers and shifts, activation range, tensors,
 * {@link Variant}); the reference loops are the static {@code eval*} methods over it and {@link #reference} picks the
 * one for a variant. A faster kernel reuses {@code prepareParams} and replaces only the loop, e.g.
 * {@code node -> { DepthwiseConv2D.Params p = DepthwiseConv2D.prepareParams(node); return p.variant() ==
 * DepthwiseConv2D.Variant.INT8 ? () -> MyFastDepthwise.evalInt8(p) : DepthwiseConv2D.reference(p); }},
 * byte-identical to the reference method. Int4 weights are unpacked once at prepare into
 * {@link Params#unpackedFilter()}, not per invoke into TFLM's int4 scratch buffer (the arena still holds it).
 */
public final class DepthwiseConv2D implements OpKernel {
    /** Multiply-accumulates: one per filter tap inside the image, per output channel and position. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0)), f = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        Options.DepthwiseConv2D o = Options.DepthwiseConv2D.of(op.options());
        int[] pad = ConvGeometry.paddings(o.padding(), in.dim(1), in.dim(2), f.dim(1), f.dim(2), o.strideH(), o.strideW(),
                o.dilationHFactor(), o.dilationWFactor());
        long ty = ConvGeometry.tapsInside(in.dim(1), out.dim(1), f.dim(1), o.strideH(), o.dilationHFactor(), pad[0]);
        long tx = ConvGeometry.tapsInside(in.dim(2), out.dim(2), f.dim(2), o.strideW(), o.dilationWFactor(), pad[1]);
        return WorkCount.macs((long) out.dim(0) * out.dim(3) * ty * tx);
    }

    /** Which reference loop runs a prepared node: the input type. */
    public enum Variant {
        /** float32 input, filter, bias and output. */
        FLOAT32,
        /** int8 input and output, int8 or int4 weights (unpacked at prepare), int32 bias. */
        INT8,
        /** int16 input and output, int8 weights, int64 bias, int64 accumulators. */
        INT16
    }

    /**
     * Everything prepare derives for one node (TFLM's OpDataConv and DepthwiseParams). The tensors' data is valid from
     * the first eval on; the record's arrays (in {@code quant}) are never written after prepare.
     *
     * @param unpackedFilter  int4 weights unpacked to one byte each, null for other filters (see {@link #filterData()})
     * @param geometry        sizes, strides, dilations and padding
     * @param depthMultiplier output channels per input channel
     * @param floatMin        float clamp of the fused activation (FLOAT32)
     * @param floatMax        float clamp of the fused activation (FLOAT32)
     * @param quant           offsets, per-channel multipliers and shifts, quantized clamp; null for FLOAT32
     */
    public record Params(Variant variant, Tensor input, Tensor filter, byte[] unpackedFilter, Tensor bias, Tensor output,
                         ConvGeometry geometry, int depthMultiplier, float floatMin, float floatMax,
                         ConvCommon.QuantParams quant) {
        /** The weights as the loops read them: the unpacked int4 copy, or the filter tensor's data (valid at eval). */
        public byte[] filterData() { return unpackedFilter != null ? unpackedFilter : filter.array(); }

        /** Byte offset of weight 0 in {@link #filterData()}. */
        public int filterDataOffset() { return unpackedFilter != null ? 0 : filter.offset(); }
    }

    /** The reference kernel: prepare's checks and derivations, then the reference loop of the node's variant. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        return reference(prepareParams(node));
    }

    /** The node's reference eval: the {@code eval*} method of its variant. */
    public static PreparedOp reference(Params p) {
        return switch (p.variant()) {
            case FLOAT32 -> () -> evalFloat32(p);
            case INT8 -> () -> evalInt8(p);
            case INT16 -> () -> evalInt16(p);
        };
    }

    /** TFLM's Prepare (and its Eval's checks) for one node, and everything derivable; fails where TFLM rejects it. */
    public static Params prepareParams(NodeContext node) {
        node.require(node.inputCount() == 2 || node.inputCount() == 3, "has %d inputs, expected 2 or 3", node.inputCount());
        node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
        Tensor input = KernelUtil.requiredInput(node, 0);
        Tensor filter = KernelUtil.requiredInput(node, 1);
        Tensor bias = node.input(2);
        Tensor output = node.output(0);
        Options.DepthwiseConv2D o = Options.DepthwiseConv2D.of(node.options());
        DataType in = input.dataType(), f = filter.dataType();
        node.require(in == output.dataType(), "input type %s != output type %s", in.name(), output.dataType().name());
        node.require(filter.rank() == 4, "filter rank %d != 4", filter.rank());
        // the kernel reads the filter's first [H, W, C] slice; a filter of batch 0 has none
        node.require(filter.dim(0) >= 1, "filter shape %s has batch dimension 0", java.util.Arrays.toString(filter.shape()));
        if (in == DataType.INT8) {
            node.require(filter.quantization().isQuantized(),
                    "filter->quantization.type != kTfLiteAffineQuantization (0 != 1): int8 depthwise needs a quantized filter");
        }
        node.require(in == f || (in == DataType.INT8 && (f == DataType.INT4 || f == DataType.INT8))
                || (in == DataType.INT16 && f == DataType.INT8),
                "Hybrid models are not supported on TFLite Micro (input %s, filter %s).", in.name(), f.name());
        node.require(in == DataType.FLOAT32 || in == DataType.INT8 || in == DataType.INT16, "Input type %s (%d) not supported.", in.name(), in.code());
        ConvGeometry g = ConvGeometry.of(node, input, filter.dim(1), filter.dim(2), output, o.strideH(),
                o.strideW(), o.dilationHFactor(), o.dilationWFactor(), o.padding());
        int depthMultiplier = o.depthMultiplier();
        node.require(g.outDepth() == g.inDepth() * depthMultiplier, "output depth %d != input depth %d * depth multiplier %d",
                g.outDepth(), g.inDepth(), depthMultiplier);
        node.require(filter.dim(3) == g.outDepth(), "filter has %d channels, output has %d", filter.dim(3), g.outDepth());
        // The reference kernel checks bias_shape.FlatSize() == output_depth unconditionally (a missing bias has flat size 1).
        int biasSize = bias == null ? 1 : bias.numElements();
        node.require(biasSize == g.outDepth(), "bias_shape.FlatSize() %d != output depth %d%s", biasSize, g.outDepth(),
                bias == null ? " (no bias tensor; TFLM's reference kernel aborts on this check)" : "");
        int activation = o.fusedActivationFunction();
        if (in == DataType.FLOAT32) {
            ConvCommon.requireWideBias(node, bias, "float");
            float[] r = KernelUtil.activationRangeFloat(activation);
            return new Params(Variant.FLOAT32, input, filter, null, bias, output, g, depthMultiplier, r[0], r[1], null);
        }
        if (in == DataType.INT8 && filter.quantization().channelCount() > 1) {
            node.require(filter.quantization().zeroPoints().length == filter.quantization().channelCount()
                    || filter.quantization().zeroPoints().length == 1,
                    "%d filter scales but %d zero points", filter.quantization().channelCount(), filter.quantization().zeroPoints().length);
        }
        ConvCommon.QuantParams q = ConvCommon.QuantParams.of(node, input, filter, output, activation, 3);
        if (in == DataType.INT8) {
            ConvCommon.requireWideBias(node, bias, "int32");
            byte[] weights = f == DataType.INT4 ? ConvCommon.unpackInt4(filter) : null;
            return new Params(Variant.INT8, input, filter, weights, bias, output, g, depthMultiplier, 0f, 0f, q);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT64, "bias type %s not supported with int16 input (TFLM reads int64)", bias.dataType().name());
        }
        ConvCommon.requireInt64MultiplierShifts(node, q.shift());
        return new Params(Variant.INT16, input, filter, null, bias, output, g, depthMultiplier, 0f, 0f, q);
    }

    /** The float32 reference loop: per output, taps in filter y, filter x order, then bias and clamp. */
    public static void evalFloat32(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        int mult = p.depthMultiplier();
        float min = p.floatMin(), max = p.floatMax();
        byte[] ia = in.array(), wa = w.array(), oa = out.array();
        int io = in.offset(), wo = w.offset(), oo = out.offset();
        int inRow = g.inWidth() * g.inDepth(), inImg = g.inHeight() * inRow;
        int fRow = g.filterWidth() * g.outDepth();
        int outPos = oo;
        for (int b = 0; b < g.batches(); b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                int iy0 = oy * g.strideH() - g.padH();
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    int ix0 = ox * g.strideW() - g.padW();
                    for (int ic = 0; ic < g.inDepth(); ic++) {
                        for (int m = 0; m < mult; m++) {
                            int oc = m + ic * mult;
                            float total = 0f;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ix = ix0 + g.dilationW() * fx, iy = iy0 + g.dilationH() * fy;
                                    if (ix < 0 || ix >= g.inWidth() || iy < 0 || iy >= g.inHeight()) continue;
                                    total += LittleEndian.getFloat(ia, io + 4 * (b * inImg + iy * inRow + ix * g.inDepth() + ic))
                                            * LittleEndian.getFloat(wa, wo + 4 * (fy * fRow + fx * g.outDepth() + oc));
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

    /** The int8 reference loop (int8 or unpacked int4 weights): int32 sums, bias, per-channel requantization. */
    public static void evalInt8(Params p) {
        Tensor in = p.input(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        int mult = p.depthMultiplier();
        byte[] ia = in.array(), oa = out.array();
        byte[] wa = p.filterData();
        int io = in.offset(), wo = p.filterDataOffset(), oo = out.offset();
        int inRow = g.inWidth() * g.inDepth(), inImg = g.inHeight() * inRow;
        int fRow = g.filterWidth() * g.outDepth();
        int inputOffset = q.inputOffset();
        int outPos = oo;
        for (int b = 0; b < g.batches(); b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                int iy0 = oy * g.strideH() - g.padH();
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    int ix0 = ox * g.strideW() - g.padW();
                    for (int ic = 0; ic < g.inDepth(); ic++) {
                        for (int m = 0; m < mult; m++) {
                            int oc = m + ic * mult;
                            int acc = 0;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ix = ix0 + g.dilationW() * fx, iy = iy0 + g.dilationH() * fy;
                                    if (ix < 0 || ix >= g.inWidth() || iy < 0 || iy >= g.inHeight()) continue;
                                    acc += wa[wo + fy * fRow + fx * g.outDepth() + oc]
                                            * (ia[io + b * inImg + iy * inRow + ix * g.inDepth() + ic] + inputOffset);
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

    /** The int16 reference loop: int64 sums and bias, per-channel requantization. */
    public static void evalInt16(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        int mult = p.depthMultiplier();
        byte[] ia = in.array(), wa = w.array(), oa = out.array();
        int io = in.offset(), wo = w.offset(), oo = out.offset();
        int inRow = g.inWidth() * g.inDepth(), inImg = g.inHeight() * inRow;
        int fRow = g.filterWidth() * g.outDepth();
        int outPos = oo;
        for (int b = 0; b < g.batches(); b++) {
            for (int oy = 0; oy < g.outHeight(); oy++) {
                int iy0 = oy * g.strideH() - g.padH();
                for (int ox = 0; ox < g.outWidth(); ox++) {
                    int ix0 = ox * g.strideW() - g.padW();
                    for (int ic = 0; ic < g.inDepth(); ic++) {
                        for (int m = 0; m < mult; m++) {
                            int oc = m + ic * mult;
                            long acc = 0;
                            for (int fy = 0; fy < g.filterHeight(); fy++) {
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ix = ix0 + g.dilationW() * fx, iy = iy0 + g.dilationH() * fy;
                                    if (ix < 0 || ix >= g.inWidth() || iy < 0 || iy >= g.inHeight()) continue;
                                    acc += (long) wa[wo + fy * fRow + fx * g.outDepth() + oc]
                                            * LittleEndian.getShort(ia, io + 2 * (b * inImg + iy * inRow + ix * g.inDepth() + ic));
                                }
                            }
                            if (bias != null) acc += LittleEndian.getLong(bias.array(), bias.offset() + 8 * oc);
                            int v = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[oc], q.shift()[oc]);
                            LittleEndian.putShort(oa, outPos, (short) KernelUtil.clamp(v, q.min(), q.max()));
                            outPos += 2;
                        }
                    }
                }
            }
        }
    }
}
