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
 * CONV_2D as TFLM's reference kernels: NHWC input, OHWI filter, grouped when the filter's input depth divides the
 * input depth; float32, int8 (int8 or int4 weights, per-channel multipliers) and int16 (int8 weights, int32 or int64
 * bias). Accumulates over filter y, filter x, input channel in that order, skipping taps outside the image.
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes TFLM's checks and derives an immutable
 * {@link Params} (geometry, grouping, offsets, per-channel multipliers and shifts, activation range, tensors,
 * {@link Variant}); the reference loops are the static {@code eval*} methods over it and {@link #reference} picks the
 * one for a variant. A faster kernel reuses {@code prepareParams} and replaces only the loop, e.g.
 * {@code node -> { Conv2D.Params p = Conv2D.prepareParams(node); return p.variant() == Conv2D.Variant.INT8 ?
 * () -> MyFastConv.evalInt8(p) : Conv2D.reference(p); }}, byte-identical to the reference method. Int4 weights are
 * unpacked once at prepare into {@link Params#unpackedFilter()}, not per invoke into TFLM's int4 scratch buffer (the
 * arena still holds it).
 */
public final class Conv2D implements OpKernel {
    /** Multiply-accumulates: every filter tap inside the image, times the filter depth, per output channel and position. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0)), f = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        Options.Conv2D o = Options.Conv2D.of(op.options());
        int[] pad = ConvGeometry.paddings(o.padding(), in.dim(1), in.dim(2), f.dim(1), f.dim(2), o.strideH(), o.strideW(),
                o.dilationHFactor(), o.dilationWFactor());
        long ty = ConvGeometry.tapsInside(in.dim(1), out.dim(1), f.dim(1), o.strideH(), o.dilationHFactor(), pad[0]);
        long tx = ConvGeometry.tapsInside(in.dim(2), out.dim(2), f.dim(2), o.strideW(), o.dilationWFactor(), pad[1]);
        return WorkCount.macs((long) out.dim(0) * out.dim(3) * f.dim(3) * ty * tx);
    }


    /** Which reference loop runs a prepared node: the input type, and for int16 the accumulator width. */
    public enum Variant {
        /** float32 input, filter, bias and output. */
        FLOAT32,
        /** int8 input and output, int8 or int4 weights (unpacked at prepare), int32 bias. */
        INT8,
        /** int16 input and output, int8 weights, int32 bias (or none declared int32): sums wrap at 32 bits. */
        INT16_ACC32,
        /** int16 input and output, int8 weights, int64 bias (or none): int64 accumulators. */
        INT16_ACC64
    }

    /**
     * Everything prepare derives for one node (TFLM's OpDataConv and ConvParams). The tensors' data is valid from the
     * first eval on; the record's arrays (in {@code quant}) are never written after prepare.
     *
     * @param unpackedFilter  int4 weights unpacked to one byte each, null for other filters (see {@link #filterData()})
     * @param geometry        sizes, strides, dilations and padding
     * @param filterDepth     input channels per group (the filter's last dimension)
     * @param outputsPerGroup output channels per group (output depth when not grouped)
     * @param floatMin        float clamp of the fused activation (FLOAT32)
     * @param floatMax        float clamp of the fused activation (FLOAT32)
     * @param quant           offsets, per-channel multipliers and shifts, quantized clamp; null for FLOAT32
     */
    public record Params(Variant variant, Tensor input, Tensor filter, byte[] unpackedFilter, Tensor bias, Tensor output,
                         ConvGeometry geometry, int filterDepth, int outputsPerGroup, float floatMin, float floatMax,
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
            case INT16_ACC32 -> () -> evalInt16Acc32(p);
            case INT16_ACC64 -> () -> evalInt16Acc64(p);
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
        Options.Conv2D o = Options.Conv2D.of(node.options());
        DataType in = input.dataType(), f = filter.dataType();
        node.require(in == output.dataType(), "input type %s != output type %s", in.name(), output.dataType().name());
        node.require((in == DataType.FLOAT32 && f == DataType.FLOAT32) || (in == DataType.INT16 && f == DataType.INT8)
                || (in == DataType.INT8 && (f == DataType.INT4 || f == DataType.INT8)),
                "Hybrid models are not supported on TFLite Micro (input %s, filter %s).", in.name(), f.name());
        node.require(filter.rank() == 4, "filter rank %d != 4", filter.rank());
        ConvGeometry g = ConvGeometry.of(node, input, filter.dim(1), filter.dim(2), output, o.strideH(),
                o.strideW(), o.dilationHFactor(), o.dilationWFactor(), o.padding());
        int filterInDepth = filter.dim(3);
        node.require(filterInDepth > 0 && g.inDepth() % filterInDepth == 0,
                "input depth %d is not a multiple of the filter depth %d", g.inDepth(), filterInDepth);
        int groups = g.inDepth() / filterInDepth;
        node.require(filter.dim(0) == g.outDepth(), "filter has %d output channels, output has %d", filter.dim(0), g.outDepth());
        node.require(g.outDepth() % groups == 0, "output depth %d not divisible into %d groups", g.outDepth(), groups);
        if (bias != null) node.require(bias.numElements() == g.outDepth(), "bias has %d elements for %d channels", bias.numElements(), g.outDepth());
        int activation = o.fusedActivationFunction();

        if (in == DataType.FLOAT32) {
            ConvCommon.requireWideBias(node, bias, "float");
            float[] r = KernelUtil.activationRangeFloat(activation);
            return new Params(Variant.FLOAT32, input, filter, null, bias, output, g, filterInDepth, g.outDepth() / groups,
                    r[0], r[1], null);
        }
        ConvCommon.QuantParams q = ConvCommon.QuantParams.of(node, input, filter, output, activation, 0);
        byte[] weights = f == DataType.INT4 ? ConvCommon.unpackInt4(filter) : null;
        if (in == DataType.INT8) {
            ConvCommon.requireWideBias(node, bias, "int32");
            return new Params(Variant.INT8, input, filter, weights, bias, output, g, filterInDepth, g.outDepth() / groups,
                    0f, 0f, q);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT32 || bias.dataType() == DataType.INT64,
                    "Bias type %s (%d) not supported.", bias.dataType().name(), bias.dataType().code());
        }
        boolean int32Accum = (bias != null && bias.dataType() == DataType.INT32)
                || (bias == null && o.quantizedBiasType() == DataType.INT32.code());
        if (!int32Accum) ConvCommon.requireInt64MultiplierShifts(node, q.shift());
        return new Params(int32Accum ? Variant.INT16_ACC32 : Variant.INT16_ACC64, input, filter, null, bias, output, g,
                filterInDepth, g.outDepth() / groups, 0f, 0f, q);
    }


    /** The float32 reference loop: per output, taps in filter y, filter x, channel order, then bias and clamp. */
    public static void evalFloat32(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        int fDepth = p.filterDepth(), perGroup = p.outputsPerGroup();
        float min = p.floatMin(), max = p.floatMax();
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

    /** The int8 reference loop (int8 or unpacked int4 weights): int32 sums, bias, per-channel requantization. */
    public static void evalInt8(Params p) {
        Tensor in = p.input(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        int fDepth = p.filterDepth(), perGroup = p.outputsPerGroup();
        byte[] ia = in.array(), oa = out.array();
        byte[] wa = p.filterData();
        int io = in.offset(), wo = p.filterDataOffset(), oo = out.offset();
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

    /**
     * The int16 reference loop with int32 accumulators and an int32 bias: the taps are summed exactly in 64 bits, whose
     * low 32 bits are what TFLM's wrapping int32 sum holds.
     */
    public static void evalInt16Acc32(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        int fDepth = p.filterDepth(), perGroup = p.outputsPerGroup();
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
                        long acc = int16Taps(ia, io, wa, wo, g, fDepth, fRow, fOut, inRow, inImg, b, iy0, ix0, oc,
                                (oc / perGroup) * fDepth);
                        int acc32 = (int) acc;
                        if (bias != null) acc32 += LittleEndian.getInt(bias.array(), bias.offset() + 4 * oc);
                        int v = FixedPoint.multiplyByQuantizedMultiplier(acc32, q.multiplier()[oc], q.shift()[oc]);
                        LittleEndian.putShort(oa, outPos, (short) KernelUtil.clamp(v, q.min(), q.max()));
                        outPos += 2;
                    }
                }
            }
        }
    }

    /** The int16 reference loop with int64 accumulators and an int64 bias. */
    public static void evalInt16Acc64(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        int fDepth = p.filterDepth(), perGroup = p.outputsPerGroup();
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
                        long acc = int16Taps(ia, io, wa, wo, g, fDepth, fRow, fOut, inRow, inImg, b, iy0, ix0, oc,
                                (oc / perGroup) * fDepth);
                        if (bias != null) acc += LittleEndian.getLong(bias.array(), bias.offset() + 8 * oc);
                        int v = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[oc], q.shift()[oc]);
                        LittleEndian.putShort(oa, outPos, (short) KernelUtil.clamp(v, q.min(), q.max()));
                        outPos += 2;
                    }
                }
            }
        }
    }

    /** The exact sum of weight * input over one output's taps inside the image (int16 input, int8 weights). */
    private static long int16Taps(byte[] ia, int io, byte[] wa, int wo, ConvGeometry g, int fDepth, int fRow, int fOut,
                                  int inRow, int inImg, int b, int iy0, int ix0, int oc, int groupBase) {
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
        return acc;
    }
}
