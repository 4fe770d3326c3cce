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
import dev.minnow.runtime.Tensor;
import dev.minnow.runtime.WorkCount;
import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * SVDF as TFLM's svdf_common: float32, and int8 input/feature weights with int16 (or int8) time weights and
 * state. The activation state is a variable tensor [batch, memory * filters]: each invoke shifts it left by one
 * and writes the new feature projections into the last column, then applies the time weights per filter, sums
 * rank filters per unit, adds the bias and (float only) the fused activation.
 */
public final class Svdf implements OpKernel {
    /** Multiply-accumulates: the feature projection (filters x input) and the time weights (filters x memory), per batch. */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0)), wf = g.tensor(op.input(1)), wt = g.tensor(op.input(2));
        long filters = wf.dim(0);
        return WorkCount.macs((long) in.dim(0) * filters * (in.dim(1) + wt.dim(1)));
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

    @Override
    public PreparedOp prepare(NodeContext node) {
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
            return new IntegerSvdf(g, input, wf, wt, bias, state, output, m1, m2, input.zeroPoint(),
                    state.zeroPoint(), output.zeroPoint(), state.dataType() == DataType.INT16);
        }
        KernelUtil.requireType(node, wf, DataType.FLOAT32, "weights_feature");
        KernelUtil.requireType(node, wt, DataType.FLOAT32, "weights_time");
        KernelUtil.requireType(node, state, DataType.FLOAT32, "activation state");
        if (bias != null) KernelUtil.requireType(node, bias, DataType.FLOAT32, "bias");
        KernelUtil.requireType(node, output, DataType.FLOAT32, "output");
        return new FloatSvdf(g, input, wf, wt, bias, state, output, activation);
    }

    record Geometry(int batch, int inputSize, int filters, int units, int rank, int memory) {}

    private static final class IntegerSvdf implements PreparedOp {
        private final Geometry g;
        private final Tensor input, wf, wt, bias, state, output;
        private final QuantizedMultiplier m1, m2;
        private final int inputZp, stateZp, outputZp, stateMin, stateMax;
        private final boolean wide;
        private final int[] scratch, outScratch;

        IntegerSvdf(Geometry g, Tensor input, Tensor wf, Tensor wt, Tensor bias, Tensor state, Tensor output,
                    QuantizedMultiplier m1, QuantizedMultiplier m2, int inputZp, int stateZp, int outputZp,
                    boolean wide) {
            this.g = g;
            this.input = input;
            this.wf = wf;
            this.wt = wt;
            this.bias = bias;
            this.state = state;
            this.output = output;
            this.m1 = m1;
            this.m2 = m2;
            this.inputZp = inputZp;
            this.stateZp = stateZp;
            this.outputZp = outputZp;
            this.wide = wide;
            this.stateMin = wide ? -32768 : -128;
            this.stateMax = wide ? 32767 : 127;
            this.scratch = new int[g.batch() * g.filters()];
            this.outScratch = new int[g.batch() * g.units()];
        }

        private int getState(byte[] a, int o, int i) { return wide ? LittleEndian.getShort(a, o + 2 * i) : a[o + i]; }

        private void putState(byte[] a, int o, int i, int v) {
            if (wide) LittleEndian.putShort(a, o + 2 * i, (short) v);
            else a[o + i] = (byte) v;
        }

        @Override
        public void eval() {
            int memory = g.memory(), filters = g.filters();
            byte[] sa = state.array();
            int so = state.offset();
            int total = g.batch() * filters * memory;
            int es = wide ? 2 : 1;
            // Shift the whole state left by one element.
            System.arraycopy(sa, so + es, sa, so, (total - 1) * es);
            byte[] ia = input.array(), fa = wf.array();
            int io = input.offset(), fo = wf.offset();
            for (int b = 0; b < g.batch(); b++) {
                for (int r = 0; r < filters; r++) {
                    int dot = 0;
                    int wRow = fo + r * g.inputSize(), xRow = io + b * g.inputSize();
                    for (int c = 0; c < g.inputSize(); c++) dot += fa[wRow + c] * (ia[xRow + c] - inputZp);
                    dot = m1.apply(dot);
                    dot = Math.min(Math.max(stateMin, dot), stateMax);
                    putState(sa, so, (b * filters + r) * memory + memory - 1, stateZp + dot);
                }
            }
            byte[] ta = wt.array();
            int to = wt.offset();
            for (int b = 0; b < g.batch(); b++) {
                int sBase = b * memory * filters;
                for (int i = 0; i < filters; i++) {
                    int acc = 0;
                    for (int j = 0; j < memory; j++) {
                        int w = getState(ta, to, i * memory + j);
                        acc += w * (getState(sa, so, sBase + i * memory + j) - stateZp);
                    }
                    scratch[b * filters + i] = acc;
                }
            }
            byte[] ba = bias.array();
            int bo = bias.offset();
            for (int b = 0; b < g.batch(); b++) {
                for (int u = 0; u < g.units(); u++) outScratch[b * g.units() + u] = LittleEndian.getInt(ba, bo + 4 * u);
            }
            for (int b = 0; b < g.batch(); b++) {
                int k = b * filters;
                for (int u = 0; u < g.units(); u++) {
                    for (int j = 0; j < g.rank(); j++) outScratch[b * g.units() + u] += scratch[k++];
                }
            }
            byte[] oa = output.array();
            int oo = output.offset();
            for (int i = 0; i < outScratch.length; i++) {
                int v = m2.apply(outScratch[i]) + outputZp;
                oa[oo + i] = (byte) Math.min(Math.max(-128, v), 127);
            }
        }
    }

    private static final class FloatSvdf implements PreparedOp {
        private final Geometry g;
        private final Tensor input, wf, wt, bias, state, output;
        private final int activation;
        private final float[] scratch, out;

        FloatSvdf(Geometry g, Tensor input, Tensor wf, Tensor wt, Tensor bias, Tensor state, Tensor output,
                  int activation) {
            this.g = g;
            this.input = input;
            this.wf = wf;
            this.wt = wt;
            this.bias = bias;
            this.state = state;
            this.output = output;
            this.activation = activation;
            this.scratch = new float[g.batch() * g.filters()];
            this.out = new float[g.batch() * g.units()];
        }

        @Override
        public void eval() {
            int memory = g.memory(), filters = g.filters();
            byte[] sa = state.array();
            int so = state.offset();
            int total = g.batch() * filters * memory;
            System.arraycopy(sa, so + 4, sa, so, (total - 1) * 4);
            byte[] ia = input.array(), fa = wf.array();
            int io = input.offset(), fo = wf.offset();
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
            byte[] ta = wt.array();
            int to = wt.offset();
            for (int b = 0; b < g.batch(); b++) {
                int sBase = so + 4 * b * memory * filters;
                for (int i = 0; i < filters; i++) {
                    float acc = 0f;
                    for (int j = 0; j < memory; j++) {
                        acc += LittleEndian.getFloat(ta, to + 4 * (i * memory + j))
                                * LittleEndian.getFloat(sa, sBase + 4 * (i * memory + j));
                    }
                    scratch[b * filters + i] = acc;
                }
            }
            for (int b = 0; b < g.batch(); b++) {
                for (int u = 0; u < g.units(); u++) {
                    out[b * g.units() + u] = bias != null ? LittleEndian.getFloat(bias.array(), bias.offset() + 4 * u) : 0f;
                }
            }
            for (int b = 0; b < g.batch(); b++) {
                int k = b * filters;
                for (int u = 0; u < g.units(); u++) {
                    for (int j = 0; j < g.rank(); j++) out[b * g.units() + u] += scratch[k++];
                }
            }
            byte[] oa = output.array();
            int oo = output.offset();
            for (int i = 0; i < out.length; i++) LittleEndian.putFloat(oa, oo + 4 * i, activate(activation, out[i]));
        }
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
