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
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes TFLM's checks and derives an immutable
 * {@link Params} (geometry, offsets, per-channel multipliers and shifts, activation range, tensors, the accumulator
 * scratch buffer, {@link Variant}); the reference loops are the static {@code eval*} methods over it and
 * {@link #reference} picks the one for a variant. A faster kernel reuses {@code prepareParams} and replaces only the
 * loop ({@code node -> { TransposeConv.Params p = TransposeConv.prepareParams(node); return ... }}), byte-identical to
 * the reference method; the quantized variants' accumulators are the arena scratch buffer TFLM requests.
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

    /** Which reference loop runs a prepared node: the input type. */
    public enum Variant {
        /** float32 input, filter, bias and output; accumulates in the output tensor. */
        FLOAT32,
        /** int8 input and output, int8 weights, int32 bias; int32 accumulators in scratch buffer 0. */
        INT8,
        /** int16 input and output, int8 weights, int64 or int16 bias; int64 accumulators in scratch buffer 0. */
        INT16
    }

    /**
     * Everything prepare derives for one node (TFLM's OpData and ConvParams). The tensors' and the scratch buffer's
     * data are valid from the first eval on; the record's arrays (in {@code quant}) are never written after prepare.
     *
     * @param geometry     the input's, filter's and output's sizes, strides, and the padding on the output side
     * @param floatMin     float clamp of the fused activation (FLOAT32)
     * @param floatMax     float clamp of the fused activation (FLOAT32)
     * @param quant        offsets, per-channel multipliers and shifts, quantized clamp; null for FLOAT32
     * @param accumulators one int32 (INT8) or int64 (INT16) accumulator per output element; null for FLOAT32
     */
    public record Params(Variant variant, Tensor input, Tensor filter, Tensor bias, Tensor output, ConvGeometry geometry,
                         float floatMin, float floatMax, ConvCommon.QuantParams quant, ScratchBuffer accumulators) {}

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
            return new Params(Variant.FLOAT32, in, filter, bias, out, g, r[0], r[1], null, null);
        }
        ConvCommon.QuantParams q = ConvCommon.QuantParams.of(node, in, filter, out, activation, 0);
        if (t == DataType.INT8) {
            if (bias != null) node.require(bias.dataType() == DataType.INT32, "bias type %s not supported with int8 input", bias.dataType().name());
            ScratchBuffer scratch = node.scratch(0);   // int32 accumulators, one per output element
            return new Params(Variant.INT8, in, filter, bias, out, g, 0f, 0f, q, scratch);
        }
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT64 || bias.dataType() == DataType.INT16,
                    "bias type %s not supported with int16 input", bias.dataType().name());
        }
        ScratchBuffer scratch = node.scratch(0);   // int64 accumulators, one per output element
        return new Params(Variant.INT16, in, filter, bias, out, g, 0f, 0f, q, scratch);
    }

    /** The float32 reference loop: scatter-accumulate into the output in input order, then bias and clamp. */
    public static void evalFloat32(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        float min = p.floatMin(), max = p.floatMax();
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
                                    int at = oo + 4 * (((b * g.outHeight() + oy) * g.outWidth() + ox) * oc + o);
                                    float fv = LittleEndian.getFloat(wa, wo + 4 * (((o * g.filterHeight() + fy) * g.filterWidth() + fx) * ic + c));
                                    LittleEndian.putFloat(oa, at, LittleEndian.getFloat(oa, at) + v * fv);
                                }
                            }
                    }
        for (int i = 0; i < n; i++) {
            float acc = LittleEndian.getFloat(oa, oo + 4 * i);
            if (bias != null) acc += LittleEndian.getFloat(bias.array(), bias.offset() + 4 * (i % oc));
            LittleEndian.putFloat(oa, oo + 4 * i, KernelUtil.clamp(acc, min, max));
        }
    }


    /** The int8 reference loop: int32 scatter-accumulation in the scratch buffer, then bias and requantization. */
    public static void evalInt8(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        ScratchBuffer scratch = p.accumulators();
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
                                    int at = so + 4 * (((b * g.outHeight() + oy) * g.outWidth() + ox) * oc + o);
                                    int fv = wa[wo + ((o * g.filterHeight() + fy) * g.filterWidth() + fx) * ic + c];
                                    LittleEndian.putInt(sa, at, LittleEndian.getInt(sa, at) + v * fv);
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


    /** The int16 reference loop: int64 scatter-accumulation in the scratch buffer, then bias and requantization. */
    public static void evalInt16(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        ConvGeometry g = p.geometry();
        ConvCommon.QuantParams q = p.quant();
        ScratchBuffer scratch = p.accumulators();
        byte[] ia = in.array(), wa = w.array(), oa = out.array(), sa = scratch.array();
        int io = in.offset(), wo = w.offset(), oo = out.offset(), so = scratch.offset();
        int n = out.numElements(), ic = g.inDepth(), oc = g.outDepth();
        boolean bias64 = bias != null && bias.dataType() == DataType.INT64;
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
                                    int at = so + 8 * (((b * g.outHeight() + oy) * g.outWidth() + ox) * oc + o);
                                    int fv = wa[wo + ((o * g.filterHeight() + fy) * g.filterWidth() + fx) * ic + c];
                                    LittleEndian.putLong(sa, at, LittleEndian.getLong(sa, at) + (long) v * fv);
                                }
                            }
                    }
        for (int i = 0; i < n; i++) {
            int o = i % oc;
            long acc = LittleEndian.getLong(sa, so + 8 * i);
            if (bias != null) {
                acc += bias64 ? LittleEndian.getLong(bias.array(), bias.offset() + 8 * o)
                        : LittleEndian.getShort(bias.array(), bias.offset() + 2 * o);
            }
            int r = FixedPoint.multiplyByQuantizedMultiplier(acc, q.multiplier()[o], q.shift()[o]);
            LittleEndian.putShort(oa, oo + 2 * i, (short) Math.min(Math.max(r, q.min()), q.max()));
        }
    }
}
