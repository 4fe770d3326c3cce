package dev.minnow.kernels;

import dev.minnow.math.FastLibm;
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
 * weights into one {@code 4 units x units} matrix ({@link GateMatrix}); int8 nodes fold the input and hidden-state
 * offsets into per-row sums ({@code sum_d w (x + off) = sum_d w x + off sum_d w}, exact modulo 2^32 as the reference's
 * int32 sums) and the bias into the input rows. A step then runs two matrix-vector products per batch row instead of
 * eight, then one pass over the row's cells that computes the four gates (each product rescaled, saturated, summed and
 * activated as the reference does it), the cell update and the hidden state element by element. Computing the output
 * gate before the cell update changes nothing: every gate reads only the step's input and the previous hidden state,
 * which both products read before the pass writes it. The int8 pass uses {@link FastLstmCell}'s prepared rescalings
 * and int16 activation tables (with the Vector API, {@link VectorLstmCell}'s int lanes for the rescalings, all four
 * gates in one pass), the float pass {@link LstmCell}'s float functions and the same libm.
 *
 * <p>Both variants compute the input side ahead of the steps, in chunks of steps (it reads only the input): float the
 * input products; int8 without the Vector API the input products rescaled to Q3.12 and saturated, gate by gate over
 * the whole chunk in {@link RequantLoops}' int passes, which C2 on JDK 17 vectorises over such lengths and not over a
 * step's few units; a step then rescales its recurrent products in the same passes over its {@code 4 units} and keeps
 * only the table lookups and the cell update element by element.
 */
