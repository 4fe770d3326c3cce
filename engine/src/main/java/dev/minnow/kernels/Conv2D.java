package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
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


    @Override
    public PreparedOp prepare(NodeContext node) {
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
            return new FloatConv(input, filter, bias, output, g, filterInDepth, g.outDepth() / groups, r[0], r[1]);
        }
        ConvCommon.QuantParams q = ConvCommon.QuantParams.of(node, input, filter, output, activation, 0);
        byte[] weights = f == DataType.INT4 ? ConvCommon.unpackInt4(filter) : null;
        if (in == DataType.INT8) {
            ConvCommon.requireWideBias(node, bias, "int32");
            return new Int8Conv(input, filter, weights, bias, output, g, filterInDepth, g.outDepth() / groups, q);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT32 || bias.dataType() == DataType.INT64,
                    "Bias type %s (%d) not supported.", bias.dataType().name(), bias.dataType().code());
        }
        boolean int32Accum = (bias != null && bias.dataType() == DataType.INT32)
                || (bias == null && o.quantizedBiasType() == DataType.INT32.code());
        if (!int32Accum) ConvCommon.requireInt64MultiplierShifts(node, q.shift());
        return new Int16Conv(input, filter, bias, output, g, filterInDepth, g.outDepth() / groups, q, int32Accum);
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
                            int perGroup, ConvCommon.QuantParams q) implements PreparedOp {
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
                             ConvCommon.QuantParams q, boolean acc32) implements PreparedOp {
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
