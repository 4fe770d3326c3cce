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
 */
public final class UnidirectionalSequenceLstm implements OpKernel {
    /**
     * Multiply-accumulates: per time step and batch row, the four gates' input and recurrent products (units x
     * (input + output width)), plus the projection when there is one.
     */
    public static WorkCount work(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(INPUT)), w = g.tensor(op.input(INPUT_TO_OUTPUT)), out = g.tensor(op.output(0));
        long rows = in.dim(0) * (long) in.dim(1);        // time steps x batch, in either layout
        long units = w.dim(0), inputs = in.dim(2), outputs = out.dim(2);
        long projection = op.inputCount() > 16 && op.input(16) >= 0 ? units * outputs : 0;   // projection_weights
        return WorkCount.macs(rows * (4 * units * (inputs + outputs) + projection));
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

    /** Sizes of the sequence: batch, time steps, input and state width, layout. */
    record SizeInfo(boolean timeMajor, int batch, int steps, int inputDim, int stateDim) {
        int rowsPerStep() { return timeMajor ? batch : 1; }
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
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
            return new FloatLstm(t, out, size, cellClip);
        }
        node.require(act == DataType.INT8 || act == DataType.INT16, "input type %s not supported", act.lowerName());
        node.require(cellType == DataType.INT16, "%s input needs an int16 cell state, got %s", act.lowerName(),
                cellType.lowerName());
        node.require(weightType == DataType.INT8, "filter type %s not supported with %s activations",
                weightType.lowerName(), act.lowerName());
        DataType wantBias = act == DataType.INT8 ? DataType.INT32 : DataType.INT64;
        node.require(biasType == wantBias, "%s LSTM needs %s biases, got %s", act.lowerName(), wantBias.lowerName(),
                biasType.lowerName());
        return new QuantizedLstm(node, t, out, size, cellClip);
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

    // ---------------------------------------------------------------- quantized

    private static final class QuantizedLstm implements PreparedOp {
        private final Tensor input, hiddenT, cellT, output;
        private final Tensor[][] gates = new Tensor[4][3];
        private final SizeInfo size;
        private final boolean int16Act, clipOn;
        private final int clip, inputOffset, hiddenOffset;
        private final int[][] inMul = new int[4][2], recMul = new int[4][2];
        private final LstmCell.MulParams forgetCellMul, inputCellMul, outputMul;
        private final int gateTanhMul, gateTanhShift, cellTanhMul, cellTanhShift;
        private final int[] x, h;
        private final short[] hidden, cell, buf0, buf1, buf2, buf3;

        QuantizedLstm(NodeContext node, Tensor[] t, Tensor out, SizeInfo size, float cellClip) {
            this.input = t[INPUT];
            this.hiddenT = t[HIDDEN_STATE];
            this.cellT = t[CELL_STATE];
            this.output = out;
            this.size = size;
            this.int16Act = input.dataType() == DataType.INT16;
            final float gateScale = 0.000244140625f; // 2^-12: gate pre-activations are Q3.12
            for (int g = 0; g < 4; g++) {
                for (int k = 0; k < 3; k++) gates[g][k] = t[GATE_TENSORS[g][k]];
                inMul[g] = fcMultiplier(node, input, gates[g][0], gateScale);
                recMul[g] = fcMultiplier(node, hiddenT, gates[g][1], gateScale);
            }
            this.inputOffset = -input.zeroPoint();
            this.hiddenOffset = -hiddenT.zeroPoint();
            float cellScale = cellT.scale();
            int cellPower = checkedLog2(cellScale);
            this.clipOn = cellClip > 0;
            this.clip = (short) (int) Math.min(Math.max((double) cellClip / (double) cellScale, -32768.0), 32767.0);
            final float q015 = 0.000030517578125f; // 2^-15: activated gates are Q0.15
            this.forgetCellMul = mulParams(q015, cellScale, cellScale, DataType.INT16, 0);
            this.inputCellMul = mulParams(q015, q015, cellScale, DataType.INT16, 0);
            this.outputMul = mulParams(q015, q015, hiddenT.scale(), hiddenT.dataType(), hiddenT.zeroPoint());
            int[] gt = LstmCell.tanhScaling(-12);
            gateTanhMul = gt[0];
            gateTanhShift = gt[1];
            int[] ct = LstmCell.tanhScaling(cellPower);
            cellTanhMul = ct[0];
            cellTanhShift = ct[1];
            int states = size.batch() * size.stateDim();
            x = new int[size.rowsPerStep() * size.inputDim()];
            h = new int[states];
            hidden = new short[states];
            cell = new short[states];
            buf0 = new short[states];
            buf1 = new short[states];
            buf2 = new short[states];
            buf3 = new short[states];
        }