public final class FastLstm implements OpKernel {
    /** Prepares as {@link UnidirectionalSequenceLstm}, then picks the fast eval when the node qualifies. */
    @Override
    public PreparedOp prepare(NodeContext node) {
        UnidirectionalSequenceLstm.Params p = UnidirectionalSequenceLstm.prepareParams(node);
        UnidirectionalSequenceLstm.SizeInfo s = p.size();
        long workspace = 4L * s.rowsPerStep() * s.inputDim() + 4L * 8 * s.stateElements();
        boolean fast = node.useFastKernels() && qualifies(p);
        long tables = fast && p.variant() == UnidirectionalSequenceLstm.Variant.INT8 ? 3 * FastLstmCell.TABLE_BYTES : 0;
        // one int/float per weight in per-column arrays (16 bytes of header each), two accumulator rows per batch row
        long gates = fast ? 4L * 4 * s.stateDim() * ((long) s.inputDim() + s.stateDim() + 2L * s.rowsPerStep() + 4)
                + 16L * (s.inputDim() + s.stateDim() + 2L * s.rowsPerStep()) : 0;
        // int8: the cell's rows (three of 4 units, four of units), the Vector API form's per-element rescales
        long lanes = fast && p.variant() == UnidirectionalSequenceLstm.Variant.INT8
                ? 4L * 16 * s.stateDim() + 16L * 7 + (FastLoops.VECTOR_API ? 2 * VectorLstmCell.Rescales.bytes(4 * s.stateDim())
                // and the padding of its cell rows to whole vectors: up to 7 ints in each of 6 rows and the state's rows
                + 4L * 7 * (6 + 2L * s.stateElements() / Math.max(1, s.stateDim())) : 0) : 0;
        // float: the input products (and inputs) of up to Float32.AHEAD_FLOATS / row steps computed ahead; int8: the
        // rescaled input products, one array per gate
        long ahead = 0;
        if (fast && p.variant() == UnidirectionalSequenceLstm.Variant.INT8) {
            ahead = 4L * 4 * Int8.aheadSteps(s) * s.rowsPerStep() * s.stateDim() + 4L * 16 + 16L * 4
                    + FastLstmCell.GateRescales.bytes(4 * s.stateDim())
                    // the eleven rescales' one-element pass operands (four input, four recurrent, three cell products)
                    + 11 * RequantLoops.Operands.bytes(1);
        }
        if (fast && p.variant() == UnidirectionalSequenceLstm.Variant.FLOAT32) {
            long chunkRows = (long) Float32.aheadSteps(s, 4 * s.stateDim()) * s.rowsPerStep();
            ahead = 4L * chunkRows * (4L * s.stateDim() + 16 + s.inputDim()) + 16L * chunkRows;
            if (!FastLoops.VECTOR_API) ahead += FastLibm.TanhArrays.bytes(s.stateDim());
        }
        KernelUtil.reserveHeap(node, workspace + gates + tables + lanes + ahead, "the LSTM's workspace");
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
        private final int[] inBias, recBias, x;
        private final int[][] hidden, cell, inAcc, recAcc;
        private final FastLstmCell.Rescale[] inRescale, recRescale;
        private final short[] sigmoid, gateTanh, cellTanh;
        private final int cellHi, cellLo;
        /**
         * Whether the cell update's two products are {@link FastLstmCell.Mul#halving} with clamps that change none of
         * them: {@link #cellLoop}.
         */
        private final boolean unclamped;
        private final FastLstmCell.Mul forgetCell, inputCell, outputMul;
        /** The Vector API form's per-element rescales, or null for the element-by-element form. */
        private final VectorLstmCell.Rescales inVec, recVec;
        // the activated forget, input, cell and output gates of a batch row (units each); the Vector API form's scratch
        private final int[] forget, input, cellGate, outputGate, pre, tmp, zeros;
        /** The length of a cell row: units, rounded up to whole vectors in the Vector API form. */
        private final int cellLanes;
        /**
         * The element-by-element form: steps whose input products are computed ahead at once, and those products per
         * gate, rescaled and saturated ({@code ahead[gate][((step % chunk) * rows + r) * units + o]}).
         */
        private final int chunk;
        private final int[][] ahead;
        /** The element-by-element form's recurrent rescales as int passes. */
        private final FastLstmCell.GateRescales recPasses;
        /** Per gate: whether its input products (bias included) stay below {@link RequantLoops#NARROW_SUMS}, so their rescale takes the narrow passes. */
        private final boolean[] inNarrow;

        Int8(UnidirectionalSequenceLstm.Params p) {
            super(p);
            UnidirectionalSequenceLstm.Gate[] gates = gates(p);
            byte[] wi = stack(gates, false, units, inputs, 1), wr = stack(gates, true, units, units, 1);
            inW = new GateMatrix.Int8(wi, 0, 4 * units, inputs);
            recW = new GateMatrix.Int8(wr, 0, 4 * units, units);
            int[] inSums = GateMatrix.Int8.rowSums(wi, 0, 4 * units, inputs), recSums = GateMatrix.Int8.rowSums(wr, 0, 4 * units, units);
            int g4 = 4 * units;
            inBias = new int[g4];
            recBias = new int[g4];
            inRescale = new FastLstmCell.Rescale[4];
            long[] biasMost = new long[4];
            recRescale = new FastLstmCell.Rescale[4];
            for (int k = 0; k < 4; k++) {
                Tensor bias = gates[k].bias();
                for (int o = 0; o < units; o++) {
                    int j = k * units + o;
                    int b = bias == null ? 0 : LittleEndian.getInt(bias.array(), bias.offset() + 4 * o);
                    biasMost[k] = Math.max(biasMost[k], Math.abs((long) b));
                    inBias[j] = b + p.inputOffset() * inSums[j];
                    recBias[j] = p.hiddenOffset() * recSums[j];
                }
                inRescale[k] = FastLstmCell.Rescale.of(gates[k].inputMultiplier().multiplier(), gates[k].inputMultiplier().shift());
                recRescale[k] = FastLstmCell.Rescale.of(gates[k].recurrentMultiplier().multiplier(), gates[k].recurrentMultiplier().shift());
            }
            // LstmCell.sigmoid's scaling of a Q3.12 gate, the gate tanh's and the cell state's tanh scalings
            sigmoid = FastLstmCell.table(false, 3, 0);
            gateTanh = FastLstmCell.table(true, p.gateTanhScaling()[0], p.gateTanhScaling()[1]);
            cellTanh = FastLstmCell.table(true, p.cellTanhScaling()[0], p.cellTanhScaling()[1]);
            // the reference clips a saturated int16 cell to [(short) -clip, clip]; without clipping that is all of int16
            cellHi = p.clipOn() ? Math.min(32767, p.quantizedCellClip()) : 32767;   // the same on a saturated int16
            cellLo = p.clipOn() ? (short) -p.quantizedCellClip() : -32768;
            forgetCell = FastLstmCell.Mul.of(p.forgetCellMul());
            inputCell = FastLstmCell.Mul.of(p.inputCellMul());
            outputMul = FastLstmCell.Mul.of(p.outputMul());
            int[] sr = range(sigmoid), gr = range(gateTanh);
            unclamped = forgetCell.halvingWithin(sr[0], sr[1], -32768, 32767) && inputCell.halvingWithin(sr[0], sr[1], gr[0], gr[1]);
            // the Vector API form needs right shifts below 32, Mul ranges inside int16 and a clip inside int16
            boolean lanes = FastLoops.VECTOR_API && forgetCell.laneable() && inputCell.laneable() && outputMul.laneable()
                    && cellHi >= -32768;
            for (int k = 0; k < 4; k++) lanes &= inRescale[k].laneable() && recRescale[k].laneable();
            inVec = lanes ? new VectorLstmCell.Rescales(inRescale, units, g4) : null;
            recVec = lanes ? new VectorLstmCell.Rescales(recRescale, units, g4) : null;
            x = new int[rows * inputs];
            inAcc = new int[rows][inW.paddedRows()];
            recAcc = new int[rows][recW.paddedRows()];
            int stateRows = size.stateElements() / units;
            // the Vector API form's cell rows hold whole vectors: its passes run over the padding too (no scalar tail)
            cellLanes = inVec == null ? units : (units + VectorLanes.LANES - 1) / VectorLanes.LANES * VectorLanes.LANES;
            hidden = new int[stateRows][cellLanes];
            cell = new int[stateRows][cellLanes];
            forget = new int[cellLanes];
            input = new int[cellLanes];
            cellGate = new int[cellLanes];
            outputGate = new int[cellLanes];
            pre = new int[g4];
            tmp = new int[Math.max(g4, cellLanes)];
            zeros = new int[Math.max(g4, cellLanes)];
            // the recurrent products are sum w (h + hidden offset) over the units: their bound lets the narrow passes run
            recPasses = new FastLstmCell.GateRescales(recRescale, units, GateMatrix.Int8.maxProduct(wr, 0, g4, units, p.hiddenOffset()));
            inNarrow = new boolean[4];
            for (int k = 0; k < 4; k++) {
                // a gate's input products are its bias plus sum w (x + input offset)
                long most = biasMost[k] + GateMatrix.Int8.maxProduct(wi, k * units * inputs, units, inputs, p.inputOffset());
                inNarrow[k] = most < RequantLoops.NARROW_SUMS && inRescale[k].narrowable() && inRescale[k].passes() != null;
            }
            chunk = aheadSteps(size);
            ahead = new int[4][chunk * rows * units];
        }

        /** The most rescaled input products computed ahead of the steps (256 KB): long sequences go in chunks of steps. */
        static final long AHEAD_INTS = 1 << 16;

        /** How many steps' input products to compute ahead: all of them, or as many as {@link #AHEAD_INTS} hold (at least one). */
        static int aheadSteps(UnidirectionalSequenceLstm.SizeInfo size) {
            long perStep = 4L * size.rowsPerStep() * size.stateDim();
            return (int) Math.max(1, Math.min(size.steps(), AHEAD_INTS / perStep));
        }

        @Override
        void loadState() {
            byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
            int ho = p.hiddenState().offset(), co = p.cellState().offset();
            for (int r = 0; r < hidden.length; r++) {
                int[] h = hidden[r], c = cell[r];
                for (int o = 0; o < units; o++) {
                    int i = r * units + o;
                    h[o] = ha[ho + i];
                    c[o] = LittleEndian.getShort(ca, co + 2 * i);
                }
            }
        }

        @Override
        void storeState() {
            byte[] ha = p.hiddenState().array(), ca = p.cellState().array();
            int ho = p.hiddenState().offset(), co = p.cellState().offset();
            for (int r = 0; r < hidden.length; r++) {
                int[] h = hidden[r], c = cell[r];
                for (int o = 0; o < units; o++) {
                    int i = r * units + o;
                    ha[ho + i] = (byte) h[o];
                    LittleEndian.putShort(ca, co + 2 * i, (short) c[o]);
                }
            }
        }

        @Override
        void step(int b, int step) {
            int stateRow = size.timeMajor() ? 0 : b;   // the state row of stateOffset(b)
            if (inVec == null) {
                stepAhead(b, step, stateRow);
                return;
            }
            byte[] ia = p.input().array();
            int io = p.input().offset() + inputOffset(b, step);
            for (int i = 0; i < x.length; i++) x[i] = ia[io + i];
            int g4 = 4 * units;
            // every product reads the hidden state of the previous step before any element below writes it
            for (int r = 0; r < rows; r++) {
                System.arraycopy(inBias, 0, inAcc[r], 0, g4);
                System.arraycopy(recBias, 0, recAcc[r], 0, g4);
                inW.addProducts(x, r * inputs, inAcc[r]);
                recW.addProducts(hidden[stateRow + r], 0, recAcc[r]);
            }
            byte[] oa = p.output().array();
            int oo = p.output().offset() + outputOffset(b, step);
            for (int r = 0; r < rows; r++) {
                int[] h = hidden[stateRow + r];
                activateVector(inAcc[r], recAcc[r]);
                updateVector(cell[stateRow + r], h);
                for (int o = 0; o < units; o++) oa[oo + r * units + o] = (byte) h[o];
            }
        }

        /**
         * A step of the element-by-element form: the input side from {@link #ahead} (computed at the chunk's first
         * step), the recurrent products, then the cells.
         */
        private void stepAhead(int b, int step, int stateRow) {
            int at = step % chunk;
            if (at == 0) inputsAhead(b, step, Math.min(chunk, size.steps() - step));
            // every product reads the hidden state of the previous step before any element below writes it
            for (int r = 0; r < rows; r++) {
                System.arraycopy(recBias, 0, recAcc[r], 0, 4 * units);
                recW.addProducts(hidden[stateRow + r], 0, recAcc[r]);
            }
            byte[] oa = p.output().array();
            int oo = p.output().offset() + outputOffset(b, step);
            for (int r = 0; r < rows; r++) cells((at * rows + r) * units, recAcc[r], cell[stateRow + r], hidden[stateRow + r], oa, oo + r * units);
        }

        /**
         * The input products of batch row b's steps {@code first .. first + count - 1} (every row of a time-major
         * step), each gate's rescaled to Q3.12 and saturated over the whole chunk at once: the products read only the
         * input, so computing them ahead changes no bit, and the rescale's int passes vectorise over a chunk where a
         * step's few units would leave them in C2's scalar pre- and post-loops.
         */
        private void inputsAhead(int b, int first, int count) {
            byte[] ia = p.input().array();
            int u = units, g4 = 4 * u;
            int[] acc = inAcc[0];
            for (int k = 0; k < count; k++) {
                FastLoops.widen(ia, p.input().offset() + inputOffset(b, first + k), x.length, 0, x);
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(inBias, 0, acc, 0, g4);
                    inW.addProducts(x, r * inputs, acc);
                    int to = (k * rows + r) * u;
                    for (int g = 0; g < 4; g++) System.arraycopy(acc, g * u, ahead[g], to, u);
                }
            }
            for (int g = 0; g < 4; g++) {
                if (inNarrow[g]) inRescale[g].applySaturatedNarrow(ahead[g], count * rows * u);
                else inRescale[g].applySaturated(ahead[g], count * rows * u);
            }
        }

