package dev.minnow.emulator.cost;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency model's least-squares fit in log space:
 * {@code cycles = C[core] * S[stack] * sum_k a[k] * exp(d[stack][k]) * x[k]}, with residual
 * {@code ln(predicted cycles) - ln(observed cycles)} per row and ridge priors: {@code ln a[k]} toward the kind's
 * prior, {@code ln C} toward the CoreMark/MHz ratio, {@code ln S} and {@code d} toward 0; the reference core and
 * stack are pinned at factor 1. Solved by Levenberg-Marquardt with the normal matrix accumulated from each row's
 * 2 + 2K non-zeros and a Cholesky solve, so a leave-one-out refit from the full fit's parameters takes milliseconds.
 */
final class LatencyFit {
    static final int K = WorkKind.values().length;
    private static final double PIN = 1e6;

    /** One published row ready for fitting: work amounts, core-class and stack indices, observed cycles. */
    record Sample(double[] x, int core, int stack, double cycles) {}

    private final List<String> cores;
    private final List<String> stacks;
    private final double[] logKindPrior;
    private final double[] logCorePrior;
    private final CostModelSpec.Ridge ridge;
    private final int refCore, refStack;
    private final int p;

    LatencyFit(List<String> cores, List<String> stacks, double[] kindPrior, double[] corePrior, CostModelSpec.Ridge ridge,
               String referenceCore, String referenceStack) {
        this.cores = List.copyOf(cores);
        this.stacks = List.copyOf(stacks);
        this.logKindPrior = new double[K];
        for (int k = 0; k < K; k++) logKindPrior[k] = Math.log(kindPrior[k]);
        this.logCorePrior = new double[cores.size()];
        for (int c = 0; c < cores.size(); c++) logCorePrior[c] = Math.log(corePrior[c]);
        this.ridge = ridge;
        this.refCore = cores.indexOf(referenceCore);
        this.refStack = stacks.indexOf(referenceStack);
        if (refCore < 0 || refStack < 0) throw new IllegalArgumentException("reference core or stack not in the fit");
        this.p = K + cores.size() + stacks.size() + stacks.size() * K;
    }

    int coreIndex(String core) { return cores.indexOf(core); }
    int stackIndex(String stack) { return stacks.indexOf(stack); }
    List<String> cores() { return cores; }
    List<String> stacks() { return stacks; }

    private int ia(int k) { return k; }
    private int ic(int c) { return K + c; }
    private int is(int s) { return K + cores.size() + s; }
    private int id(int s, int k) { return K + cores.size() + stacks.size() + s * K + k; }

    /** The starting point: every parameter at its prior. */
    double[] priorTheta() {
        double[] t = new double[p];
        for (int k = 0; k < K; k++) t[ia(k)] = logKindPrior[k];
        for (int c = 0; c < cores.size(); c++) t[ic(c)] = logCorePrior[c];
        return t;
    }

    /** Predicted cycles of a sample under theta; fills {@code share} (per-kind fraction) when not null. */
    double predict(double[] t, double[] x, int core, int stack, double[] share) {
        double sum = 0;
        double[] w = share != null ? share : new double[K];
        for (int k = 0; k < K; k++) {
            w[k] = x[k] == 0 ? 0 : Math.exp(t[ia(k)] + t[id(stack, k)]) * x[k];
            sum += w[k];
        }
        if (share != null) for (int k = 0; k < K; k++) share[k] /= sum;
        return Math.exp(t[ic(core)] + t[is(stack)]) * sum;
    }

    /** Least-squares cost of theta on the samples, priors included. */
    double cost(double[] t, List<Sample> samples) {
        double c = 0;
        for (Sample s : samples) {
            double r = Math.log(predict(t, s.x(), s.core(), s.stack(), null)) - Math.log(s.cycles());
            c += r * r;
        }
        for (int i = 0; i < p; i++) {
            double w = priorWeight(i), r = t[i] - priorMean(i);
            c += w * r * r;
        }
        return c;
    }

    private double priorWeight(int i) {
        if (i < K) return ridge.kindCoefficients();
        if (i < K + cores.size()) return i - K == refCore ? PIN : ridge.coreFactors();
        if (i < K + cores.size() + stacks.size()) return i - K - cores.size() == refStack ? PIN : ridge.stackFactors();
        return ridge.kindDeltas();
    }

    private double priorMean(int i) {
        if (i < K) return logKindPrior[i];
        if (i < K + cores.size()) return logCorePrior[i - K];
        return 0;
    }

