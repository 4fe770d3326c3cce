package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.model.DataType;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.Options;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.ScratchBuffer;
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

import java.util.ArrayList;
import java.util.List;

/**
 * TRANSPOSE_CONV as TFLM's reference kernels: inputs (output shape, OHWI filter, NHWC input, optional bias); every
 * input element scatters {@code input * filter} into the output in input order, then bias, requantization and the
 * activation are applied per output. float32, int8 (int32 accumulators in an arena scratch buffer, per-channel
 * multipliers) and int16 (int64 accumulators, int64 or int16 bias).
 */
public final class TransposeConv implements OpKernel {
    /**
     * Multiply-accumulates: the reference kernel scatters every input element through every filter tap whose output
     * position lies inside the output, for each pair of input and output channels.
     */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(2)), f = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        Options.TransposeConv o = Options.TransposeConv.of(op.options());
        int padH = Padding.compute(o.strideH(), 1, out.dim(1), f.dim(1), Padding.outputSize(o.padding(), out.dim(1), f.dim(1), o.strideH(), 1)).before();
        int padW = Padding.compute(o.strideW(), 1, out.dim(2), f.dim(2), Padding.outputSize(o.padding(), out.dim(2), f.dim(2), o.strideW(), 1)).before();
        long ty = ConvGeometry.tapsInside(out.dim(1), in.dim(1), f.dim(1), o.strideH(), 1, padH);
        long tx = ConvGeometry.tapsInside(out.dim(2), in.dim(2), f.dim(2), o.strideW(), 1, padW);
        return WorkCount.macs((long) in.dim(0) * in.dim(3) * out.dim(3) * ty * tx);
    }

    /**
     * TfLiteTransposeConvParams (5 ints); OpData (ConvParams 56, two indices, two pointers); per-channel arrays; scratch
     * accumulators of the output's size (int32 for int8, int64 for int16) and an int64 copy of an int16 bias. Prepare
     * fetches output, input and filter (not the output-shape tensor), allocates the per-channel arrays; CalculateOpData
     * fetches input, filter, bias and output again only for quantized inputs, and fills the arrays.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        TensorInfo in = g.tensor(op.input(2)), filter = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        TensorInfo bias = op.inputCount() > 3 && op.input(3) >= 0 ? g.tensor(op.input(3)) : null;
        int channels = filter.rank() > 0 ? filter.dim(0) : 0;
        List<Integer> scratch = new ArrayList<>();
        if (in.type() == DataType.INT8) scratch.add(4 * (int) out.elementCount());
        if (in.type() == DataType.INT16) {
            scratch.add(8 * (int) out.elementCount());
            if (bias != null && bias.type() == DataType.INT16) scratch.add(8 * (int) bias.elementCount());
        }
        List<Integer> temps = new ArrayList<>();
        Footprints.add(temps, op.output(0), Footprints.input(op, 2), Footprints.input(op, 1));
        temps.add(NodeFootprint.PERSISTENT_HERE);
        if (Footprints.quantizedInput(op, g, 2)) {
            Footprints.add(temps, Footprints.input(op, 2), Footprints.input(op, 1), Footprints.input(op, 3), op.output(0));
            temps.add(NodeFootprint.WRITTEN_HERE);
        }
        return new NodeFootprint(20, 4, new int[] {t == Target.HOST64 ? 80 : 72}, new int[] {4 * channels, 4 * channels},
                Footprints.ints(scratch), Footprints.ints(temps));
    }

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
        Options.TransposeConv o = Options.TransposeConv.of(node.options());
        int sh = o.strideH(), sw = o.strideW(), padding = o.padding();
        int fh = filter.dim(1), fw = filter.dim(2);
        int padH = Padding.compute(sh, 1, out.dim(1), fh, Padding.outputSize(padding, out.dim(1), fh, sh, 1)).before();
        int padW = Padding.compute(sw, 1, out.dim(2), fw, Padding.outputSize(padding, out.dim(2), fw, sw, 1)).before();
        ConvGeometry g = new ConvGeometry(in.dim(0), in.dim(1), in.dim(2), in.dim(3), fh, fw, out.dim(1), out.dim(2), out.dim(3),
                sh, sw, 1, 1, padH, padW);
        if (bias != null) node.require(bias.numElements() == g.outDepth(), "bias has %d elements for %d channels", bias.numElements(), g.outDepth());
        int activation = o.fusedActivationFunction();
        if (t == DataType.FLOAT32) {
            node.require(bias == null || bias.dataType() == DataType.FLOAT32, "bias type %s with float input", bias == null ? "" : bias.dataType().name());
            float[] r = KernelUtil.activationRangeFloat(activation);
            return new FloatTConv(in, filter, bias, out, g, r[0], r[1]);
        }
        ConvCommon.QuantParams q = ConvCommon.QuantParams.of(node, in, filter, out, activation, 0);
        if (t == DataType.INT8) {
            if (bias != null) node.require(bias.dataType() == DataType.INT32, "bias type %s not supported with int8 input", bias.dataType().name());
            ScratchBuffer scratch = node.scratch(0);   // int32 accumulators, one per output element
            return new Int8TConv(in, filter, bias, out, g, q, scratch);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT64 || bias.dataType() == DataType.INT16,
                    "bias type %s not supported with int16 input", bias.dataType().name());
        }
        ScratchBuffer scratch = node.scratch(0);   // int64 accumulators, one per output element
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

    private record Int8TConv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, ConvCommon.QuantParams q,
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

    private record Int16TConv(Tensor in, Tensor w, Tensor bias, Tensor out, ConvGeometry g, ConvCommon.QuantParams q,
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
