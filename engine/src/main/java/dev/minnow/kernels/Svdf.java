package dev.minnow.kernels;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.math.FixedPoint;
import dev.minnow.math.FloatLibm;
import dev.minnow.math.QuantizedMultiplier;
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

import java.util.Arrays;

/**
 * SVDF as TFLM's svdf_common: float32, and int8 input/feature weights with int16 (or int8) time weights and
 * state. The activation state is a variable tensor [batch, memory * filters]: each invoke shifts it left by one
 * and writes the new feature projections into the last column, then applies the time weights per filter, sums
 * rank filters per unit, adds the bias and (float only) the fused activation.
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes TFLM's checks and derives an immutable
 * {@link Params} (sizes, zero points, the two rescalings, tensors, scratch buffers, {@link Variant}); the reference
 * loops are the static {@code eval*} methods over it and {@link #reference} picks the one for a variant. A faster
 * kernel reuses {@code prepareParams} and replaces only the loop ({@code node -> { Svdf.Params p =
 * Svdf.prepareParams(node); return ... }}), byte-identical to the reference method.
 *
 * <p>Per-invoke intermediates live where TFLM keeps them, in the arena scratch buffers the footprint declares: the
 * per-filter time-weighted sums in scratch buffer 0 (int32 or float) and, for int8, the per-unit sums in scratch
 * buffer 1 (int32); the float kernel sums the units in the output tensor itself, as TFLM does. So the node uses
 * exactly the memory {@link dev.minnow.arena.ArenaReport} accounts for it, and holds no heap arrays of its own.
 */