    /** Levenberg-Marquardt from {@code start}; returns the minimiser (a new array). */
    double[] solve(double[] start, List<Sample> samples, int maxIterations) {
        double[] t = start.clone();
        double mu = 1e-3;
        double cost = cost(t, samples);
        double[][] a = new double[p][p];
        double[] g = new double[p];
        double[] share = new double[K];
        int[] nz = new int[2 + 2 * K];
        double[] v = new double[2 + 2 * K];
        for (int it = 0; it < maxIterations; it++) {
            for (double[] row : a) Arrays.fill(row, 0);
            Arrays.fill(g, 0);
            for (Sample s : samples) {
                double r = Math.log(predict(t, s.x(), s.core(), s.stack(), share)) - Math.log(s.cycles());
                int n = 0;
                nz[n] = ic(s.core()); v[n++] = 1;
                nz[n] = is(s.stack()); v[n++] = 1;
                for (int k = 0; k < K; k++) {
                    if (share[k] == 0) continue;
                    nz[n] = ia(k); v[n++] = share[k];
                    nz[n] = id(s.stack(), k); v[n++] = share[k];
                }
                for (int i = 0; i < n; i++) {
                    g[nz[i]] += v[i] * r;
                    double[] ai = a[nz[i]];
                    for (int j = 0; j < n; j++) ai[nz[j]] += v[i] * v[j];
                }
            }
            for (int i = 0; i < p; i++) {
                double w = priorWeight(i);
                a[i][i] += w;
                g[i] += w * (t[i] - priorMean(i));
            }
            boolean improved = false;
            double[] step = null;
            while (mu < 1e12) {
                step = damped(a, g, mu);
                double[] trial = t.clone();
                for (int i = 0; i < p; i++) trial[i] += step[i];
                double c = cost(trial, samples);
                if (c < cost) {
                    t = trial;
                    improved = cost - c > 1e-14 * Math.max(1, cost);
                    cost = c;
                    mu = Math.max(mu / 3, 1e-12);
                    break;
                }
                mu *= 4;
            }
            if (!improved || maxAbs(step) < 1e-10) break;
        }
        return t;
    }

    private double[] damped(double[][] a, double[] g, double mu) {
        double[][] m = new double[p][];
        for (int i = 0; i < p; i++) {
            m[i] = a[i].clone();
            m[i][i] += mu * a[i][i] + 1e-12;
        }
        double[] rhs = new double[p];
        for (int i = 0; i < p; i++) rhs[i] = -g[i];
        return choleskySolve(m, rhs);
    }

    /** Solves m x = b for a symmetric positive definite m (m is overwritten). */
    static double[] choleskySolve(double[][] m, double[] b) {
        int n = b.length;
        for (int j = 0; j < n; j++) {
            double[] mj = m[j];
            double d = mj[j];
            for (int k = 0; k < j; k++) d -= mj[k] * mj[k];
            if (!(d > 0)) throw new IllegalStateException("normal matrix is not positive definite at " + j);
            d = Math.sqrt(d);
            mj[j] = d;
            for (int i = j + 1; i < n; i++) {
                double[] mi = m[i];
                double s = mi[j];
                for (int k = 0; k < j; k++) s -= mi[k] * mj[k];
                mi[j] = s / d;
            }
        }
        double[] y = b.clone();
        for (int i = 0; i < n; i++) {
            double s = y[i];
            for (int k = 0; k < i; k++) s -= m[i][k] * y[k];
            y[i] = s / m[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= m[k][i] * y[k];
            y[i] = s / m[i][i];
        }
        return y;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    // ---------------------------------------------------------------- reading theta

    double kindCoefficient(double[] t, WorkKind k) { return Math.exp(t[ia(k.ordinal())]); }
    double coreFactor(double[] t, int c) { return Math.exp(t[ic(c)]); }
    double stackFactor(double[] t, int s) { return Math.exp(t[is(s)]); }
    double kindFactor(double[] t, int s, WorkKind k) { return Math.exp(t[id(s, k.ordinal())]); }

    /** The per-core factors of theta by name. */
    Map<String, Double> coreFactors(double[] t) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int c = 0; c < cores.size(); c++) m.put(cores.get(c), coreFactor(t, c));
        return m;
    }

    /** Samples of {@code all} except those whose index {@code skip} says. */
    static List<Sample> without(List<Sample> all, java.util.function.IntPredicate skip) {
        List<Sample> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) if (!skip.test(i)) out.add(all.get(i));
        return out;
    }
}
