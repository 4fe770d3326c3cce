package dev.minnow.kernels;

import dev.minnow.fixedpoint.FixedPoint;
import dev.minnow.interpreter.Tensor;
import dev.minnow.model.BuiltinOptions;
import dev.minnow.model.DataType;
import dev.minnow.util.LittleEndian;

/**
 * TRANSPOSE_CONV as TFLM's reference kernels: inputs (output shape, OHWI filter, NHWC input, optional bias); every
 * input element scatters {@code input * filter} into the output in input order, then bias, requantization and the
 * activation are applied per output. float32, int8 (int32 accumulators in an arena scratch buffer, per-channel
 * multipliers) and int16 (int64 accumulators, int64 or int16 bias).
 */
public final class TransposeConv implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        node.require(node.inputCount() == 3 || node.inputCount() == 4, "has %d inputs, expected 3 or 4", node.inputCount());
        node.require(node.outputCount() == 1, "has %d outputs, expected 1", node.outputCount());
        Tensor filter = KernelUtil.requiredInput(node, 1), in = KernelUtil.requiredInput(node, 2), out = node.output(0);
        Tensor bias = node.inputCount() == 4 ? node.input(3) : null;
        DataType t = in.dataType(), f = filter.dataType();
        node.require(t == out.dataType(), "input type %s != output type %s", t.name(), out.dataType().name());
        node.require((t == DataType.FLOAT32 && f == DataType.FLOAT32) || (t == DataType.INT8 && f == DataType.INT8)
                || (t == DataType.INT16 && f == DataType.INT8), "Hybrid models are not supported on TFLite Micro (input %s, filter %s).",
                t.name(), f.name());
        node.require(in.rank() == 4 && out.rank() == 4 && filter.rank() == 4, "input, output and filter must be 4-D");
        node.require(in.dim(3) == filter.dim(3), "input depth %d != filter depth %d", in.dim(3), filter.dim(3));
        node.require(filter.dim(0) == out.dim(3), "filter has %d output channels, output has %d", filter.dim(0), out.dim(3));
        node.require(in.dim(0) == out.dim(0), "input batches %d != output batches %d", in.dim(0), out.dim(0));
        BuiltinOptions o = node.options();
        int sh = o.getInt("strideH", 0), sw = o.getInt("strideW", 0), padding = o.getInt("padding", 0);
        int fh = filter.dim(1), fw = filter.dim(2);
        int padH = Padding.compute(sh, 1, out.dim(1), fh, Padding.outputSize(padding, out.dim(1), fh, sh, 1)).before();
        int padW = Padding.compute(sw, 1, out.dim(2), fw, Padding.outputSize(padding, out.dim(2), fw, sw, 1)).before();
        ConvGeometry g = new ConvGeometry(in.dim(0), in.dim(1), in.dim(2), in.dim(3), fh, fw, out.dim(1), out.dim(2), out.dim(3),
                sh, sw, 1, 1, padH, padW);
        if (bias != null) node.require(bias.numElements() == g.outDepth(), "bias has %d elements for %d channels", bias.numElements(), g.outDepth());
        int activation = o.getInt("fusedActivationFunction", 0);
        if (t == DataType.FLOAT32) {
            node.require(bias == null || bias.dataType() == DataType.FLOAT32, "bias type %s with float input", bias == null ? "" : bias.dataType().name());
            float[] r = KernelUtil.activationRangeFloat(activation);
            return new FloatTConv(in, filter, bias, out, g, r[0], r[1]);
        }
        Conv2D.QuantParams q = Conv2D.QuantParams.of(node, in, filter, out, activation, 0);
        if (t == DataType.INT8) {
            if (bias != null) node.require(bias.dataType() == DataType.INT32, "bias type %s not supported with int8 input", bias.dataType().name());
            ScratchBuffer scratch = node.requestScratch(4 * out.numElements());
            return new Int8TConv(in, filter, bias, out, g, q, scratch);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT64 || bias.dataType() == DataType.INT16,
                    "bias type %s not supported with int16 input", bias.dataType().name());
        }
        ScratchBuffer scratch = node.requestScratch(8 * out.numElements());
        return new Int16TConv(in, filter, bias, out, g, q, scratch);
    }

    private record FloatTConv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, float min, float max) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), wa = w.array(), oa = out.array();
            int io = in.offset(), wo = w.offset(), oo = out.offset();
            int n = out.numElements();
            for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * i, 0f);
            int ic = g.inDepth(), oc = g.outDepth();
            for (int b = 0; b < g.batches(); b++)
                for (int iy = 0; iy < g.inHeight(); iy++)
                    for (int ix = 0; ix < g.inWidth(); ix++)
                        for (int c = 0; c < ic; c++) {
                            int ox0 = ix * g.strideW() - g.padW(), oy0 = iy * g.strideH() - g.padH();
                            float v = LittleEndian.getFloat(ia, io + 4 * (((b * g.inHeight() + iy) * g.inWidth() + ix) * ic + c));
                            for (int fy = 0; fy < g.filterHeight(); fy++)
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ox = ox0 + fx, oy = oy0 + fy;
                                    if (ox < 0 || ox >= g.outWidth() || oy < 0 || oy >= g.outHeight()) continue;
                                    for (int o = 0; o < oc; o++) {
                                        int p = oo + 4 * (((b * g.outHeight() + oy) * g.outWidth() + ox) * oc + o);
                                        float fv = LittleEndian.getFloat(wa, wo + 4 * (((o * g.filterHeight() + fy) * g.filterWidth() + fx) * ic + c));
                                        LittleEndian.putFloat(oa, p, LittleEndian.getFloat(oa, p) + v * fv);
                                    }
                                }
                        }
            for (int i = 0; i < n; i++) {
                float acc = LittleEndian.getFloat(oa, oo + 4 * i);
                if (bias != null) acc += LittleEndian.getFloat(bias.array(), bias.offset() + 4 * (i % oc));
                LittleEndian.putFloat(oa, oo + 4 * i, KernelUtil.clamp(acc, min, max));
            }
        }
    }

    private record Int8TConv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, Conv2D.QuantParams q,
                             ScratchBuffer scratch) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), wa = w.array(), oa = out.array(), sa = scratch.array();
            int io = in.offset(), wo = w.offset(), oo = out.offset(), so = scratch.offset();
            int n = out.numElements(), ic = g.inDepth(), oc = g.outDepth();
            for (int i = 0; i < n; i++) LittleEndian.putInt(sa, so + 4 * i, 0);
            for (int b = 0; b < g.batches(); b++)
                for (int iy = 0; iy < g.inHeight(); iy++)
                    for (int ix = 0; ix < g.inWidth(); ix++)
                        for (int c = 0; c < ic; c++) {
                            int ox0 = ix * g.strideW() - g.padW(), oy0 = iy * g.strideH() - g.padH();
                            int v = ia[io + ((b * g.inHeight() + iy) * g.inWidth() + ix) * ic + c] + q.inputOffset();
                            for (int fy = 0; fy < g.filterHeight(); fy++)
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ox = ox0 + fx, oy = oy0 + fy;
                                    if (ox < 0 || ox >= g.outWidth() || oy < 0 || oy >= g.outHeight()) continue;
                                    for (int o = 0; o < oc; o++) {
                                        int p = so + 4 * (((b * g.outHeight() + oy) * g.outWidth() + ox) * oc + o);
                                        int fv = wa[wo + ((o * g.filterHeight() + fy) * g.filterWidth() + fx) * ic + c];
                                        LittleEndian.putInt(sa, p, LittleEndian.getInt(sa, p) + v * fv);
                                    }
                                }
                        }
            for (int i = 0; i < n; i++) {
                int o = i % oc;
                int acc = LittleEndian.getInt(sa, so + 4 * i);
                if (bias != null) acc += LittleEndian.getInt(bias.array(), bias.offset() + 4 * o);
                acc = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[o], q.shift()[o]) + q.outputOffset();
                oa[oo + i] = (byte) Math.min(Math.max(acc, q.min()), q.max());
            }
        }
    }

    private record Int16TConv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, Conv2D.QuantParams q,
                              ScratchBuffer scratch) implements PreparedOp {
        @Override public void eval() {
            byte[] ia = in.array(), wa = w.array(), oa = out.array(), sa = scratch.array();
            int io = in.offset(), wo = w.offset(), oo = out.offset(), so = scratch.offset();
            int n = out.numElements(), ic = g.inDepth(), oc = g.outDepth();
            for (int i = 0; i < n; i++) LittleEndian.putLong(sa, so + 8 * i, 0L);
            for (int b = 0; b < g.batches(); b++)
                for (int iy = 0; iy < g.inHeight(); iy++)
                    for (int ix = 0; ix < g.inWidth(); ix++)
                        for (int c = 0; c < ic; c++) {
                            int ox0 = ix * g.strideW() - g.padW(), oy0 = iy * g.strideH() - g.padH();
                            int v = LittleEndian.getShort(ia, io + 2 * (((b * g.inHeight() + iy) * g.inWidth() + ix) * ic + c));
                            for (int fy = 0; fy < g.filterHeight(); fy++)
                                for (int fx = 0; fx < g.filterWidth(); fx++) {
                                    int ox = ox0 + fx, oy = oy0 + fy;
                                    if (ox < 0 || ox >= g.outWidth() || oy < 0 || oy >= g.outHeight()) continue;
                                    for (int o = 0; o < oc; o++) {
                                        int p = so + 8 * (((b * g.outHeight() + oy) * g.outWidth() + ox) * oc + o);
                                        int fv = wa[wo + ((o * g.filterHeight() + fy) * g.filterWidth() + fx) * ic + c];
                                        LittleEndian.putLong(sa, p, LittleEndian.getLong(sa, p) + (long) v * fv);
                                    }
                                }
                        }
            for (int i = 0; i < n; i++) {
                int o = i % oc;
                long acc = LittleEndian.getLong(sa, so + 8 * i);
                if (bias != null) {
                    acc += bias.dataType() == DataType.INT64 ? LittleEndian.getLong(bias.array(), bias.offset() + 8 * o)
                            : LittleEndian.getShort(bias.array(), bias.offset() + 2 * o);
                }
                int r = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[o], q.shift()[o]);
                LittleEndian.putShort(oa, oo + 2 * i, (short) Math.min(Math.max(r, q.min()), q.max()));
            }
        }
    }
}
