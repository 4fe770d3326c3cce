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

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM as TFLM's micro kernel (lstm_eval): float32; int8 activations with int8 weights,
 * int32 bias and an int16 cell state; int16 activations with int8 weights, int64 bias and an int16 cell state.
 * No CIFG, peephole, projection or layer normalisation (TFLM rejects them). Time-major [T, B, I] or batch-major
 * [B, T, I]; the hidden and cell states are variable tensors carried from invoke to invoke.
 *
 * <p>Prepare and eval are separate seams: {@link #prepareParams} makes TFLM's checks and derives an immutable
 * {@link Params} (sizes, the four gates' tensors and rescalings, the cell and hidden rescalings, tanh scalings, clip,
 * {@link Variant}); the reference loops are the static {@code eval*} methods over it and a {@link FloatWorkspace} or
 * {@link QuantizedWorkspace}, built of {@link LstmCell}'s steps, and {@link #reference} picks the one for a variant. A
 * faster kernel reuses {@code prepareParams} and replaces only the loop ({@code node -> { var p =
 * UnidirectionalSequenceLstm.prepareParams(node); return ... }}), byte-identical to the reference method.
 *
 * <p>Working memory: the reference loops keep their per-invoke intermediates in a workspace of heap arrays allocated
 * once at prepare, not in the four arena scratch buffers TFLM requests (which the footprint still declares, so
 * {@link dev.minnow.arena.ArenaReport} counts them as TFLM does). TFLM computes on the tensors in place and uses its
 * scratch for the four gates only; minnow's step also works on typed copies of the step's input rows and of the hidden
 * and cell state, and {@link LstmCell}'s building blocks (unit-tested on their own) take typed {@code int[]},
 * {@code short[]} and {@code float[]} arrays. Moving only the gates into the byte arena would add little-endian packing
 * to every gate element without removing the heap copies; invoke still allocates nothing.
 */
public final class UnidirectionalSequenceLstm implements OpKernel {
    /**
     * Multiply-accumulates: per time step and batch row, the four gates' input and recurrent products (cells x
     * (input + hidden width)), plus the projection when there is one; element operations: 13 per cell and row (per
     * gate the sum of both products and the activation; the cell update's two products and sum; the hidden state's
     * tanh and product), one more with a cell clip.
     */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(INPUT)), inputToForget = g.tensor(op.input(INPUT_TO_FORGET));
        TensorInfo recurrentToForget = g.tensor(op.input(RECURRENT_TO_FORGET)), out = g.tensor(op.output(0));
        long rows = in.dim(0) * (long) in.dim(1);        // time steps x batch, in either layout
        long cells = inputToForget.dim(0), inputs = in.dim(2), hidden = recurrentToForget.dim(1);
        long projection = op.inputCount() > 16 && op.input(16) >= 0 ? cells * out.dim(2) : 0;   // projection_weights
        boolean clip = Options.UnidirectionalSequenceLSTM.of(op.options()).cellClip() > 0f;
        return new WorkCount(rows * (4 * cells * (inputs + hidden) + projection), rows * cells * (clip ? 14 : 13));
    }

    /**
     * TfLiteUnidirectionalSequenceLSTMParams (16); OpDataLSTM (size info, cell info, 4 gates of two
     * FullyConnectedParams, 3 ArithmeticParams, 4 buffer indices: 688); four scratch buffers of the cell state's size.
     */
    public static NodeFootprint footprint(OperatorInfo op, SubgraphInfo g, Target t) {
        int bytes = 0;
        if (op.inputCount() > 19 && op.input(19) >= 0) bytes = (int) g.tensor(op.input(19)).byteSize();
        return new NodeFootprint(16, 4, new int[] {688}, new int[0], new int[] {bytes, bytes, bytes, bytes},
                Footprints.ALL_TENSORS.of(op, g));
    }

    static final int INPUT = 0;
    static final int INPUT_TO_INPUT = 1, INPUT_TO_FORGET = 2, INPUT_TO_CELL = 3, INPUT_TO_OUTPUT = 4;
    static final int RECURRENT_TO_INPUT = 5, RECURRENT_TO_FORGET = 6, RECURRENT_TO_CELL = 7, RECURRENT_TO_OUTPUT = 8;
    static final int INPUT_BIAS = 12, FORGET_BIAS = 13, CELL_BIAS = 14, OUTPUT_BIAS = 15;
    static final int HIDDEN_STATE = 18, CELL_STATE = 19;

    private static final String[] ROLE = {
        "input", "input_to_input_weights", "input_to_forget_weights", "input_to_cell_weights",
        "input_to_output_weights", "recurrent_to_input_weights", "recurrent_to_forget_weights",
        "recurrent_to_cell_weights", "recurrent_to_output_weights", "cell_to_input_weights (peephole)",
        "cell_to_forget_weights (peephole)", "cell_to_output_weights (peephole)", "input_gate_bias",
        "forget_gate_bias", "cell_gate_bias", "output_gate_bias", "projection_weights", "projection_bias",
        "output_state", "cell_state", "input_layer_norm_coefficients", "forget_layer_norm_coefficients",
        "cell_layer_norm_coefficients", "output_layer_norm_coefficients",
    };

    /** Gate order in the arrays below: forget, input, cell, output (TFLM's order of evaluation). */
    private static final int[][] GATE_TENSORS = {
        {INPUT_TO_FORGET, RECURRENT_TO_FORGET, FORGET_BIAS},
        {INPUT_TO_INPUT, RECURRENT_TO_INPUT, INPUT_BIAS},
        {INPUT_TO_CELL, RECURRENT_TO_CELL, CELL_BIAS},
        {INPUT_TO_OUTPUT, RECURRENT_TO_OUTPUT, OUTPUT_BIAS},
    };

    /** Which reference loop runs a prepared node: the activations' type. */
    public enum Variant {
        /** float32 activations, weights, biases and states. */
        FLOAT32,
        /** int8 activations and hidden state, int8 weights, int32 biases, int16 cell state. */
        INT8,
        /** int16 activations and hidden state, int8 weights, int64 biases, int16 cell state. */
        INT16
    }

    /** Sizes of the sequence: batch, time steps, input and state width, layout. */
    public record SizeInfo(boolean timeMajor, int batch, int steps, int inputDim, int stateDim) {
        /** Batch rows computed together per step: the whole batch time-major, one row batch-major. */
        public int rowsPerStep() { return timeMajor ? batch : 1; }

        /** Elements of the hidden (and cell) state: batch times state width. */
        public int stateElements() { return batch * stateDim; }
    }

    /**
     * One gate: input and recurrent weights, bias, and (quantized variants) the two fully connected layers'
     * rescalings to the gate's Q3.12 pre-activation ({@link QuantizedMultiplier#ZERO} for float).
     */
    public record Gate(Tensor inputWeights, Tensor recurrentWeights, Tensor bias, QuantizedMultiplier inputMultiplier,
                       QuantizedMultiplier recurrentMultiplier) {}

    /**
     * Everything prepare derives for one node (TFLM's OpDataLSTM). The tensors' data is valid from the first eval on.
     * Quantized fields are 0 or null for FLOAT32.
     *
     * @param cellClip           the cell clip option (clipping is on when it is positive)
     * @param quantizedCellClip  the clip at the cell state's scale, saturated to int16 (quantized variants)
     * @param inputOffset        minus the input zero point (quantized variants)
     * @param hiddenOffset       minus the hidden state's zero point (quantized variants)
     * @param forgetCellMul      forget gate * cell state to the cell scale (quantized variants)
     * @param inputCellMul       input gate * cell gate to the cell scale (quantized variants)
     * @param outputMul          tanh(cell) * output gate to the hidden state (quantized variants)
     * @param gateTanhScaling    {multiplier, shift} of the cell gate's int16 tanh on Q3.12 (quantized variants)
     * @param cellTanhScaling    {multiplier, shift} of tanh on the cell state's scale (quantized variants)
     */
    public record Params(Variant variant, Tensor input, Tensor hiddenState, Tensor cellState, Tensor output,
                         SizeInfo size, Gate forgetGate, Gate inputGate, Gate cellGate, Gate outputGate, float cellClip,
                         int quantizedCellClip, int inputOffset, int hiddenOffset, LstmCell.MulParams forgetCellMul,
                         LstmCell.MulParams inputCellMul, LstmCell.MulParams outputMul, int[] gateTanhScaling,
                         int[] cellTanhScaling) {
        /** Whether the cell state is clipped (TFLM: cell_clip > 0). */
        public boolean clipOn() { return cellClip > 0; }
    }

    /**
     * The float loop's working memory: the step's input rows and hidden state (x, h), the carried hidden and cell state,
     * and four gate buffers, each of the state's size.
     */
    public record FloatWorkspace(float[] x, float[] h, float[] hidden, float[] cell, float[] buf0, float[] buf1,
                                 float[] buf2, float[] buf3) {
        /** A workspace for the sizes: allocated once, reused by every invoke. */
        public static FloatWorkspace of(SizeInfo s) {
            int n = s.stateElements();
            return new FloatWorkspace(new float[s.rowsPerStep() * s.inputDim()], new float[n], new float[n], new float[n],
                    new float[n], new float[n], new float[n], new float[n]);
        }
    }

    /**
     * The quantized loops' working memory: the step's raw input values and hidden state (x, h), the carried hidden and
     * int16 cell state, and four int16 gate buffers, each of the state's size.
     */
    public record QuantizedWorkspace(int[] x, int[] h, short[] hidden, short[] cell, short[] buf0, short[] buf1,
                                     short[] buf2, short[] buf3) {
        /** A workspace for the sizes: allocated once, reused by every invoke. */
        public static QuantizedWorkspace of(SizeInfo s) {
            int n = s.stateElements();
            return new QuantizedWorkspace(new int[s.rowsPerStep() * s.inputDim()], new int[n], new short[n], new short[n],
                    new short[n], new short[n], new short[n], new short[n]);
        }
    }

    /** The reference kernel: prepare's checks and derivations, then the reference loop of the node's variant. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        Params p = prepareParams(node);
        SizeInfo s = p.size();
        KernelUtil.reserveHeap(node, 4L * s.rowsPerStep() * s.inputDim() + 4L * 8 * s.stateElements(), "the LSTM's workspace");
        return reference(p);
    }

    /** The node's reference eval: the {@code eval*} method of its variant, with a workspace of its own. */
    public static PreparedOp reference(Params p) {
        return switch (p.variant()) {
            case FLOAT32 -> {
                FloatWorkspace w = FloatWorkspace.of(p.size());
                yield () -> evalFloat32(p, w);
            }
            case INT8 -> {
                QuantizedWorkspace w = QuantizedWorkspace.of(p.size());
                yield () -> evalInt8(p, w);
            }
            case INT16 -> {
                QuantizedWorkspace w = QuantizedWorkspace.of(p.size());
                yield () -> evalInt16(p, w);
            }
        };
    }

    /** TFLM's Prepare (and its Eval's checks) for one node, and everything derivable; fails where TFLM rejects it. */
    public static Params prepareParams(NodeContext node) {
        node.require(node.outputCount() == 1, "expects 1 output, got %d", node.outputCount());
        node.require(node.inputCount() == 24, "expects 24 inputs, got %d", node.inputCount());
        Options.UnidirectionalSequenceLSTM opt = Options.UnidirectionalSequenceLSTM.of(node.options());
        int activation = opt.fusedActivationFunction();
        float cellClip = opt.cellClip();
        boolean timeMajor = opt.timeMajor();

        Tensor[] t = new Tensor[24];
        for (int i = 0; i < 24; i++) t[i] = node.input(i);
        Tensor out = node.output(0);
        validateStatus(node, t, out);

        Tensor input = t[INPUT];
        node.require(input.rank() == 3, "input must have rank 3 ([T,B,I] or [B,T,I]), got %d", input.rank());
        node.require(t[HIDDEN_STATE].rank() >= 2, "output_state must have rank >= 2, got %d", t[HIDDEN_STATE].rank());
        SizeInfo size = new SizeInfo(timeMajor, timeMajor ? input.dim(1) : input.dim(0),
                timeMajor ? input.dim(0) : input.dim(1), input.dim(2), t[HIDDEN_STATE].dim(1));
        validateSizes(node, t, out, size);

        DataType cellType = t[CELL_STATE].dataType();
        node.require(cellType == DataType.FLOAT32 || cellType == DataType.INT16,
                "cell state type %s not supported; the quantized LSTM supports only an int16 cell state",
                cellType.lowerName());
        // TFLM asserts on any cell gate activation other than sigmoid/tanh; the schema can only express TANH.
        node.require(activation == KernelUtil.ACT_TANH,
                "cell gate activation %d not supported (TFLM's LSTM supports TANH=4 and sigmoid)", activation);

        DataType act = input.dataType();
        DataType weightType = t[INPUT_TO_INPUT].dataType();
        DataType biasType = t[FORGET_BIAS].dataType();
        if (act == DataType.FLOAT32) {
            node.require(cellType == DataType.FLOAT32, "float32 input with a %s cell state", cellType.lowerName());
            node.require(weightType == DataType.FLOAT32, "float32 input with %s weights", weightType.lowerName());
            node.require(biasType == DataType.FLOAT32, "float32 input with %s biases", biasType.lowerName());
            return new Params(Variant.FLOAT32, input, t[HIDDEN_STATE], t[CELL_STATE], out, size, gateTensors(t, 0),
                    gateTensors(t, 1), gateTensors(t, 2), gateTensors(t, 3), cellClip, 0, 0, 0, null, null, null, null, null);
        }
        node.require(act == DataType.INT8 || act == DataType.INT16, "input type %s not supported", act.lowerName());
        node.require(cellType == DataType.INT16, "%s input needs an int16 cell state, got %s", act.lowerName(),
                cellType.lowerName());
        node.require(weightType == DataType.INT8, "filter type %s not supported with %s activations",
                weightType.lowerName(), act.lowerName());
        DataType wantBias = act == DataType.INT8 ? DataType.INT32 : DataType.INT64;
        node.require(biasType == wantBias, "%s LSTM needs %s biases, got %s", act.lowerName(), wantBias.lowerName(),
                biasType.lowerName());
        return quantizedParams(node, t, out, size, cellClip);
    }

    private static void validateStatus(NodeContext node, Tensor[] t, Tensor out) {
        node.require(t[INPUT] != null, "input is missing");
        Tensor h = t[HIDDEN_STATE], c = t[CELL_STATE];
        node.require(h != null, "output_state (input 18) is missing");
        node.require(h.isVariable(), "output_state (input 18) must be a variable tensor");
        node.require(h.dataType() == t[INPUT].dataType(), "output_state type %s != input type %s",
                h.dataType().lowerName(), t[INPUT].dataType().lowerName());
        node.require(c != null, "cell_state (input 19) is missing");
        node.require(c.isVariable(), "cell_state (input 19) must be a variable tensor");
        node.require(out != null, "output is missing");
        node.require(out.dataType() == t[INPUT].dataType(), "output type %s != input type %s",
                out.dataType().lowerName(), t[INPUT].dataType().lowerName());
        node.require(t[INPUT_TO_FORGET] != null, "input_to_forget_weights (input 2) is missing");
        DataType wt = t[INPUT_TO_FORGET].dataType();
        for (int i = 1; i < 9; i++) {
            node.require(t[i] != null, "%s (input %d) is missing (CIFG is not supported)", ROLE[i], i);
            node.require(t[i].dataType() == wt, "%s (input %d) type %s != input_to_forget_weights type %s",
                    ROLE[i], i, t[i].dataType().lowerName(), wt.lowerName());
        }
        node.require(t[FORGET_BIAS] != null, "forget_gate_bias (input 13) is missing");
        DataType bt = t[FORGET_BIAS].dataType();
        for (int i = 12; i < 16; i++) {
            node.require(t[i] != null, "%s (input %d) is missing", ROLE[i], i);
            node.require(t[i].dataType() == bt, "%s (input %d) type %s != forget_gate_bias type %s",
                    ROLE[i], i, t[i].dataType().lowerName(), bt.lowerName());
        }
        int[] mustBeAbsent = {9, 10, 11, 16, 17, 20, 21, 22, 23};
        for (int i : mustBeAbsent) {
            node.require(t[i] == null, "%s (input %d) is not supported", ROLE[i], i);
        }
    }

    private static void validateSizes(NodeContext node, Tensor[] t, Tensor out, SizeInfo s) {
        for (int i = 1; i < 9; i++) {
            int cols = i < 5 ? s.inputDim() : s.stateDim();
            node.require(t[i].rank() == 2 && t[i].dim(0) == s.stateDim() && t[i].dim(1) == cols,
                    "%s (input %d) must be [%d, %d], got %s", ROLE[i], i, s.stateDim(), cols,
                    java.util.Arrays.toString(t[i].shape()));
        }
        for (int i = 12; i < 16; i++) {
            node.require(t[i].rank() == 1 && t[i].dim(0) == s.stateDim(), "%s (input %d) must be [%d], got %s",
                    ROLE[i], i, s.stateDim(), java.util.Arrays.toString(t[i].shape()));
        }
        int states = s.batch() * s.stateDim();
        node.require(t[HIDDEN_STATE].numElements() == states, "output_state has %d elements, expected %d",
                t[HIDDEN_STATE].numElements(), states);
        node.require(t[CELL_STATE].numElements() == states, "cell_state has %d elements, expected %d",
                t[CELL_STATE].numElements(), states);
        node.require(out.rank() == 3, "output must have rank 3, got %d", out.rank());
        node.require(out.dim(0) == t[INPUT].dim(0) && out.dim(1) == t[INPUT].dim(1) && out.dim(2) == s.stateDim(),
                "output shape %s does not match input %s and state width %d", java.util.Arrays.toString(out.shape()),
                java.util.Arrays.toString(t[INPUT].shape()), s.stateDim());
    }

    /** Step offsets: element offsets of input rows, output rows and state rows for step (b, t). */
    private static int inputOffset(SizeInfo s, int b, int step) {
        return s.timeMajor() ? step * s.batch() * s.inputDim() : (b * s.steps() + step) * s.inputDim();
    }

    private static int outputOffset(SizeInfo s, int b, int step) {
        return s.timeMajor() ? step * s.batch() * s.stateDim() : (b * s.steps() + step) * s.stateDim();
    }

    private static Gate gateTensors(Tensor[] t, int g) {
        return new Gate(t[GATE_TENSORS[g][0]], t[GATE_TENSORS[g][1]], t[GATE_TENSORS[g][2]], QuantizedMultiplier.ZERO,
                QuantizedMultiplier.ZERO);
    }

    /** The quantized variants' rescalings, with TFLM's checks on the weights' quantization, gate by gate. */
    private static Params quantizedParams(NodeContext node, Tensor[] t, Tensor out, SizeInfo size, float cellClip) {
        Tensor input = t[INPUT], hiddenT = t[HIDDEN_STATE], cellT = t[CELL_STATE];
        final float gateScale = 0.000244140625f; // 2^-12: gate pre-activations are Q3.12
        Gate[] gates = new Gate[4];
        for (int g = 0; g < 4; g++) {
            Tensor wIn = t[GATE_TENSORS[g][0]], wRec = t[GATE_TENSORS[g][1]];
            QuantizedMultiplier inMul = fcMultiplier(node, input, wIn, gateScale);
            QuantizedMultiplier recMul = fcMultiplier(node, hiddenT, wRec, gateScale);
            gates[g] = new Gate(wIn, wRec, t[GATE_TENSORS[g][2]], inMul, recMul);
        }
        float cellScale = cellT.scale();
        int cellPower = checkedLog2(cellScale);
        int clip = (short) (int) Math.min(Math.max((double) cellClip / (double) cellScale, -32768.0), 32767.0);
        final float q015 = 0.000030517578125f; // 2^-15: activated gates are Q0.15
        LstmCell.MulParams forgetCellMul = mulParams(q015, cellScale, cellScale, DataType.INT16, 0);
        LstmCell.MulParams inputCellMul = mulParams(q015, q015, cellScale, DataType.INT16, 0);
        LstmCell.MulParams outputMul = mulParams(q015, q015, hiddenT.scale(), hiddenT.dataType(), hiddenT.zeroPoint());
        Variant variant = input.dataType() == DataType.INT16 ? Variant.INT16 : Variant.INT8;
        return new Params(variant, input, hiddenT, cellT, out, size, gates[0], gates[1], gates[2], gates[3], cellClip,
                clip, -input.zeroPoint(), -hiddenT.zeroPoint(), forgetCellMul, inputCellMul, outputMul,
                LstmCell.tanhScaling(-12), LstmCell.tanhScaling(cellPower));
    }

    /** TFLM's FC multiplier for a gate: (input_scale * weight_scale, in float) / gate_scale, per tensor. */
    private static QuantizedMultiplier fcMultiplier(NodeContext node, Tensor in, Tensor weights, float outScale) {
        node.require(!weights.quantization().isPerChannel(),
                "per-channel quantized LSTM weights (%d scales) not supported", weights.quantization().channelCount());
        node.require(weights.zeroPoint() == 0, "LSTM weight zero point must be 0, got %d", weights.zeroPoint());
        double product = (double) (in.scale() * weights.scale());
        node.require(product >= 0, "input_scale * weight_scale = %s < 0", product);
        return FixedPoint.quantizeMultiplier(product / (double) outScale);
    }

    private static LstmCell.MulParams mulParams(float s1, float s2, float outScale, DataType outType, int outZp) {
        double effective = (double) s1 * (double) s2 / (double) outScale;
        QuantizedMultiplier q = FixedPoint.quantizeMultiplier(effective);
        int min = outType == DataType.INT8 ? -128 : -32768;
        int max = outType == DataType.INT8 ? 127 : 32767;
        return new LstmCell.MulParams(q.multiplier(), q.shift(), outZp, min, max);
    }

    /** TFLM's CheckedLog2 result: round(logf(x) * (1 / logf(2))) in float (the exactness flag is unused). */
    static int checkedLog2(float x) {
        float log2 = FloatLibm.logf(x) * (1.0f / FloatLibm.logf(2.0f));
        return (int) FixedPoint.round(log2);
    }

    // ---------------------------------------------------------------- quantized loops

    /** The int8 reference loop: every step of the sequence, gates in TFLM's order, states carried in the tensors. */
    public static void evalInt8(Params p, QuantizedWorkspace w) {
        evalQuantized(p, w, false);
    }

    /** The int16 reference loop: as {@link #evalInt8} with int16 activations, int64 biases and accumulators. */
    public static void evalInt16(Params p, QuantizedWorkspace w) {
        evalQuantized(p, w, true);
    }

    private static void evalQuantized(Params p, QuantizedWorkspace w, boolean int16Act) {
        SizeInfo size = p.size();
        int states = size.stateElements();
        short[] hidden = w.hidden(), cell = w.cell();
        byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
        int ho = p.hiddenState().offset(), co = p.cellState().offset();
        for (int i = 0; i < states; i++) {
            hidden[i] = int16Act ? LittleEndian.getShort(ha, ho + 2 * i) : ha[ho + i];
            cell[i] = LittleEndian.getShort(ca, co + 2 * i);
        }
        if (size.timeMajor()) {
            for (int step = 0; step < size.steps(); step++) quantizedStep(p, w, int16Act, 0, step);
        } else {
            for (int b = 0; b < size.batch(); b++) {
                for (int step = 0; step < size.steps(); step++) quantizedStep(p, w, int16Act, b, step);
            }
        }
        for (int i = 0; i < states; i++) {
            if (int16Act) LittleEndian.putShort(ha, ho + 2 * i, hidden[i]);
            else ha[ho + i] = (byte) hidden[i];
            LittleEndian.putShort(ca, co + 2 * i, cell[i]);
        }
    }

    private static void quantizedStep(Params p, QuantizedWorkspace w, boolean int16Act, int b, int step) {
        SizeInfo size = p.size();
        int rows = size.rowsPerStep();
        int n = rows * size.stateDim();
        int stateOff = size.timeMajor() ? 0 : b * size.stateDim();
        int[] x = w.x(), h = w.h();
        short[] hidden = w.hidden(), cell = w.cell();
        byte[] ia = p.input().array();
        int io = p.input().offset(), in0 = inputOffset(size, b, step);
        for (int i = 0; i < x.length; i++) {
            x[i] = int16Act ? LittleEndian.getShort(ia, io + 2 * (in0 + i)) : ia[io + in0 + i];
        }
        for (int i = 0; i < n; i++) h[i] = hidden[stateOff + i];
        int[] cellTanh = p.cellTanhScaling();
        quantizedGate(p, w, int16Act, p.forgetGate(), rows, w.buf0(), false);
        quantizedGate(p, w, int16Act, p.inputGate(), rows, w.buf1(), false);
        quantizedGate(p, w, int16Act, p.cellGate(), rows, w.buf2(), true);
        LstmCell.updateCell(cell, stateOff, w.buf0(), w.buf1(), w.buf2(), n, p.forgetCellMul(), p.inputCellMul(),
                p.clipOn(), p.quantizedCellClip(), w.buf1());
        quantizedGate(p, w, int16Act, p.outputGate(), rows, w.buf1(), false);
        LstmCell.updateHidden(cell, stateOff, w.buf1(), n, cellTanh[0], cellTanh[1], p.outputMul(), w.buf0(), hidden,
                stateOff);
        byte[] oa = p.output().array();
        int oo = p.output().offset(), out0 = outputOffset(size, b, step);
        for (int i = 0; i < n; i++) {
            if (int16Act) LittleEndian.putShort(oa, oo + 2 * (out0 + i), hidden[stateOff + i]);
            else oa[oo + out0 + i] = (byte) hidden[stateOff + i];
        }
    }

    /** One gate into outBuf: input FC plus recurrent FC (in buf3), saturated, then sigmoid or the gate tanh. */
    private static void quantizedGate(Params p, QuantizedWorkspace w, boolean int16Act, Gate gate, int rows,
                                      short[] outBuf, boolean tanh) {
        Tensor wIn = gate.inputWeights(), wRec = gate.recurrentWeights(), bias = gate.bias();
        short[] tmp = w.buf3();
        int units = p.size().stateDim();
        LstmCell.fullyConnected(w.x(), 0, rows, p.size().inputDim(), p.inputOffset(), wIn.array(), wIn.offset(), units,
                bias.array(), bias.offset(), int16Act ? 8 : 4, gate.inputMultiplier().multiplier(),
                gate.inputMultiplier().shift(), int16Act, outBuf, 0);
        LstmCell.fullyConnected(w.h(), 0, rows, units, p.hiddenOffset(), wRec.array(), wRec.offset(), units,
                null, 0, 0, gate.recurrentMultiplier().multiplier(), gate.recurrentMultiplier().shift(), int16Act, tmp, 0);
        int n = rows * units;
        LstmCell.addSaturating(outBuf, 0, tmp, 0, n);
        if (tanh) LstmCell.tanh(outBuf, 0, n, p.gateTanhScaling()[0], p.gateTanhScaling()[1], outBuf, 0);
        else LstmCell.sigmoid(outBuf, 0, n);
    }

    // ---------------------------------------------------------------- float loop

    /** The float32 reference loop: every step of the sequence, gates in TFLM's order, states carried in the tensors. */
    public static void evalFloat32(Params p, FloatWorkspace w) {
        SizeInfo size = p.size();
        int states = size.stateElements();
        float[] hidden = w.hidden(), cell = w.cell();
        byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
        int ho = p.hiddenState().offset(), co = p.cellState().offset();
        for (int i = 0; i < states; i++) {
            hidden[i] = LittleEndian.getFloat(ha, ho + 4 * i);
            cell[i] = LittleEndian.getFloat(ca, co + 4 * i);
        }
        if (size.timeMajor()) {
            for (int step = 0; step < size.steps(); step++) floatStep(p, w, 0, step);
        } else {
            for (int b = 0; b < size.batch(); b++) {
                for (int step = 0; step < size.steps(); step++) floatStep(p, w, b, step);
            }
        }
        for (int i = 0; i < states; i++) {
            LittleEndian.putFloat(ha, ho + 4 * i, hidden[i]);
            LittleEndian.putFloat(ca, co + 4 * i, cell[i]);
        }
    }

    private static void floatStep(Params p, FloatWorkspace w, int b, int step) {
        SizeInfo size = p.size();
        int rows = size.rowsPerStep();
        int n = rows * size.stateDim();
        int stateOff = size.timeMajor() ? 0 : b * size.stateDim();
        float[] x = w.x(), h = w.h(), hidden = w.hidden(), cell = w.cell();
        byte[] ia = p.input().array();
        int io = p.input().offset(), in0 = inputOffset(size, b, step);
        for (int i = 0; i < x.length; i++) x[i] = LittleEndian.getFloat(ia, io + 4 * (in0 + i));
        for (int i = 0; i < n; i++) h[i] = hidden[stateOff + i];
        floatGate(p, w, p.forgetGate(), rows, w.buf0(), false);
        floatGate(p, w, p.inputGate(), rows, w.buf1(), false);
        floatGate(p, w, p.cellGate(), rows, w.buf2(), true);
        LstmCell.updateCell(cell, stateOff, w.buf0(), w.buf1(), w.buf2(), n, p.cellClip(), w.buf1());
        floatGate(p, w, p.outputGate(), rows, w.buf1(), false);
        LstmCell.updateHidden(cell, stateOff, w.buf1(), n, w.buf0(), hidden, stateOff);
        byte[] oa = p.output().array();
        int oo = p.output().offset(), out0 = outputOffset(size, b, step);
        for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * (out0 + i), hidden[stateOff + i]);
    }

    /** One gate into outBuf: input FC plus recurrent FC (in buf3), then sigmoid or tanh. */
    private static void floatGate(Params p, FloatWorkspace w, Gate gate, int rows, float[] outBuf, boolean tanh) {
        Tensor wIn = gate.inputWeights(), wRec = gate.recurrentWeights(), bias = gate.bias();
        float[] tmp = w.buf3();
        int units = p.size().stateDim();
        LstmCell.fullyConnected(w.x(), 0, rows, p.size().inputDim(), wIn.array(), wIn.offset(), units, bias.array(),
                bias.offset(), outBuf, 0);
        LstmCell.fullyConnected(w.h(), 0, rows, units, wRec.array(), wRec.offset(), units, null, 0, tmp, 0);
        int n = rows * units;
        LstmCell.add(outBuf, 0, tmp, 0, n);
        if (tanh) LstmCell.tanh(outBuf, 0, n, outBuf, 0);
        else LstmCell.sigmoid(outBuf, 0, n);
    }
}
