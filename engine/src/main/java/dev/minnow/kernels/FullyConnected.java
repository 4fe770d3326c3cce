package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
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
 * FULLY_CONNECTED as TFLM's reference kernel: float32; int8 input with int8 (or packed int4) weights, per-tensor or
 * per-channel, int32 bias; int16 input with int8 weights and int64 (or int32) bias. out[b][c] = act(sum_d in[b][d] *
 * w[c][d] + bias[c]), accumulated in d order.
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes every check TFLM makes and derives an immutable
 * {@link Params} (sizes, offsets, per-channel multipliers and shifts, activation range, tensors, {@link Variant}); the
 * reference loops are the static {@code eval*} methods over it, and {@link #reference} picks the one for a variant.
 * A faster kernel reuses {@code prepareParams} and replaces only the loop, falling back to the reference for the
 * variants it does not speed up:
 * <pre>{@code
 * OpKernel fast = node -> {
 *     FullyConnected.Params p = FullyConnected.prepareParams(node);
 *     return p.variant() == FullyConnected.Variant.INT8 ? () -> MyFastFc.evalInt8(p) : FullyConnected.reference(p);
 * };
 * }</pre>
 * Its results must stay byte-identical to the reference method's. Int4 weights are unpacked once at prepare into
 * {@link Params#unpackedFilter()}, not per invoke into the int4 scratch buffer TFLM requests (the arena still holds it).
 */
public final class FullyConnected implements OpKernel {
    /** Multiply-accumulates: accumulation depth times output depth, per batch row. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo f = g.tensor(op.input(1)), out = g.tensor(op.output(0));
        int depth = out.rank() == 0 ? 0 : out.dim(out.rank() - 1);
        long batches = depth == 0 ? 0 : out.elementCount() / depth;
        return WorkCount.macs(batches * depth * f.dim(f.rank() - 1));
    }

    /** TfLiteFullyConnectedParams (16); OpDataFullyConnected; per-channel arrays only for per-channel filters; int4 scratch. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        int[] prepare = new int[0];
        if (op.inputCount() > 1 && op.input(1) >= 0) {
            int channels = g.tensor(op.input(1)).quantization().channelCount();
            if (channels > 1) prepare = new int[] {4 * channels, 4 * channels};
        }
        return new NodeFootprint(16, 4, new int[] {t == Target.HOST64 ? 64 : 48}, prepare, ConvCommon.int4Scratch(op, g),
                Footprints.ALL_TENSORS.of(op, g));
    }


    /** Which reference loop runs a prepared node: the input type, and for int16 the accumulator width. */
    public enum Variant {
        /** float32 input, weights, bias and output. */
        FLOAT32,
        /** int8 input and output, int8 or int4 weights (unpacked at prepare), int32 bias, int32 accumulators. */
        INT8,
        /** int16 input and output, int8 weights, int32 bias (or none declared int32): int32 accumulators. */
        INT16_ACC32,
        /** int16 input and output, int8 weights, int64 bias (or none): int64 accumulators. */
        INT16_ACC64
    }

    /**
     * Everything prepare derives for one node, what TFLM keeps in OpDataFullyConnected and FullyConnectedParams. The
     * tensors' data is valid from the first eval on. The arrays belong to the record: nobody writes them after prepare.
     *
     * @param unpackedFilter int4 weights unpacked to one byte each, null for other filters (see {@link #filterData()})
     * @param batches        rows of the input (output elements / output depth)
     * @param outputDepth    output channels (the output's last dimension)
     * @param accumDepth     the filter's last dimension, multiplied and summed per output
     * @param inputOffset    minus the input zero point (quantized variants, 0 for float)
     * @param filterOffset   minus the filter zero point, 0 for per-channel filters (quantized variants)
     * @param outputOffset   the output zero point (quantized variants)
     * @param outputMultiplier per output channel (the same value in every channel for per-tensor filters); empty for float
     * @param outputShift    per output channel, TFLM's shift convention (positive: left); empty for float
     * @param activationMin  quantized clamp of the fused activation (quantized variants)
     * @param activationMax  quantized clamp of the fused activation (quantized variants)
     * @param floatMin       float clamp of the fused activation (FLOAT32)
     * @param floatMax       float clamp of the fused activation (FLOAT32)
     */
    public record Params(Variant variant, Tensor input, Tensor filter, byte[] unpackedFilter, Tensor bias, Tensor output,
                         int batches, int outputDepth, int accumDepth, int inputOffset, int filterOffset,
                         int outputOffset, int[] outputMultiplier, int[] outputShift, int activationMin,
                         int activationMax, float floatMin, float floatMax) {
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

    /**
     * TFLM's Prepare (and the checks its Eval and reference kernels make) for one node, and everything derivable:
     * fails with a {@link dev.minnow.runtime.KernelException} naming the node where TFLM rejects the node.
     */
    public static Params prepareParams(NodeContext node) {
        Tensor input = KernelUtil.requiredInput(node, 0);
        Tensor filter = KernelUtil.requiredInput(node, 1);
        Tensor bias = node.input(2);
        Tensor output = node.output(0);
        Options.FullyConnected o = Options.FullyConnected.of(node.options());
        int activation = o.fusedActivationFunction();
        // TFLM's micro kernel never reads weights_format (nor keep_num_dims): a shuffled format runs as the default one.
        node.require(input.dataType() == output.dataType(), "input type %s != output type %s",
                input.dataType().lowerName(), output.dataType().lowerName());
        DataType in = input.dataType(), f = filter.dataType();
        if ((in == DataType.FLOAT32 && f != DataType.FLOAT32) || (in == DataType.INT8 && f != DataType.INT8 && f != DataType.INT4)
                || (in == DataType.INT16 && f != DataType.INT8)) {
            throw node.fail("Input type: %s with filter type: %s not supported.", in.name(), f.name());
        }
        node.require(in == DataType.FLOAT32 || in == DataType.INT8 || in == DataType.INT16,
                "Input type %s (%d) not supported.", in.name(), in.code());
        node.require(filter.rank() >= 2, "filter rank %d < 2", filter.rank());
        node.require(output.rank() >= 1, "output rank %d < 1", output.rank());
        int outputDepth = output.dim(output.rank() - 1);
        int batches = outputDepth == 0 ? 0 : output.numElements() / outputDepth;
        int accumDepth = filter.dim(filter.rank() - 1);
        node.require(outputDepth <= filter.dim(filter.rank() - 2), "output depth %d exceeds the filter's %d rows",
                outputDepth, filter.dim(filter.rank() - 2));
        node.require((long) batches * accumDepth <= input.numElements(),
                "input has %d elements, %d batches of depth %d need more", input.numElements(), batches, accumDepth);
        if (bias != null) {
            node.require(bias.numElements() >= outputDepth, "bias has %d elements for %d outputs", bias.numElements(), outputDepth);
        }

        if (in == DataType.FLOAT32) {
            // the float reference kernel takes MatchingDim(weights rows, output depth): a DCHECK that they are equal
            // (the integer kernels only DCHECK output depth <= rows)
            node.require(outputDepth == filter.dim(filter.rank() - 2),
                    "MatchingDim: filter has %d rows, float output depth is %d", filter.dim(filter.rank() - 2), outputDepth);
            ConvCommon.requireWideBias(node, bias, "float");
            float[] range = KernelUtil.activationRangeFloat(activation);
            return new Params(Variant.FLOAT32, input, filter, null, bias, output, batches, outputDepth, accumDepth, 0, 0,
                    0, new int[0], new int[0], 0, 0, range[0], range[1]);
        }

        // Quantized: per-channel when the filter has more than one scale.
        boolean perChannel = filter.quantization().isPerChannel();
        int channels = filter.quantization().channelCount();
        int[] multipliers = new int[outputDepth];
        int[] shifts = new int[outputDepth];
        if (perChannel) {
            int qdim = filter.quantization().quantizedDimension();
            node.require(f != DataType.INT4, "per-channel quantization is not supported with int4 filters");
            node.require(qdim >= 0 && qdim < filter.rank() && channels == filter.dim(qdim),
                    "%d filter scales for filter dimension %d of size %d", channels, qdim, qdim >= 0 && qdim < filter.rank() ? filter.dim(qdim) : -1);
            node.require(channels >= outputDepth, "%d filter scales for %d outputs", channels, outputDepth);
            for (int c = 0; c < outputDepth; c++) {
                double effective = (double) input.scale() * (double) filter.quantization().scale(c) / (double) output.scale();
                QuantizedMultiplier q = FixedPoint.quantizeMultiplier(effective);
                multipliers[c] = q.multiplier();
                shifts[c] = q.shift();
            }
        } else {
            QuantizedMultiplier q = FixedPoint.quantizeMultiplier(KernelUtil.convolutionMultiplier(node, input, filter, bias, output));
            java.util.Arrays.fill(multipliers, q.multiplier());
            java.util.Arrays.fill(shifts, q.shift());
        }
        // fully_connected_common.cc: TFLITE_DCHECK(filter->params.zero_point == 0), an abort in TFLM's debug build
        node.require(filter.zeroPoint() == 0, "filter->params.zero_point == 0 was not true (filter zero point %d)",
                filter.zeroPoint());
        int[] range = KernelUtil.activationRangeQuantized(node, activation, output);
        int inputOffset = -input.zeroPoint();
        int filterOffset = -filter.zeroPoint();
        int outputOffset = output.zeroPoint();
        byte[] weights = f == DataType.INT4 ? ConvCommon.unpackInt4(filter) : null;

        if (in == DataType.INT8) {
            ConvCommon.requireWideBias(node, bias, "int32");
            return new Params(Variant.INT8, input, filter, weights, bias, output, batches, outputDepth, accumDepth,
                    inputOffset, perChannel ? 0 : filterOffset, outputOffset, multipliers, shifts, range[0], range[1], 0f, 0f);
        }
        // int16 activations: int64 accumulation unless the bias (or the declared bias type) is int32.
        int quantizedBiasType = o.quantizedBiasType();
        boolean int32Accum = (bias != null && bias.dataType() == DataType.INT32)
                || (bias == null && quantizedBiasType == DataType.INT32.code());
        if (bias != null) {
            node.require(bias.dataType() == DataType.INT32 || bias.dataType() == DataType.INT64,
                    "bias type %s not supported with int16 input", bias.dataType().name());
        }
        if (!int32Accum) ConvCommon.requireInt64MultiplierShifts(node, shifts);
        return new Params(int32Accum ? Variant.INT16_ACC32 : Variant.INT16_ACC64, input, filter, null, bias, output,
                batches, outputDepth, accumDepth, inputOffset, perChannel ? 0 : filterOffset, outputOffset, multipliers,
                shifts, range[0], range[1], 0f, 0f);
    }

    /** The float32 reference loop: out = clamp(sum_d in * w in d order + bias). */
    public static void evalFloat32(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        int batches = p.batches(), depth = p.outputDepth(), accum = p.accumDepth();
        float min = p.floatMin(), max = p.floatMax();
        byte[] ia = in.array(), wa = w.array(), oa = out.array();
        int io = in.offset(), wo = w.offset(), oo = out.offset();
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < depth; c++) {
                float total = 0f;
                int ib = io + 4 * b * accum, wb = wo + 4 * c * accum;
                for (int d = 0; d < accum; d++) {
                    total += LittleEndian.getFloat(ia, ib + 4 * d) * LittleEndian.getFloat(wa, wb + 4 * d);
                }
                float biasValue = bias == null ? 0f : LittleEndian.getFloat(bias.array(), bias.offset() + 4 * c);
                LittleEndian.putFloat(oa, oo + 4 * (c + depth * b), KernelUtil.clamp(total + biasValue, min, max));
            }
        }
    }

    /** The int8 reference loop (int8 or unpacked int4 weights): int32 sums, requantized per channel. */
    public static void evalInt8(Params p) {
        Tensor in = p.input(), bias = p.bias(), out = p.output();
        int batches = p.batches(), depth = p.outputDepth(), accum = p.accumDepth();
        int inputOffset = p.inputOffset(), filterOffset = p.filterOffset(), outputOffset = p.outputOffset();
        int[] mult = p.outputMultiplier(), shift = p.outputShift();
        int min = p.activationMin(), max = p.activationMax();
        byte[] ia = in.array(), oa = out.array();
        byte[] wa = p.filterData();
        int io = in.offset(), wo = p.filterDataOffset(), oo = out.offset();
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < depth; c++) {
                int acc = 0;
                int ib = io + b * accum, wb = wo + c * accum;
                for (int d = 0; d < accum; d++) acc += (wa[wb + d] + filterOffset) * (ia[ib + d] + inputOffset);
                if (bias != null) acc += LittleEndian.getInt(bias.array(), bias.offset() + 4 * c);
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) + outputOffset;
                oa[oo + c + depth * b] = (byte) KernelUtil.clamp(v, min, max);
            }
        }
    }

    /** The int16 reference loop with int32 accumulators and an int32 bias (wrapping as TFLM's int32 sums do). */
    public static void evalInt16Acc32(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        int batches = p.batches(), depth = p.outputDepth(), accum = p.accumDepth();
        int inputOffset = p.inputOffset(), filterOffset = p.filterOffset(), outputOffset = p.outputOffset();
        int[] mult = p.outputMultiplier(), shift = p.outputShift();
        int min = p.activationMin(), max = p.activationMax();
        byte[] ia = in.array(), wa = w.array(), oa = out.array();
        int io = in.offset(), wo = w.offset(), oo = out.offset();
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < depth; c++) {
                int ib = io + 2 * b * accum, wb = wo + c * accum;
                int acc = 0;
                for (int d = 0; d < accum; d++) acc += (wa[wb + d] + filterOffset) * (LittleEndian.getShort(ia, ib + 2 * d) + inputOffset);
                if (bias != null) acc += LittleEndian.getInt(bias.array(), bias.offset() + 4 * c);
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) + outputOffset;
                LittleEndian.putShort(oa, oo + 2 * (c + depth * b), (short) KernelUtil.clamp(v, min, max));
            }
        }
    }

    /** The int16 reference loop with int64 accumulators and an int64 bias. */
    public static void evalInt16Acc64(Params p) {
        Tensor in = p.input(), w = p.filter(), bias = p.bias(), out = p.output();
        int batches = p.batches(), depth = p.outputDepth(), accum = p.accumDepth();
        int inputOffset = p.inputOffset(), filterOffset = p.filterOffset(), outputOffset = p.outputOffset();
        int[] mult = p.outputMultiplier(), shift = p.outputShift();
        int min = p.activationMin(), max = p.activationMax();
        byte[] ia = in.array(), wa = w.array(), oa = out.array();
        int io = in.offset(), wo = w.offset(), oo = out.offset();
        for (int b = 0; b < batches; b++) {
            for (int c = 0; c < depth; c++) {
                int ib = io + 2 * b * accum, wb = wo + c * accum;
                long acc = 0;
                for (int d = 0; d < accum; d++) acc += (wa[wb + d] + filterOffset) * (LittleEndian.getShort(ia, ib + 2 * d) + inputOffset);
                if (bias != null) acc += LittleEndian.getLong(bias.array(), bias.offset() + 8 * c);
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc, mult[c], shift[c]) + outputOffset;
                LittleEndian.putShort(oa, oo + 2 * (c + depth * b), (short) KernelUtil.clamp(v, min, max));
            }
        }
    }
}