public final class Svdf implements OpKernel {
    /**
     * Multiply-accumulates: the feature projection (filters x input) and the time weights (filters x memory), per
     * batch; element operations: the state shift (filters x memory), the rank sum (filters) and the output (units).
     */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0)), wf = g.tensor(op.input(1)), wt = g.tensor(op.input(2)), out = g.tensor(op.output(0));
        long batch = in.dim(0), filters = wf.dim(0), memory = wt.dim(1), units = out.dim(1);
        return new WorkCount(batch * filters * (in.dim(1) + memory), batch * filters * memory + batch * filters + batch * units);
    }

    /** TfLiteSVDFParams (12); OpDataSvdf (9 ints); scratch: batch x filters, and for int8 batch x units. */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        TensorInfo in = g.tensor(op.input(0)), wf = g.tensor(op.input(1));
        int rank = Options.SVDF.of(op.options()).rank();
        int batch = in.rank() > 0 ? in.dim(0) : 0;
        int filters = wf.rank() > 0 ? wf.dim(0) : 0;
        int units = rank == 0 ? 0 : filters / rank;
        int[] scratch = in.type() == DataType.INT8 ? new int[] {4 * batch * filters, 4 * batch * units} : new int[] {4 * batch * filters};
        return new NodeFootprint(12, 4, new int[] {36}, new int[0], scratch, Footprints.ALL_TENSORS.of(op, g));
    }

    /** Which reference loop runs a prepared node: the input type, and for int8 the state (and time weights) type. */
    public enum Variant {
        /** float32 throughout (TFLM's EvalFloatSvdfReference). */
        FLOAT32,
        /** int8 input, feature weights and output; int16 time weights and state (TFLM's EvalInt16SvdfReference). */
        INT16_STATE,
        /** int8 input, feature weights and output; int8 time weights and state (TFLM's EvalInt8SvdfReference). */
        INT8_STATE
    }

    /** The SVDF's sizes: batch rows, input width, filters (units times rank), units, rank and memory length. */
    public record Geometry(int batch, int inputSize, int filters, int units, int rank, int memory) {}

    /**
     * Everything prepare derives for one node (TFLM's OpDataSvdf). The tensors' and scratch buffers' data are valid
     * from the first eval on.
     *
     * @param activation        the fused activation (FLOAT32; the integer kernels apply none)
     * @param inputZeroPoint    the input's zero point (integer variants)
     * @param stateZeroPoint    the activation state's zero point (integer variants)
     * @param outputZeroPoint   the output's zero point (integer variants)
     * @param featureMultiplier input * feature weights to the state's scale (integer variants; ZERO for float)
     * @param outputMultiplier  state * time weights to the output's scale (integer variants; ZERO for float)
     * @param filterSums        scratch buffer 0: one int32 (float for FLOAT32) per batch row and filter
     * @param unitSums          scratch buffer 1: one int32 per batch row and unit (integer variants; null for float)
     */
    public record Params(Variant variant, Tensor input, Tensor weightsFeature, Tensor weightsTime, Tensor bias,
                         Tensor state, Tensor output, Geometry geometry, int activation, int inputZeroPoint,
                         int stateZeroPoint, int outputZeroPoint, QuantizedMultiplier featureMultiplier,
                         QuantizedMultiplier outputMultiplier, ScratchBuffer filterSums, ScratchBuffer unitSums) {}

    /** The reference kernel: prepare's checks and derivations, then the reference loop of the node's variant. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        return reference(prepareParams(node));
    }

    /** The node's reference eval: the {@code eval*} method of its variant. */
    public static PreparedOp reference(Params p) {
        return switch (p.variant()) {
            case FLOAT32 -> () -> evalFloat32(p);
            case INT16_STATE -> () -> evalInt16State(p);
            case INT8_STATE -> () -> evalInt8State(p);
        };
    }

    /** TFLM's Prepare (and its Eval's checks) for one node, and everything derivable; fails where TFLM rejects it. */
    public static Params prepareParams(NodeContext node) {
        Options.SVDF o = Options.SVDF.of(node.options());
        int rank = o.rank();
        int activation = o.fusedActivationFunction();
        Tensor input = KernelUtil.requiredInput(node, 0);
        Tensor wf = KernelUtil.requiredInput(node, 1);
        Tensor wt = KernelUtil.requiredInput(node, 2);
        Tensor bias = node.input(3);
        Tensor state = node.input(4);
        node.require(state != null, "activation state (input 4) is missing");
        node.require(input.rank() >= 2 && wf.rank() >= 1 && wt.rank() >= 2,
                "input rank %d, weights_feature rank %d, weights_time rank %d too small", input.rank(), wf.rank(),
                wt.rank());
        int inputSize = input.dim(1), batch = input.dim(0), filters = wf.dim(0);
        node.require(rank != 0, "rank must not be 0");
        node.require(filters % rank == 0, "num_filters %d is not a multiple of rank %d", filters, rank);
        int units = filters / rank;
        int memory = wt.dim(1);
        node.require(input.dataType() == DataType.FLOAT32 || input.dataType() == DataType.INT8,
                "input type %s not supported (float32 or int8)", input.dataType().lowerName());
        node.require(input.rank() == 2, "input must have rank 2, got %d", input.rank());
        node.require(node.outputCount() == 1, "expects 1 output, got %d", node.outputCount());
        Tensor output = node.output(0);
        node.require(output.rank() == 2 && output.dim(0) == batch && output.dim(1) == units,
                "output shape %s != [%d, %d]", Arrays.toString(output.shape()), batch, units);
        node.require(wf.rank() == 2 && wf.dim(1) == inputSize, "weights_feature shape %s != [%d, %d]",
                Arrays.toString(wf.shape()), filters, inputSize);
        node.require(wt.rank() == 2 && wt.dim(0) == filters, "weights_time shape %s != [%d, %d]",
                Arrays.toString(wt.shape()), filters, memory);
        if (bias != null) {
            node.require(bias.rank() >= 1 && bias.dim(0) == units, "bias shape %s, expected [%d]",
                    Arrays.toString(bias.shape()), units);
        }
        node.require(state.rank() == 2 && state.dim(0) == batch && state.dim(1) == memory * filters,
                "activation state shape %s != [%d, %d]", Arrays.toString(state.shape()), batch, memory * filters);
        node.require(state.isVariable(), "activation state (input 4) must be a variable tensor");
        node.require(node.inputCount() == 5, "expects 5 inputs, got %d", node.inputCount());
        Geometry g = new Geometry(batch, inputSize, filters, units, rank, memory);

        if (input.dataType() == DataType.INT8) {
            KernelUtil.requireType(node, wf, DataType.INT8, "weights_feature");
            node.require(wt.dataType() == DataType.INT16 || wt.dataType() == DataType.INT8,
                    "weights_time type %s not supported (int16 or int8)", wt.dataType().lowerName());
            node.require(state.dataType() == DataType.INT16 || state.dataType() == DataType.INT8,
                    "activation state type %s not supported (int16 or int8)", state.dataType().lowerName());
            if (bias != null) KernelUtil.requireType(node, bias, DataType.INT32, "bias");
            KernelUtil.requireType(node, output, DataType.INT8, "output");
            node.require(bias != null, "int8 SVDF needs a bias (TFLM reads its scale)");
            node.require(wt.dataType() == state.dataType(), "weights_time type %s != activation state type %s",
                    wt.dataType().lowerName(), state.dataType().lowerName());
            double scale1 = (double) (input.scale() * wf.scale() / state.scale());
            double scale2 = (double) (state.scale() * wt.scale() / output.scale());
            double diff = Math.abs((double) bias.scale() - (double) (state.scale() * wt.scale()));
            node.require(diff < 1e-5, "bias scale %s differs from state scale * weights_time scale %s by %s >= 1e-5",
                    bias.scale(), state.scale() * wt.scale(), diff);
            QuantizedMultiplier m1 = FixedPoint.quantizeMultiplier(scale1);
            QuantizedMultiplier m2 = FixedPoint.quantizeMultiplier(scale2);
            return new Params(state.dataType() == DataType.INT16 ? Variant.INT16_STATE : Variant.INT8_STATE, input, wf, wt,
                    bias, state, output, g, activation, input.zeroPoint(), state.zeroPoint(), output.zeroPoint(), m1, m2,
                    scratch(node, 0, 4L * batch * filters), scratch(node, 1, 4L * batch * units));
        }
        KernelUtil.requireType(node, wf, DataType.FLOAT32, "weights_feature");
        KernelUtil.requireType(node, wt, DataType.FLOAT32, "weights_time");
        KernelUtil.requireType(node, state, DataType.FLOAT32, "activation state");
        if (bias != null) KernelUtil.requireType(node, bias, DataType.FLOAT32, "bias");
        KernelUtil.requireType(node, output, DataType.FLOAT32, "output");
        return new Params(Variant.FLOAT32, input, wf, wt, bias, state, output, g, activation, 0, 0, 0,
                QuantizedMultiplier.ZERO, QuantizedMultiplier.ZERO, scratch(node, 0, 4L * batch * filters), null);
    }

    /**
     * The integer reference loop with an int16 state: shift the state, project the input into its last column,
     * weight each filter's history, sum rank filters per unit with the bias, rescale to the output.
     */
    public static void evalInt16State(Params p) {
        Geometry g = p.geometry();
        int memory = g.memory(), filters = g.filters();
        byte[] sa = p.state().array();
        int so = p.state().offset();
        int total = g.batch() * filters * memory;
        // Shift the whole state left by one element.
        System.arraycopy(sa, so + 2, sa, so, (total - 1) * 2);
        byte[] ia = p.input().array(), fa = p.weightsFeature().array();
        int io = p.input().offset(), fo = p.weightsFeature().offset();
        int inputZp = p.inputZeroPoint(), stateZp = p.stateZeroPoint();
        for (int b = 0; b < g.batch(); b++) {
            for (int r = 0; r < filters; r++) {
                int dot = 0;
                int wRow = fo + r * g.inputSize(), xRow = io + b * g.inputSize();
                for (int c = 0; c < g.inputSize(); c++) dot += fa[wRow + c] * (ia[xRow + c] - inputZp);
                dot = p.featureMultiplier().apply(dot);
                dot = Math.min(Math.max(-32768, dot), 32767);
                LittleEndian.putShort(sa, so + 2 * ((b * filters + r) * memory + memory - 1), (short) (stateZp + dot));
            }
        }
        byte[] ta = p.weightsTime().array(), fs = p.filterSums().array();
        int to = p.weightsTime().offset(), fso = p.filterSums().offset();
        for (int b = 0; b < g.batch(); b++) {
            int sBase = b * memory * filters;
            for (int i = 0; i < filters; i++) {
                int acc = 0;
                for (int j = 0; j < memory; j++) {
                    int w = LittleEndian.getShort(ta, to + 2 * (i * memory + j));
                    acc += w * (LittleEndian.getShort(sa, so + 2 * (sBase + i * memory + j)) - stateZp);
                }
                LittleEndian.putInt(fs, fso + 4 * (b * filters + i), acc);
            }
        }
        sumUnitsAndRescale(p);
    }

    /** The integer reference loop with an int8 state: as {@link #evalInt16State} on int8 time weights and state. */
    public static void evalInt8State(Params p) {
        Geometry g = p.geometry();
        int memory = g.memory(), filters = g.filters();
        byte[] sa = p.state().array();
        int so = p.state().offset();
        int total = g.batch() * filters * memory;
        // Shift the whole state left by one element.
        System.arraycopy(sa, so + 1, sa, so, total - 1);
        byte[] ia = p.input().array(), fa = p.weightsFeature().array();
        int io = p.input().offset(), fo = p.weightsFeature().offset();
        int inputZp = p.inputZeroPoint(), stateZp = p.stateZeroPoint();
        for (int b = 0; b < g.batch(); b++) {
            for (int r = 0; r < filters; r++) {
                int dot = 0;
                int wRow = fo + r * g.inputSize(), xRow = io + b * g.inputSize();
                for (int c = 0; c < g.inputSize(); c++) dot += fa[wRow + c] * (ia[xRow + c] - inputZp);
                dot = p.featureMultiplier().apply(dot);
                dot = Math.min(Math.max(-128, dot), 127);
                sa[so + (b * filters + r) * memory + memory - 1] = (byte) (stateZp + dot);
            }
        }
        byte[] ta = p.weightsTime().array(), fs = p.filterSums().array();
        int to = p.weightsTime().offset(), fso = p.filterSums().offset();
        for (int b = 0; b < g.batch(); b++) {
            int sBase = b * memory * filters;
            for (int i = 0; i < filters; i++) {
                int acc = 0;
                for (int j = 0; j < memory; j++) {
                    int w = ta[to + i * memory + j];
                    acc += w * (sa[so + sBase + i * memory + j] - stateZp);
                }
                LittleEndian.putInt(fs, fso + 4 * (b * filters + i), acc);
            }
        }
        sumUnitsAndRescale(p);
    }

    /** The integer tail: unit sums = bias + the unit's rank filter sums (in order), rescaled and clamped to int8. */
    private static void sumUnitsAndRescale(Params p) {
        Geometry g = p.geometry();
        int filters = g.filters(), units = g.units();
        byte[] fs = p.filterSums().array(), us = p.unitSums().array(), ba = p.bias().array();
        int fso = p.filterSums().offset(), uso = p.unitSums().offset(), bo = p.bias().offset();
        for (int b = 0; b < g.batch(); b++) {
            for (int u = 0; u < units; u++) {
                LittleEndian.putInt(us, uso + 4 * (b * units + u), LittleEndian.getInt(ba, bo + 4 * u));
            }
        }
        for (int b = 0; b < g.batch(); b++) {
            int k = b * filters;
            for (int u = 0; u < units; u++) {
                int at = uso + 4 * (b * units + u);
                for (int j = 0; j < g.rank(); j++) {
                    LittleEndian.putInt(us, at, LittleEndian.getInt(us, at) + LittleEndian.getInt(fs, fso + 4 * k++));
                }
            }
        }
        byte[] oa = p.output().array();
        int oo = p.output().offset(), outputZp = p.outputZeroPoint();
        int n = g.batch() * units;
        for (int i = 0; i < n; i++) {
            int v = p.outputMultiplier().apply(LittleEndian.getInt(us, uso + 4 * i)) + outputZp;
            oa[oo + i] = (byte) Math.min(Math.max(-128, v), 127);
        }
    }

    /**
     * The float32 reference loop: shift the state, project the input into its last column, weight each filter's
     * history (in scratch buffer 0), then sum bias and rank filters per unit in the output and activate in place.
     */
    public static void evalFloat32(Params p) {
        Geometry g = p.geometry();
        int memory = g.memory(), filters = g.filters(), units = g.units();
        byte[] sa = p.state().array();
        int so = p.state().offset();
        int total = g.batch() * filters * memory;
        System.arraycopy(sa, so + 4, sa, so, (total - 1) * 4);
        byte[] ia = p.input().array(), fa = p.weightsFeature().array();
        int io = p.input().offset(), fo = p.weightsFeature().offset();
        for (int b = 0; b < g.batch(); b++) {
            for (int r = 0; r < filters; r++) {
                float dot = 0f;
                int wRow = fo + 4 * r * g.inputSize(), xRow = io + 4 * b * g.inputSize();
                for (int k = 0; k < g.inputSize(); k++) {
                    dot += LittleEndian.getFloat(fa, wRow + 4 * k) * LittleEndian.getFloat(ia, xRow + 4 * k);
                }
                LittleEndian.putFloat(sa, so + 4 * ((b * filters + r) * memory + memory - 1), dot);
            }
        }
        byte[] ta = p.weightsTime().array(), fs = p.filterSums().array();
        int to = p.weightsTime().offset(), fso = p.filterSums().offset();
        for (int b = 0; b < g.batch(); b++) {
            int sBase = so + 4 * b * memory * filters;
            for (int i = 0; i < filters; i++) {
                float acc = 0f;
                for (int j = 0; j < memory; j++) {
                    acc += LittleEndian.getFloat(ta, to + 4 * (i * memory + j))
                            * LittleEndian.getFloat(sa, sBase + 4 * (i * memory + j));
                }
                LittleEndian.putFloat(fs, fso + 4 * (b * filters + i), acc);
            }
        }
        Tensor bias = p.bias();
        byte[] oa = p.output().array();
        int oo = p.output().offset();
        for (int b = 0; b < g.batch(); b++) {
            for (int u = 0; u < units; u++) {
                float v = bias != null ? LittleEndian.getFloat(bias.array(), bias.offset() + 4 * u) : 0f;
                LittleEndian.putFloat(oa, oo + 4 * (b * units + u), v);
            }
        }
        for (int b = 0; b < g.batch(); b++) {
            int k = b * filters;
            for (int u = 0; u < units; u++) {
                int at = oo + 4 * (b * units + u);
                for (int j = 0; j < g.rank(); j++) {
                    LittleEndian.putFloat(oa, at, LittleEndian.getFloat(oa, at) + LittleEndian.getFloat(fs, fso + 4 * k++));
                }
            }
        }
        int n = g.batch() * units;
        for (int i = 0; i < n; i++) {
            LittleEndian.putFloat(oa, oo + 4 * i, activate(p.activation(), LittleEndian.getFloat(oa, oo + 4 * i)));
        }
    }

    /** Scratch buffer k of the node, which the loops index up to {@code bytes}: fails if the footprint gave less. */
    private static ScratchBuffer scratch(NodeContext node, int k, long bytes) {
        ScratchBuffer s = node.scratch(k);
        node.require(s.sizeBytes() >= bytes, "scratch buffer %d has %d bytes, the kernel needs %d", k, s.sizeBytes(), bytes);
        return s;
    }

    /** TFLM's ActivationValFloat; max/min are std::fmax/fmin (x86 maxss/minss order on equal operands). */
    static float activate(int activation, float a) {
        return switch (activation) {
            case 0 -> a;
            case 1 -> fmax(0f, a);
            case 2 -> fmax(-1f, fmin(a, 1f));
            case 3 -> fmax(0f, fmin(a, 6f));
            case 4 -> FloatLibm.tanhf(a);
            case 5 -> (Float.floatToRawIntBits(a) < 0) ? 1f : 0f;
            case 6 -> 1.0f / (1.0f + FloatLibm.expf(-a));
            default -> 0f;
        };
    }

    static float fmax(float x, float y) {
        if (Float.isNaN(x)) return y;
        if (Float.isNaN(y)) return x;
        return x > y ? x : y;
    }

    static float fmin(float x, float y) {
        if (Float.isNaN(x)) return y;
        if (Float.isNaN(y)) return x;
        return x < y ? x : y;
    }
}
