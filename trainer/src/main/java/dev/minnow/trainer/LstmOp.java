package dev.minnow.trainer;

import java.util.Arrays;

/**
 * Keras LSTM (tanh, recurrent sigmoid, gates in the order input, forget, cell, output; zero initial state for every
 * sample), trained by backpropagation through time. Parameter rows: the kernel's {@code in} rows of {@code 4 units},
 * the recurrent kernel's {@code units} rows of {@code 4 units}, then the bias.
 */
final class LstmOp extends Op {
    private final int steps;
    private final int in;
    private final int units;
    private final int g4;
    private final boolean returnSequences;
    private final int recurrent;
    private final int bias;
    /** {@code [4 units]} rows of {@code in} and of {@code units}: both kernels transposed, for the backward pass. */
    private final float[][] kernelT;
    private final float[][] recurrentT;

    /** Per-sample caches: gate activations, cell states and their tanh, hidden states, backward temporaries. */
    private static final class Scratch {
        final float[][] gates;
        final float[][] cell;
        final float[][] tanhCell;
        final float[][] hidden;
        final float[] dh;
        final float[] dhPrev;
        final float[] dc;
        final float[] dz;

        Scratch(int steps, int units) {
            gates = new float[steps][4 * units];
            cell = new float[steps][units];
            tanhCell = new float[steps][units];
            hidden = new float[steps][units];
            dh = new float[units];
            dhPrev = new float[units];
            dc = new float[units];
            dz = new float[4 * units];
        }
    }

    LstmOp(int[] inShape, int units, boolean returnSequences, int firstRow) {
        super(inShape, returnSequences ? new int[] {inShape[0], units} : new int[] {units}, firstRow);
        this.steps = inShape[0];
        this.in = inShape[1];
        this.units = units;
        this.g4 = 4 * units;
        this.returnSequences = returnSequences;
        this.recurrent = firstRow + in;
        this.bias = recurrent + units;
        this.kernelT = new float[g4][in];
        this.recurrentT = new float[g4][units];
    }

    @Override int[] paramRows() { return concat(repeat(in, g4), repeat(units, g4), new int[] {g4}); }

    @Override Object newScratch() { return new Scratch(steps, units); }

    @Override void refresh(float[][] p) {
        for (int i = 0; i < in; i++) for (int g = 0; g < g4; g++) kernelT[g][i] = p[firstRow + i][g];
        for (int u = 0; u < units; u++) for (int g = 0; g < g4; g++) recurrentT[g][u] = p[recurrent + u][g];
    }

    @Override void forward(float[][] p, float[][] x, float[][] out, Object scratch, Rng training) {
        Scratch s = (Scratch) scratch;
        for (int t = 0; t < steps; t++) {
            float[] z = s.gates[t];
            System.arraycopy(p[bias], 0, z, 0, g4);
            float[] xt = x[t];
            for (int i = 0; i < in; i++) Vec.axpy(xt[i], p[firstRow + i], z);
            if (t > 0) {
                float[] h = s.hidden[t - 1];
                for (int u = 0; u < units; u++) Vec.axpy(h[u], p[recurrent + u], z);
            }
            float[] cell = s.cell[t];
            float[] tc = s.tanhCell[t];
            float[] hid = s.hidden[t];
            float[] prev = t > 0 ? s.cell[t - 1] : null;
            for (int u = 0; u < units; u++) {
                float ig = Activations.sigmoid(z[u]);
                float fg = Activations.sigmoid(z[units + u]);
                float cg = Activations.tanh(z[2 * units + u]);
                float og = Activations.sigmoid(z[3 * units + u]);
                z[u] = ig;
                z[units + u] = fg;
                z[2 * units + u] = cg;
                z[3 * units + u] = og;
                float c = (prev == null ? 0f : fg * prev[u]) + ig * cg;
                float tcu = Activations.tanh(c);
                cell[u] = c;
                tc[u] = tcu;
                hid[u] = og * tcu;
            }
        }
        if (returnSequences) Vec.copy(s.hidden, out);
        else System.arraycopy(s.hidden[steps - 1], 0, out[0], 0, units);
    }

    @Override void backward(float[][] p, float[][] x, float[][] out, float[][] dOut, float[][] dIn, float[][] g, Object scratch) {
        Scratch s = (Scratch) scratch;
        float[] dh = s.dh;
        float[] dc = s.dc;
        float[] dz = s.dz;
        Arrays.fill(dh, 0f);
        Arrays.fill(dc, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            if (returnSequences) Vec.add(dOut[t], dh);
            else if (t == steps - 1) Vec.add(dOut[0], dh);
            float[] z = s.gates[t];
            float[] tc = s.tanhCell[t];
            float[] prev = t > 0 ? s.cell[t - 1] : null;
            for (int u = 0; u < units; u++) {
                float ig = z[u];
                float fg = z[units + u];
                float cg = z[2 * units + u];
                float og = z[3 * units + u];
                float tcu = tc[u];
                float dcu = dh[u] * og * (1f - tcu * tcu) + dc[u];
                dz[u] = dcu * cg * ig * (1f - ig);
                dz[units + u] = (prev == null ? 0f : dcu * prev[u]) * fg * (1f - fg);
                dz[2 * units + u] = dcu * ig * (1f - cg * cg);
                dz[3 * units + u] = dh[u] * tcu * og * (1f - og);
                dc[u] = dcu * fg;
            }
            Vec.add(dz, g[bias]);
            float[] xt = x[t];
            for (int i = 0; i < in; i++) Vec.axpy(xt[i], dz, g[firstRow + i]);
            if (dIn != null) {
                float[] d = dIn[t];
                Arrays.fill(d, 0f);
                for (int q = 0; q < g4; q++) Vec.axpy(dz[q], kernelT[q], d);
            }
            if (t > 0) {
                float[] h = s.hidden[t - 1];
                for (int u = 0; u < units; u++) Vec.axpy(h[u], dz, g[recurrent + u]);
                Arrays.fill(dh, 0f);
                for (int q = 0; q < g4; q++) Vec.axpy(dz[q], recurrentT[q], dh);
            }
        }
    }
}
