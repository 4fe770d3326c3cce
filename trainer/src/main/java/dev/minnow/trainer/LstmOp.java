package dev.minnow.trainer;

import java.util.Arrays;

/**
 * Keras LSTM (tanh, recurrent sigmoid, gates in the order input, forget, cell, output; zero initial state for every
 * sample), trained by backpropagation through time.
 */
final class LstmOp extends Op {
    private final int steps;
    private final int in;
    private final int units;
    private final int g4;
    private final boolean returnSequences;
    private final int kOff;
    private final int rOff;
    private final int bOff;

    /** Per-sample caches: gate activations, cell states and their tanh, hidden states, backward temporaries. */
    private static final class Scratch {
        final float[] gates;
        final float[] cell;
        final float[] tanhCell;
        final float[] hidden;
        final float[] dh;
        final float[] dc;
        final float[] dz;

        Scratch(int steps, int units) {
            gates = new float[steps * 4 * units];
            cell = new float[steps * units];
            tanhCell = new float[steps * units];
            hidden = new float[steps * units];
            dh = new float[units];
            dc = new float[units];
            dz = new float[4 * units];
        }
    }

    LstmOp(int[] inShape, int units, boolean returnSequences, int paramOffset) {
        super(inShape, returnSequences ? new int[] {inShape[0], units} : new int[] {units}, paramOffset);
        this.steps = inShape[0];
        this.in = inShape[1];
        this.units = units;
        this.g4 = 4 * units;
        this.returnSequences = returnSequences;
        this.kOff = paramOffset;
        this.rOff = kOff + in * g4;
        this.bOff = rOff + units * g4;
    }

    @Override int paramCount() { return in * g4 + units * g4 + g4; }

    @Override Object newScratch() { return new Scratch(steps, units); }

    @Override void forward(float[] p, float[] x, float[] out, Object scratch, Rng training) {
        Scratch s = (Scratch) scratch;
        float[] z = s.gates;
        for (int t = 0; t < steps; t++) {
            int zo = t * g4;
            System.arraycopy(p, bOff, z, zo, g4);
            for (int i = 0; i < in; i++) Vec.axpy(x[t * in + i], p, kOff + i * g4, z, zo, g4);
            if (t > 0) {
                int ho = (t - 1) * units;
                for (int u = 0; u < units; u++) Vec.axpy(s.hidden[ho + u], p, rOff + u * g4, z, zo, g4);
            }
            int co = t * units;
            for (int u = 0; u < units; u++) {
                float ig = Activations.sigmoid(z[zo + u]);
                float fg = Activations.sigmoid(z[zo + units + u]);
                float cg = Activations.tanh(z[zo + 2 * units + u]);
                float og = Activations.sigmoid(z[zo + 3 * units + u]);
                z[zo + u] = ig;
                z[zo + units + u] = fg;
                z[zo + 2 * units + u] = cg;
                z[zo + 3 * units + u] = og;
                float prev = t > 0 ? s.cell[co - units + u] : 0f;
                float c = fg * prev + ig * cg;
                float tc = Activations.tanh(c);
                s.cell[co + u] = c;
                s.tanhCell[co + u] = tc;
                s.hidden[co + u] = og * tc;
            }
        }
        if (returnSequences) System.arraycopy(s.hidden, 0, out, 0, steps * units);
        else System.arraycopy(s.hidden, (steps - 1) * units, out, 0, units);
    }

    @Override void backward(float[] p, float[] x, float[] out, float[] dOut, float[] dIn, float[] g, Object scratch) {
        Scratch s = (Scratch) scratch;
        float[] dh = s.dh;
        float[] dc = s.dc;
        float[] dz = s.dz;
        Arrays.fill(dh, 0f);
        Arrays.fill(dc, 0f);
        for (int t = steps - 1; t >= 0; t--) {
            if (returnSequences) Vec.add(dOut, t * units, dh, 0, units);
            else if (t == steps - 1) Vec.add(dOut, 0, dh, 0, units);
            int zo = t * g4;
            int co = t * units;
            for (int u = 0; u < units; u++) {
                float ig = s.gates[zo + u];
                float fg = s.gates[zo + units + u];
                float cg = s.gates[zo + 2 * units + u];
                float og = s.gates[zo + 3 * units + u];
                float tc = s.tanhCell[co + u];
                float prev = t > 0 ? s.cell[co - units + u] : 0f;
                float dcu = dh[u] * og * (1f - tc * tc) + dc[u];
                float dog = dh[u] * tc;
                dz[u] = dcu * cg * ig * (1f - ig);
                dz[units + u] = dcu * prev * fg * (1f - fg);
                dz[2 * units + u] = dcu * ig * (1f - cg * cg);
                dz[3 * units + u] = dog * og * (1f - og);
                dc[u] = dcu * fg;
            }
            Vec.add(dz, 0, g, bOff, g4);
            for (int i = 0; i < in; i++) {
                Vec.axpy(x[t * in + i], dz, 0, g, kOff + i * g4, g4);
                if (dIn != null) dIn[t * in + i] = Vec.dot(p, kOff + i * g4, dz, 0, g4);
            }
            if (t > 0) {
                int ho = (t - 1) * units;
                for (int u = 0; u < units; u++) {
                    Vec.axpy(s.hidden[ho + u], dz, 0, g, rOff + u * g4, g4);
                    dh[u] = Vec.dot(p, rOff + u * g4, dz, 0, g4);
                }
            }
        }
    }
}
