package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.FixedPoint16;
import dev.minnow.math.FloatLibm;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM with fast gate products for int8 and float32 nodes whose weights and biases are
 * constant; int16 nodes, runtime weights and every node when the interpreter asks for reference kernels run
 * {@link UnidirectionalSequenceLstm}'s reference loops. Same prepare, same bytes.
 *
 * <p>At prepare the four gates' input weights are stacked into one {@code 4 units x input} matrix and their recurrent
 * weights into one {@code 4 units x units} matrix ({@link GateMatrix}: the fast fully-connected loops); int8 nodes fold
 * the input and hidden-state offsets into per-row sums ({@code sum_d w (x + off) = sum_d w x + off sum_d w}, exact
 * modulo 2^32 as the reference's int32 sums) and the bias into the input rows. A step then runs two matrix-vector
 * products per batch row instead of eight, and each gate element is rescaled, saturated, summed and activated as the
 * reference does it. Computing the output gate before the cell update changes nothing: every gate reads only the step's
 * input and its copy of the previous hidden state. The cell and hidden updates are {@link LstmCell}'s, as in the
 * reference.
 */
public final class FastLstm implements OpKernel {
    /** Prepares as {@link UnidirectionalSequenceLstm}, then picks the fast eval when the node qualifies. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        UnidirectionalSequenceLstm.Params p = UnidirectionalSequenceLstm.prepareParams(node);
        UnidirectionalSequenceLstm.SizeInfo s = p.size();
        long workspace = 4L * s.rowsPerStep() * s.inputDim() + 4L * 8 * s.stateElements();
        boolean fast = node.useFastKernels() && qualifies(p);
        long gates = fast ? 4L * 4 * s.stateDim() * ((long) s.inputDim() + s.stateDim() + 2L * s.rowsPerStep() + 4) : 0;
        KernelUtil.reserveHeap(node, workspace + gates, "the LSTM's workspace");
        return fast ? of(p) : UnidirectionalSequenceLstm.reference(p);
    }

    private static boolean qualifies(UnidirectionalSequenceLstm.Params p) {
        if (p.variant() == UnidirectionalSequenceLstm.Variant.INT16) return false;
        for (UnidirectionalSequenceLstm.Gate g : gates(p)) {
            if (!g.inputWeights().isConstant() || !g.recurrentWeights().isConstant() || !FastLoops.fixed(g.bias())) return false;
            int bytes = p.variant() == UnidirectionalSequenceLstm.Variant.FLOAT32 ? 4 : 1, units = p.size().stateDim();
            // constant data shorter than the shape (a malformed model) stays with the reference and its errors
            if (g.inputWeights().numBytes() < units * p.size().inputDim() * bytes || g.recurrentWeights().numBytes() < units * units * bytes) return false;
        }
        return p.size().stateElements() > 0;
    }

    /** The fast eval of a prepared node, or null when it does not qualify (int16, runtime weights or biases). */
    public static PreparedOp of(UnidirectionalSequenceLstm.Params p) {
        if (!qualifies(p)) return null;
        return p.variant() == UnidirectionalSequenceLstm.Variant.INT8 ? new Int8(p) : new Float32(p);
    }

    /** The gates in TFLM's order of evaluation: forget, input, cell, output. */
    private static UnidirectionalSequenceLstm.Gate[] gates(UnidirectionalSequenceLstm.Params p) {
        return new UnidirectionalSequenceLstm.Gate[] {p.forgetGate(), p.inputGate(), p.cellGate(), p.outputGate()};
    }

    /** The four gates' {@code units x depth} weights of one kind ({@code elementBytes} each) stacked row-major. */
    private static byte[] stack(UnidirectionalSequenceLstm.Gate[] gates, boolean recurrent, int units, int depth, int elementBytes) {
        int per = units * depth * elementBytes;
        byte[] all = new byte[4 * per];
        for (int k = 0; k < 4; k++) {
            Tensor t = recurrent ? gates[k].recurrentWeights() : gates[k].inputWeights();
            System.arraycopy(t.array(), t.offset(), all, k * per, per);
        }
        return all;
    }

    /** The sizes and stepping every variant shares: the step's input rows, output rows and state offsets. */
    private abstract static class Steps implements PreparedOp {
        final UnidirectionalSequenceLstm.Params p;
        final UnidirectionalSequenceLstm.SizeInfo size;
        final int units, inputs, rows, n;

        Steps(UnidirectionalSequenceLstm.Params p) {
            this.p = p;
            size = p.size();
            units = size.stateDim();
            inputs = size.inputDim();
            rows = size.rowsPerStep();
            n = rows * units;
        }

        @Override
        public final void eval() {
            loadState();
            if (size.timeMajor()) {
                for (int step = 0; step < size.steps(); step++) step(0, step);
            } else {
                for (int b = 0; b < size.batch(); b++) {
                    for (int step = 0; step < size.steps(); step++) step(b, step);
                }
            }
            storeState();
        }

        int inputOffset(int b, int step) {
            return size.timeMajor() ? step * size.batch() * inputs : (b * size.steps() + step) * inputs;
        }

        int outputOffset(int b, int step) {
            return size.timeMajor() ? step * size.batch() * units : (b * size.steps() + step) * units;
        }

        int stateOffset(int b) { return size.timeMajor() ? 0 : b * units; }

        abstract void loadState();

        abstract void step(int b, int step);

        abstract void storeState();
    }

    private static final class Int8 extends Steps {
        private final GateMatrix.Int8 inW, recW;
        private final int inPad, recPad;
        private final int[] inBias, recBias, inMult, inShift, recMult, recShift, x, h, inAcc, recAcc;
        private final int gateTanhMult, gateTanhShift, cellTanhMult, cellTanhShift;
        private final short[] hidden, cell, forget, input, cellGate, output, buf;

        Int8(UnidirectionalSequenceLstm.Params p) {
            super(p);
            UnidirectionalSequenceLstm.Gate[] gates = gates(p);
            byte[] wi = stack(gates, false, units, inputs, 1), wr = stack(gates, true, units, units, 1);
            inW = new GateMatrix.Int8(wi, 0, 4 * units, inputs);
            recW = new GateMatrix.Int8(wr, 0, 4 * units, units);
            inPad = inW.paddedRows();
            recPad = recW.paddedRows();
            int[] inSums = GateMatrix.Int8.rowSums(wi, 0, 4 * units, inputs), recSums = GateMatrix.Int8.rowSums(wr, 0, 4 * units, units);
            inBias = new int[4 * units];
            recBias = new int[4 * units];
            inMult = new int[4];
            inShift = new int[4];
            recMult = new int[4];
            recShift = new int[4];
            for (int k = 0; k < 4; k++) {
                Tensor bias = gates[k].bias();
                for (int o = 0; o < units; o++) {
                    int j = k * units + o;
                    int b = bias == null ? 0 : LittleEndian.getInt(bias.array(), bias.offset() + 4 * o);
                    inBias[j] = b + p.inputOffset() * inSums[j];
                    recBias[j] = p.hiddenOffset() * recSums[j];
                }
                inMult[k] = gates[k].inputMultiplier().multiplier();
                inShift[k] = gates[k].inputMultiplier().shift();
                recMult[k] = gates[k].recurrentMultiplier().multiplier();
                recShift[k] = gates[k].recurrentMultiplier().shift();
            }
            gateTanhMult = p.gateTanhScaling()[0];
            gateTanhShift = p.gateTanhScaling()[1];
            cellTanhMult = p.cellTanhScaling()[0];
            cellTanhShift = p.cellTanhScaling()[1];
            x = new int[rows * inputs];
            h = new int[n];
            inAcc = new int[rows * inPad];
            recAcc = new int[rows * recPad];
            int states = size.stateElements();
            hidden = new short[states];
            cell = new short[states];
            forget = new short[n];
            input = new short[n];
            cellGate = new short[n];
            output = new short[n];
            buf = new short[n];
        }

        @Override
        void loadState() {
            byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
            int ho = p.hiddenState().offset(), co = p.cellState().offset();
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = ha[ho + i];
                cell[i] = LittleEndian.getShort(ca, co + 2 * i);
            }
        }

        @Override
        void storeState() {
            byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
            int ho = p.hiddenState().offset(), co = p.cellState().offset();
            for (int i = 0; i < hidden.length; i++) {
                ha[ho + i] = (byte) hidden[i];
                LittleEndian.putShort(ca, co + 2 * i, cell[i]);
            }
        }

        @Override
        void step(int b, int step) {
            int stateOff = stateOffset(b);
            byte[] ia = p.input().array();
            int io = p.input().offset() + inputOffset(b, step);
            for (int i = 0; i < x.length; i++) x[i] = ia[io + i];
            for (int i = 0; i < n; i++) h[i] = hidden[stateOff + i];
            int g4 = 4 * units;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(inBias, 0, inAcc, r * inPad, g4);
                System.arraycopy(recBias, 0, recAcc, r * recPad, g4);
                inW.addProducts(x, r * inputs, inAcc, r * inPad);
                recW.addProducts(h, r * units, recAcc, r * recPad);
            }
            gate(0, forget, false);
            gate(1, input, false);
            gate(2, cellGate, true);
            gate(3, output, false);
            LstmCell.updateCell(cell, stateOff, forget, input, cellGate, n, p.forgetCellMul(), p.inputCellMul(),
                    p.clipOn(), p.quantizedCellClip(), buf);
            LstmCell.updateHidden(cell, stateOff, output, n, cellTanhMult, cellTanhShift, p.outputMul(), buf, hidden, stateOff);
            byte[] oa = p.output().array();
            int oo = p.output().offset() + outputOffset(b, step);
            for (int i = 0; i < n; i++) oa[oo + i] = (byte) hidden[stateOff + i];
        }

        /** Gate k's elements: both products rescaled to Q3.12 and saturated, summed with saturation, activated. */
        private void gate(int k, short[] out, boolean tanh) {
            int im = inMult[k], is = inShift[k], rm = recMult[k], rs = recShift[k];
            for (int r = 0; r < rows; r++) {
                int ia = r * inPad + k * units, ra = r * recPad + k * units, oa = r * units;
                for (int o = 0; o < units; o++) {
                    int a = sat16(FixedPoint.multiplyByQuantizedMultiplier(inAcc[ia + o], im, is));
                    int c = sat16(FixedPoint.multiplyByQuantizedMultiplier(recAcc[ra + o], rm, rs));
                    int v = sat16(a + c);
                    out[oa + o] = tanh ? FixedPoint16.tanh(v, gateTanhMult, gateTanhShift) : FixedPoint16.logistic(v, 3, 0);
                }
            }
        }

        private static int sat16(int v) { return Math.min(32767, Math.max(-32768, v)); }
    }

    private static final class Float32 extends Steps {
        private final GateMatrix.Float32 inW, recW;
        private final int inPad, recPad;
        private final float[] bias, x, h, inSum, recSum, hidden, cell, forget, input, cellGate, output, buf;

        Float32(UnidirectionalSequenceLstm.Params p) {
            super(p);
            UnidirectionalSequenceLstm.Gate[] gates = gates(p);
            inW = new GateMatrix.Float32(floats(stack(gates, false, units, inputs, 4)), 4 * units, inputs);
            recW = new GateMatrix.Float32(floats(stack(gates, true, units, units, 4)), 4 * units, units);
            inPad = inW.paddedRows();
            recPad = recW.paddedRows();
            bias = new float[4 * units];
            for (int k = 0; k < 4; k++) {
                Tensor t = gates[k].bias();
                for (int o = 0; o < units; o++) {
                    bias[k * units + o] = t == null ? 0f : LittleEndian.getFloat(t.array(), t.offset() + 4 * o);
                }
            }
            x = new float[rows * inputs];
            h = new float[n];
            inSum = new float[rows * inPad];
            recSum = new float[rows * recPad];
            int states = size.stateElements();
            hidden = new float[states];
            cell = new float[states];
            forget = new float[n];
            input = new float[n];
            cellGate = new float[n];
            output = new float[n];
            buf = new float[n];
        }

        private static float[] floats(byte[] b) {
            float[] f = new float[b.length / 4];
            for (int i = 0; i < f.length; i++) f[i] = LittleEndian.getFloat(b, 4 * i);
            return f;
        }

        @Override
        void loadState() {
            byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
            int ho = p.hiddenState().offset(), co = p.cellState().offset();
            for (int i = 0; i < hidden.length; i++) {
                hidden[i] = LittleEndian.getFloat(ha, ho + 4 * i);
                cell[i] = LittleEndian.getFloat(ca, co + 4 * i);
            }
        }

        @Override
        void storeState() {
            byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
            int ho = p.hiddenState().offset(), co = p.cellState().offset();
            for (int i = 0; i < hidden.length; i++) {
                LittleEndian.putFloat(ha, ho + 4 * i, hidden[i]);
                LittleEndian.putFloat(ca, co + 4 * i, cell[i]);
            }
        }

        @Override
        void step(int b, int step) {
            int stateOff = stateOffset(b);
            byte[] ia = p.input().array();
            int io = p.input().offset() + 4 * inputOffset(b, step);
            for (int i = 0; i < x.length; i++) x[i] = LittleEndian.getFloat(ia, io + 4 * i);
            for (int i = 0; i < n; i++) h[i] = hidden[stateOff + i];
            for (int r = 0; r < rows; r++) {
                inW.products(x, r * inputs, inSum, r * inPad);
                recW.products(h, r * units, recSum, r * recPad);
            }
            gate(0, forget, false);
            gate(1, input, false);
            gate(2, cellGate, true);
            gate(3, output, false);
            LstmCell.updateCell(cell, stateOff, forget, input, cellGate, n, p.cellClip(), buf);
            LstmCell.updateHidden(cell, stateOff, output, n, buf, hidden, stateOff);
            byte[] oa = p.output().array();
            int oo = p.output().offset() + 4 * outputOffset(b, step);
            for (int i = 0; i < n; i++) LittleEndian.putFloat(oa, oo + 4 * i, hidden[stateOff + i]);
        }

        /** Gate k's elements: the input product plus bias and the recurrent product plus 0f, each clamped, summed, activated. */
        private void gate(int k, float[] out, boolean tanh) {
            for (int r = 0; r < rows; r++) {
                int ia = r * inPad + k * units, ra = r * recPad + k * units, oa = r * units;
                for (int o = 0; o < units; o++) {
                    float a = LstmCell.clampNone(inSum[ia + o] + bias[k * units + o]);
                    float c = LstmCell.clampNone(recSum[ra + o] + 0f);
                    float v = a + c;
                    out[oa + o] = tanh ? FloatLibm.tanhf(v) : LstmCell.sigmoid(v);
                }
            }
        }
    }
}