        @Override
        public void eval() {
            int states = size.batch() * size.stateDim();
            byte[] ha = hiddenT.array(), ca = cellT.array();
            int ho = hiddenT.offset(), co = cellT.offset();
            for (int i = 0; i < states; i++) {
                hidden[i] = int16Act ? LittleEndian.getShort(ha, ho + 2 * i) : ha[ho + i];
                cell[i] = LittleEndian.getShort(ca, co + 2 * i);
            }
            if (size.timeMajor()) {
                for (int step = 0; step < size.steps(); step++) step(0, step);
            } else {
                for (int b = 0; b < size.batch(); b++) {
                    for (int step = 0; step < size.steps(); step++) step(b, step);
                }
            }
            for (int i = 0; i < states; i++) {
                if (int16Act) LittleEndian.putShort(ha, ho + 2 * i, hidden[i]);
                else ha[ho + i] = (byte) hidden[i];
                LittleEndian.putShort(ca, co + 2 * i, cell[i]);
            }
        }

        private void step(int b, int step) {
            int rows = size.rowsPerStep();
            int n = rows * size.stateDim();
            int stateOff = size.timeMajor() ? 0 : b * size.stateDim();
            byte[] ia = input.array();
            int io = input.offset(), in0 = inputOffset(size, b, step);
            for (int i = 0; i < x.length; i++) {
                x[i] = int16Act ? LittleEndian.getShort(ia, io + 2 * (in0 + i)) : ia[io + in0 + i];
            }
            for (int i = 0; i < n; i++) h[i] = hidden[stateOff + i];
            gate(0, rows, buf0, buf3, false);
            gate(1, rows, buf1, buf3, false);
            gate(2, rows, buf2, buf3, true);
            LstmCell.updateCell(cell, stateOff, buf0, buf1, buf2, n, forgetCellMul, inputCellMul, clipOn, clip, buf1);
            gate(3, rows, buf1, buf3, false);
            LstmCell.updateHidden(cell, stateOff, buf1, n, cellTanhMul, cellTanhShift, outputMul, buf0, hidden,
                    stateOff);
            byte[] oa = output.array();
            int oo = output.offset(), out0 = outputOffset(size, b, step);
            for (int i = 0; i < n; i++) {
                if (int16Act) LittleEndian.putShort(oa, oo + 2 * (out0 + i), hidden[stateOff + i]);
                else oa[oo + out0 + i] = (byte) hidden[stateOff + i];
            }
        }

        private void gate(int g, int rows, short[] outBuf, short[] tmp, boolean tanh) {
            Tensor wIn = gates[g][0], wRec = gates[g][1], bias = gates[g][2];
            int units = size.stateDim();
            LstmCell.fullyConnected(x, 0, rows, size.inputDim(), inputOffset, wIn.array(), wIn.offset(), units,
                    bias.array(), bias.offset(), int16Act ? 8 : 4, inMul[g][0], inMul[g][1], int16Act, outBuf, 0);
            LstmCell.fullyConnected(h, 0, rows, units, hiddenOffset, wRec.array(), wRec.offset(), units,
                    null, 0, 0, recMul[g][0], recMul[g][1], int16Act, tmp, 0);
            int n = rows * units;
            LstmCell.addSaturating(outBuf, 0, tmp, 0, n);
            if (tanh) LstmCell.tanh(outBuf, 0, n, gateTanhMul, gateTanhShift, outBuf, 0);
            else LstmCell.sigmoid(outBuf, 0, n);
        }
    }