        /**
         * One batch row's gates with {@link VectorLstmCell#rescale}: the input products rescaled and saturated, then
         * the recurrent ones rescaled, saturated and added with saturation; then the activations from the tables.
         */
        private void activateVector(int[] in, int[] rec) {
            int u = units, g4 = 4 * u;
            VectorLstmCell.rescale(in, inVec, inRescale, u, zeros, tmp, g4);
            VectorLstmCell.rescale(rec, recVec, recRescale, u, tmp, pre, g4);
            short[] sig = sigmoid, tanh = gateTanh;
            int[] a = pre, f = forget, i = input, g = cellGate, o = outputGate;
            for (int e = 0; e < u; e++) {
                f[e] = sig[a[e] + 32768];
                i[e] = sig[a[u + e] + 32768];
                g[e] = tanh[a[2 * u + e] + 32768];
                o[e] = sig[a[3 * u + e] + 32768];
            }
        }

        /**
         * One batch row's cell update and hidden state with {@link VectorLstmCell#mul}: forget * cell, then input *
         * cell gate plus it, saturated and clipped, into the cell; the cell's tanh from its table times the output gate
         * into the hidden state. The passes run over whole vectors ({@link #cellLanes}): the padding lanes compute
         * values nothing reads (the recurrent products, the output and the state take the first units only).
         */
        private void updateVector(int[] c, int[] hid) {
            int u = units, n = cellLanes;
            int[] t = tmp;
            VectorLstmCell.mul(forget, c, forgetCell, zeros, -32768, 32767, t, n);
            VectorLstmCell.mul(input, cellGate, inputCell, t, cellLo, cellHi, c, n);
            short[] ct = cellTanh;
            for (int e = 0; e < u; e++) t[e] = ct[c[e] + 32768];
            VectorLstmCell.mul(t, outputGate, outputMul, zeros, -32768, 32767, hid, n);
        }

