package dev.minnow.trainer;

import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;
import java.util.BitSet;
import java.util.Locale;

/**
 * Compares the trainer's backpropagated gradients of a batch loss (parameters and inputs) with central finite
 * differences of the same loss, evaluated with the same dropout masks.
 */
class GradientCheck {
    /** The outcome: how many derivatives were compared, skipped at a kink, and the worst error found. */
    record Outcome(int compared, int skippedAtKinks, double worstError, String worstWhere, int failures, String firstFailure) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "%d compared, %d skipped at kinks, worst error/tolerance %.3g at %s, %d failures%s",
                    compared, skippedAtKinks, worstError, worstWhere, failures, failures > 0 ? " (first: " + firstFailure + ")" : "");
        }
    }

    private final Net net;
    private final float[] params;
    private final float[][] x;
    private final float[][] y;
    private final Loss loss;
    private final Worker worker;
    private final double eps;
    private final double atol;
    private final double rtol;

    GradientCheck(FloatNetwork network, float[][] x, float[][] y, Loss loss, double eps, double atol, double rtol) {
        this.net = Net.of(network);
        this.params = net.flat(net.params(network));
        this.x = x;
        this.y = y;
        this.loss = loss;
        this.worker = new Worker(net);
        this.eps = eps;
        this.atol = atol;
        this.rtol = rtol;
    }

    /** The regimes of every kink seen by the last {@link #loss} evaluation. */
    private BitSet pattern = new BitSet();

    /** The batch loss as the trainer defines it (mean over samples and output elements), with fixed dropout masks. */
    double loss(float[] flat, float[][] inputs) {
        float[][] p = net.rows(flat);
        net.refresh(p);
        double s = 0;
        BitSet bits = new BitSet();
        int bit = 0;
        for (int i = 0; i < inputs.length; i++) {
            float[] out = worker.forward(p, inputs[i], seed(i), true);
            s += loss.sum(out, y[i]);
            for (int l = 0; l < net.layers.size(); l++) {
                Activation a = activation(net.layers.get(l));
                if (a != Activation.RELU && a != Activation.RELU6) continue;
                for (float[] row : worker.activation(l)) {
                    for (float v : row) {
                        bits.set(bit++, v > 0f);
                        bits.set(bit++, v < 6f);
                    }
                }
            }
            if (loss == Loss.MAE) for (int j = 0; j < out.length; j++) bits.set(bit++, out[j] > y[i][j]);
        }
        pattern = bits;
        return s / ((double) inputs.length * net.outSize);
    }

    private static Activation activation(Layer layer) {
        if (layer instanceof Dense d) return d.activation();
        if (layer instanceof Conv1D c) return c.activation();
        if (layer instanceof Conv1DTranspose c) return c.activation();
        return Activation.LINEAR;
    }

    private static long seed(int i) { return 1000 + i; }

    /** Runs the comparison over every parameter and every input value. */
    Outcome run() {
        float[][] rows = net.rows(params);
        net.refresh(rows);
        worker.clearGradient();
        float scale = 1f / ((float) x.length * net.outSize);
        float[][] inputGrad = new float[x.length][];
        for (int i = 0; i < x.length; i++) {
            worker.forward(rows, x[i], seed(i), true);
            loss.gradient(worker.output(), y[i], scale, worker.outputGradient());
            worker.backward(rows, true);
            inputGrad[i] = worker.inputGradient();
        }
        float[] analytic = net.flat(worker.paramGrad);
        Tally t = new Tally();
        for (int k = 0; k < params.length; k++) {
            float[] p = params.clone();
            int at = k;
            double d = difference(v -> { p[at] = v; return loss(p, x); }, params[k]);
            t.add(analytic[k], d, "param " + k);
        }
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[i].length; j++) {
                float[][] xs = new float[x.length][];
                for (int s = 0; s < x.length; s++) xs[s] = x[s].clone();
                int si = i;
                int sj = j;
                double d = difference(v -> { xs[si][sj] = v; return loss(params, xs); }, x[i][j]);
                t.add(inputGrad[i][j], d, "input " + i + "[" + j + "]");
            }
        }
        return new Outcome(t.compared, t.skipped, t.worst, t.worstWhere, t.failures, t.firstFailure);
    }

    private interface Eval { double at(float v); }

    /**
     * The central difference at {@code v} (the step as actually represented in float), or NaN when a kink's regime
     * differs between {@code v - h}, {@code v} and {@code v + h}.
     */
    private double difference(Eval f, float v) {
        float h = (float) (eps * Math.max(1.0, Math.abs(v)));
        float up = v + h;
        float down = v - h;
        f.at(v);
        BitSet at = pattern;
        double fu = f.at(up);
        boolean same = pattern.equals(at);
        double fd = f.at(down);
        same &= pattern.equals(at);
        return same ? (fu - fd) / ((double) up - down) : Double.NaN;
    }

    private final class Tally {
        int compared;
        int skipped;
        int failures;
        double worst;
        String worstWhere = "-";
        String firstFailure = "";

        void add(double analytic, double central, String where) {
            if (Double.isNaN(central)) {
                skipped++;
                return;
            }
            compared++;
            double err = Math.abs(analytic - central) / (atol + rtol * Math.max(Math.abs(analytic), Math.abs(central)));
            if (err > worst) {
                worst = err;
                worstWhere = String.format(Locale.ROOT, "%s (analytic %.6g, numeric %.6g)", where, analytic, central);
            }
            if (err > 1) {
                if (failures == 0) firstFailure = String.format(Locale.ROOT, "%s: analytic %.6g, numeric %.6g", where, analytic, central);
                failures++;
            }
        }
    }
}