    /** TFLM's FC multiplier for a gate: (input_scale * weight_scale, in float) / gate_scale, per tensor. */
    private static int[] fcMultiplier(NodeContext node, Tensor in, Tensor weights, float outScale) {
        node.require(!weights.quantization().isPerChannel(),
                "per-channel quantized LSTM weights (%d scales) not supported", weights.quantization().channelCount());
        node.require(weights.zeroPoint() == 0, "LSTM weight zero point must be 0, got %d", weights.zeroPoint());
        double product = (double) (in.scale() * weights.scale());
        node.require(product >= 0, "input_scale * weight_scale = %s < 0", product);
        QuantizedMultiplier q = FixedPoint.quantizeMultiplier(product / (double) outScale);
        return new int[] {q.multiplier(), q.shift()};
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

    // ---------------------------------------------------------------- float

    private static final class FloatLstm implements PreparedOp {
        private final Tensor input, hiddenT, cellT, output;
        private final Tensor[][] gates = new Tensor[4][3];
        private final SizeInfo size;
        private final float clip;
        private final float[] x, h, hidden, cell, buf0, buf1, buf2, buf3;

        FloatLstm(Tensor[] t, Tensor out, SizeInfo size, float cellClip) {
            this.input = t[INPUT];
            this.hiddenT = t[HIDDEN_STATE];
            this.cellT = t[CELL_STATE];
            this.output = out;
            this.size = size;
            this.clip = cellClip;
            for (int g = 0; g < 4; g++) {
                for (int k = 0; k < 3; k++) gates[g][k] = t[GATE_TENSORS[g][k]];
            }
            int states = size.batch() * size.stateDim();
            x = new float[size.rowsPerStep() * size.inputDim()];
            h = new float[states];
            hidden = new float[states];
            cell = new float[states];
            buf0 = new float[states];
            buf1 = new float[states];
            buf2 = new float[states];
            buf3 = new float[states];
        }

        @Override
        public void eval() {
            int states = size.batch() * size.stateDim();
            byte[] ha = hiddenT.array(), ca = cellT.array();
            int ho = hiddenT.offset(), co = cellT.offset();
            for (int i = 0; i < states; i++) {
                hidden[i] = LittleEndian.getFloat(ha, ho + 4 * i);
                cell[i] = LittleEndian.getFloat(ca, co + 4 * i);
            }
            if (size.timeMajor()) {
                for (int step = 0; step < size.steps(); step++) step(0, step);
            } else {
                for (int b = 0; b < size.batch(); b++) {
                    for (int step = 0; step < size.steps(); step++) step(b, step);
                }
            }
            for (int i = 0; i < states; i++) {
                LittleEndian.putFloat(ha, ho + 4 * i, hidden[i]);
                LittleEndian.putFloat(ca, co + 4 * i, cell[i]);
            }
        }

        private void step(int b, int step) {
            int rows = size.rowsPerStep();
            int n = rows * size.stateDim();
            int stateOff = size.timeMajor() ? 0 : b * size.stateDim();
            byte[] ia = input.array();
            int io = input.offset(), in0 = inputOffset(size, b, step);
            for (int i = 0; i < x.length; i++) x[i] = LittleEndian.getFloat(ia, io + 4 * (in0 + i));
            for (int i = 0; i < n; i++) h[i] = hidden[stateOff + i];
            gate(0, rows, buf0, buf3, false);
            gate(1, rows, buf1, buf3, false);
            gate(2, rows, buf2, buf3, true);
            LstmCell.updateCell(cell, stateOff, buf0, buf1, buf2, n, clip, buf1);
            gate(3, rows, buf1, buf3, false);
            LstmCell.updateHidden(cell, stateOff, buf1, n, buf0, hidden, stateOff);
            byte[] oa = output.array();
            int oo = output.offset(), out0 = outputOffset(size, b, step);
            for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * (out0 + i), hidden[stateOff + i]);
        }

        private void gate(int g, int rows, float[] outBuf, float[] tmp, boolean tanh) {
            Tensor wIn = gates[g][0], wRec = gates[g][1], bias = gates[g][2];
            int units = size.stateDim();
            LstmCell.fullyConnected(x, 0, rows, size.inputDim(), wIn.array(), wIn.offset(), units, bias.array(),
                    bias.offset(), outBuf, 0);
            LstmCell.fullyConnected(h, 0, rows, units, wRec.array(), wRec.offset(), units, null, 0, tmp, 0);
            int n = rows * units;
            LstmCell.add(outBuf, 0, tmp, 0, n);
            if (tanh) LstmCell.tanh(outBuf, 0, n, outBuf, 0);
            else LstmCell.sigmoid(outBuf, 0, n);
        }
    }
}