        /**
         * One batch row's cells: the recurrent products rescaled to Q3.12 and saturated, then added with saturation to
         * the input side's (rescaled ahead at {@code at} in {@link #ahead}) and turned into table indices, all in
         * {@link #recPasses}' int passes over the {@code 4 units} products
         * ({@link FastLstmCell.GateRescales#applySaturated(int[], int[])}), then {@link #cellLoop}. The passes leave the
         * loop nothing but lookups for the gates: a unit's four int16 saturations (two compares each), additions and
         * input loads were a fifth of its scalar work, more than the index pass costs at any unit count (JDK 17 defaults,
         * same run against main's engine with the saturations in the loop below 48 units: mnist_lstm int8 (20 units)
         * 18.7 against 22.1 us, the forecaster (50) 25.4 against 34.4, with {@link #cellLoop}'s unclamped products).
         */
        private void cells(int at, int[] rec, int[] c, int[] hid, byte[] out, int outAt) {
            int u = units;
            int[] in = tmp;
            for (int k = 0; k < 4; k++) System.arraycopy(ahead[k], at, in, k * u, u);
            recPasses.applySaturated(rec, in);
            cellLoop(rec, c, hid, out, outAt);
        }

        /**
         * {@link #cells}' passes over the units with the reference's arithmetic: the four gates looked up in their tables
         * at the indices in {@code idx} (sigmoid, tanh for the cell gate) into rows of their own; the cell update (forget
         * * cell + input * cell gate, clipped); the cell's tanh looked up; the hidden state (tanh(cell) * output gate,
         * also the step's output). The lookups are loads from 128 KiB tables that hit L2 at best: in passes of their
         * own they are all independent and the core overlaps them, where the eighth round's single pass chained each
         * unit's gate loads, update, cell-tanh load and hidden product (JDK 17 defaults, same runs against main's
         * engine: mnist_lstm int8 16.4 and 16.6 against 17.9 and 18.4 us, the forecaster 25.4 and 26.5 against 30.9
         * and 27.9; JDK 25, both on the boot class path: the forecaster 26.6 and 27.8 against 30.8 and 30.3). When both cell products are {@link FastLstmCell.Mul#halving} and their clamps change no product of
         * the tables' and the cell's ranges ({@link #unclamped}, as TFLM quantizes them), the update is
         * {@link FastLstmCell.Mul#halvingCellUpdate}'s int loop, else {@link FastLstmCell.Mul#apply} per product. The
         * saturation of the products' sum to int16 before the clip is dropped: the clip's bounds are int16 values
         * ({@code cellLo} a short, {@code cellHi} at most 32767), so {@code max(min(hi, sat16(x)), lo) = max(min(hi, x), lo)}.
         */
        private void cellLoop(int[] idx, int[] c, int[] hid, byte[] out, int outAt) {
            int u = units, hi = cellHi, lo = cellLo;
            short[] sig = sigmoid, gt = gateTanh, ct = cellTanh;
            int[] fa = forget, ia = input, ga = cellGate, oa = outputGate;
            for (int o = 0; o < u; o++) {
                fa[o] = sig[idx[o]];
                ia[o] = sig[idx[u + o]];
                ga[o] = gt[idx[2 * u + o]];
                oa[o] = sig[idx[3 * u + o]];
            }
            if (unclamped) {
                FastLstmCell.Mul.halvingCellUpdate(forgetCell, inputCell, fa, c, ia, ga, u, lo, hi);
            } else {
                FastLstmCell.Mul forgetMul = forgetCell, inputMul = inputCell;
                for (int o = 0; o < u; o++) c[o] = Math.max(Math.min(hi, forgetMul.apply(fa[o], c[o]) + inputMul.apply(ia[o], ga[o])), lo);
            }
            int[] t = tmp;
            for (int o = 0; o < u; o++) t[o] = ct[c[o] + 32768];
            FastLstmCell.Mul hiddenMul = outputMul;
            for (int o = 0; o < u; o++) {
                int h = hiddenMul.apply(t[o], oa[o]);
                hid[o] = h;
                out[outAt + o] = (byte) h;
            }
        }

        /** The least and greatest value of an activation table. */
        private static int[] range(short[] t) {
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (short v : t) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            return new int[] {lo, hi};
        }
    }

    private static final class Float32 extends Steps {
        /** The most input-product floats computed ahead of the steps (256 KB): long sequences go in chunks of steps. */
        static final long AHEAD_FLOATS = 1 << 16;

        private final GateMatrix.Float32 inW, recW;
        private final float[] bias, hidden, cell, gate, cellTanh, expScratch;
        private final float[][] recSum;
        private final float clip;
        /** Steps whose input products are computed ahead at once, and those products ({@code (step % chunk) * rows + r}). */
        private final int chunk;
        private final float[][] inAhead;
        private final float[] xAhead;
        /** Without the Vector API: the scratch of the two-pass tanhf (the scalar pass, then float arithmetic C2 vectorises). */
        private final FastLibm.TanhArrays tanhArrays;
        /** The sigmoid's indices of the arguments below -9, whose result is expf itself (in place of a third pass). */
        private final int[] lows;

        Float32(UnidirectionalSequenceLstm.Params p) {
            super(p);
            // the three sigmoid gates first, so one activation pass runs over each kind: forget, input, output, cell
            UnidirectionalSequenceLstm.Gate[] gates = {p.forgetGate(), p.inputGate(), p.outputGate(), p.cellGate()};
            inW = new GateMatrix.Float32(floats(stack(gates, false, units, inputs, 4)), 4 * units, inputs);
            recW = new GateMatrix.Float32(floats(stack(gates, true, units, units, 4)), 4 * units, units);
            bias = new float[4 * units];
            for (int k = 0; k < 4; k++) {
                Tensor t = gates[k].bias();
                for (int o = 0; o < units; o++) {
                    bias[k * units + o] = t == null ? 0f : LittleEndian.getFloat(t.array(), t.offset() + 4 * o);
                }
            }
            clip = p.cellClip();
            chunk = aheadSteps(size, inW.paddedRows());
            inAhead = new float[chunk * rows][inW.paddedRows()];
            xAhead = new float[chunk * rows * inputs];
            recSum = new float[rows][recW.paddedRows()];
            int states = size.stateElements();
            hidden = new float[states];
            cell = new float[states];
            gate = new float[4 * units];
            cellTanh = new float[units];
            expScratch = new float[3 * units];
            lows = new int[3 * units];
            tanhArrays = FastLoops.VECTOR_API ? null : new FastLibm.TanhArrays(units);
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

        /**
         * How many steps' input products to compute ahead: all of them, or as many as {@link #AHEAD_FLOATS} products
         * hold (at least one).
         */
        static int aheadSteps(UnidirectionalSequenceLstm.SizeInfo size, int paddedRows) {
            long perStep = (long) size.rowsPerStep() * paddedRows;
            return (int) Math.max(1, Math.min(size.steps(), AHEAD_FLOATS / perStep));
        }

        /**
         * A step: at the first step of each chunk the input products of the chunk's steps (they read only the input,
         * so computing them ahead changes no bit), then the recurrent products, then the cells.
         */
        @Override
        void step(int b, int step) {
            int at = step % chunk;
            if (at == 0) inputsAhead(b, step, Math.min(chunk, size.steps() - step));
            int stateOff = stateOffset(b);
            // every product reads the hidden state of the previous step before any element below writes it
            for (int r = 0; r < rows; r++) recW.products(hidden, stateOff + r * units, recSum[r]);
            byte[] oa = p.output().array();
            int oo = p.output().offset() + 4 * outputOffset(b, step);
            for (int r = 0; r < rows; r++) elements(inAhead[at * rows + r], recSum[r], stateOff + r * units, oa, oo + 4 * r * units);
        }

        /** The input products of batch row b's steps {@code first .. first + count - 1} (every row of a time-major step). */
        private void inputsAhead(int b, int first, int count) {
            byte[] ia = p.input().array();
            int per = rows * inputs;
            float[] xs = xAhead;
            for (int k = 0; k < count; k++) {
                int io = p.input().offset() + 4 * inputOffset(b, first + k), xo = k * per;
                for (int i = 0; i < per; i++) xs[xo + i] = LittleEndian.getFloat(ia, io + 4 * i);
            }
            for (int k = 0; k < count * rows; k++) inW.products(xs, k * inputs, inAhead[k]);
            float[] bs = bias;
            for (int k = 0; k < count * rows; k++) {
                float[] a = inAhead[k];
                for (int j = 0; j < bs.length; j++) a[j] = clamp(a[j] + bs[j]);
            }
        }

        /**
         * {@link LstmCell#clampNone} as {@code Math.min}/{@code max}, the same value for every input (a NaN stays NaN,
         * -0.0 stays -0.0): C2 vectorises float min and max over arrays, while clampNone's compare-selects stay scalar.
         */
        private static float clamp(float x) { return Math.min(Math.max(x, -Float.MAX_VALUE), Float.MAX_VALUE); }

        /**
         * One batch row's cells in passes over arrays: per gate the input product plus bias, clamped (done ahead with
         * the input products, {@link #inputsAhead}), plus the recurrent product plus 0f, clamped, in one loop C2
         * vectorises; the activations over whole gates ({@link #tanh}: the branch-lean libm); then the cell update and
         * hidden state with the reference's float operations in its order.
         */
        private void elements(float[] in, float[] rec, int at, byte[] out, int outAt) {
            int u = units;
            float[] g = gate;
            for (int j = 0; j < 4 * u; j++) g[j] = in[j] + clamp(rec[j] + 0f);
            sigmoid(g, 3 * u);
            tanh(g, 3 * u, g, 3 * u, u);
            float[] cl = cell;
            for (int o = 0; o < u; o++) {
                int s = at + o;
                float c = LstmCell.clampNone(g[o] * cl[s]) + LstmCell.clampNone(g[u + o] * g[3 * u + o]);
                if (clip > 0) {
                    float m = c < clip ? c : clip;   // std::min(clip, c)
                    c = m < -clip ? -clip : m;       // std::max(m, -clip)
                }
                cl[s] = c;
            }
            float[] ct = cellTanh;
            tanh(cl, at, ct, 0, u);
            for (int o = 0; o < u; o++) {
                float h = LstmCell.clampNone(ct[o] * g[2 * u + o]);
                hidden[at + o] = h;
                LittleEndian.putFloat(out, outAt + 4 * o, h);
            }
        }

        /**
         * {@link LstmCell#sigmoid(float)} of {@code g[0..n)} in place, so that the division runs on whole vectors (a
         * loop of float arithmetic alone, which C2 vectorises): a scalar pass takes expf of the argument the reference
         * picks ({@code v} below -9, else {@code -v}), sets it to 0 above 16.619047 ({@code 1 / (1 + 0)} is the
         * reference's 1) and lists the indices below -9 (appended without a branch); then {@code 1 / (1 + e)} for
         * all, and the listed ones take expf itself. Against a third pass selecting among the three per value
         * (compare-selects C2 leaves scalar), mnist_lstm float ran 24.4 against 23.7 us (JDK 17, same run).
         */
        private void sigmoid(float[] g, int n) {
            float[] e = expScratch;
            int[] low = lows;
            int lowCount = 0;
            for (int j = 0; j < n; j++) {
                float v = g[j];
                boolean below = v < -9.0f;
                float ex = FloatLibm.expf(below ? v : -v);
                e[j] = v > 16.619047164916992188f ? 0.0f : ex;
                low[lowCount] = j;
                lowCount += below ? 1 : 0;
            }
            for (int j = 0; j < n; j++) g[j] = 1.0f / (1.0f + e[j]);
            for (int i = 0; i < lowCount; i++) g[low[i]] = e[low[i]];
        }

        /**
         * {@code dst[i] = tanhf(src[i])} for n values (at most units), equal to {@link FloatLibm#tanhf}: {@link VectorLibm}'s
         * lanes with the Vector API, {@link FastLibm.TanhArrays}' scalar passes without. On JDK 17's default flags the
         * fifth round's passes ran the mnist_lstm float model in 28.1-28.9 us against 30.5-30.7 us for FloatLibm's
         * branches called per value (same machine, runs interleaved, set_0); FastLibm's branch-free scalar form, one
         * call per value, was slower still (37-38 us): its chain of dependent operations is too long for the core to
         * overlap values (at 20 values a call the passes run scalar too: see {@link FastLibm.TanhArrays}).
         */
        private void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
            if (FastLoops.VECTOR_API) VectorLibm.tanhf(src, srcOff, dst, dstOff, n);
            else tanhArrays.tanhf(src, srcOff, dst, dstOff, n);
        }
    }
}
