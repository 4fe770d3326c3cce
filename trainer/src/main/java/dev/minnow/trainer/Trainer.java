package dev.minnow.trainer;

import dev.minnow.writer.network.FloatNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains a {@link FloatNetwork} with mini-batch Adam. Every batch is split into two fixed halves whose gradients are
 * summed in a fixed order, whether one thread or two compute them, so a seed gives the same weights bit for bit
 * with either thread count.
 */
public final class Trainer {
    /** Each batch is cut into this many shards, each with its own gradient accumulator. */
    static final int SHARDS = 2;
    private final TrainingConfig config;

    /** A trainer with {@code config}. */
    public Trainer(TrainingConfig config) { this.config = Objects.requireNonNull(config, "config"); }

    /** Trains a copy of {@code network} to map each {@code x[i]} to {@code y[i]} (flat row-major samples). */
    public TrainingResult fit(FloatNetwork network, float[][] x, float[][] y) {
        Net net = Net.of(network);
        checkSamples(net, x, y);
        int n = x.length;
        int nTrain = (int) (n * (1.0 - config.validationSplit()));
        if (nTrain < 1) {
            throw new IllegalArgumentException("validation split " + config.validationSplit() + " of " + n + " samples leaves none to train on");
        }
        int nVal = n - nTrain;
        float[][] params = net.params(network);
        net.refresh(params);
        Worker[] workers = new Worker[SHARDS];
        for (int s = 0; s < SHARDS; s++) workers[s] = new Worker(net);
        Adam adam = new Adam(net.rowLengths, config.learningRate(), config.beta1(), config.beta2(), config.epsilon());
        float[][] grad = net.newRows();
        int[] order = new int[nTrain];
        for (int i = 0; i < nTrain; i++) order[i] = i;
        Rng shuffler = new Rng(Rng.derive(config.seed(), 1));
        long dropoutSeed = Rng.derive(config.seed(), 2);
        int batches = (nTrain + config.batchSize() - 1) / config.batchSize();
        Progress progress = config.progress();
        progress.start(config.epochs(), batches, nTrain, nVal);

        ExecutorService pool = config.threads() > 1 ? Executors.newFixedThreadPool(config.threads() - 1, r -> {
            Thread t = new Thread(r, "minnow-trainer");
            t.setDaemon(true);
            return t;
        }) : null;
        long start = System.nanoTime();
        List<EpochStats> history = new ArrayList<>();
        float[][] best = net.newRows();
        Vec.copy(params, best);
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int wait = 0;
        boolean stoppedEarly = false;
        try {
            for (int epoch = 1; epoch <= config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                if (config.shuffle()) shuffler.shuffle(order);
                double lossSum = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * config.batchSize();
                    int to = Math.min(nTrain, from + config.batchSize());
                    float scale = 1f / ((float) (to - from) * net.outSize);
                    long epochSeed = Rng.derive(dropoutSeed, epoch, 0);
                    double[] sums = runShards(pool, from, to, (s, lo, hi) -> {
                        Worker w = workers[s];
                        w.clearGradient();
                        double sum = 0;
                        for (int i = lo; i < hi; i++) {
                            int k = order[i];
                            sum += w.accumulate(params, x[k], y[k], config.loss(), scale, Rng.derive(epochSeed, k, 1));
                        }
                        return sum;
                    });
                    Vec.copy(workers[0].paramGrad, grad);
                    for (int s = 1; s < SHARDS; s++) {
                        for (int r = 0; r < grad.length; r++) Vec.add(workers[s].paramGrad[r], grad[r]);
                    }
                    adam.step(params, grad);
                    net.refresh(params);
                    for (double v : sums) lossSum += v;
                    progress.batch(epoch, b + 1, lossSum / ((double) to * net.outSize));
                }
                double trainLoss = lossSum / ((double) nTrain * net.outSize);
                double valLoss = Double.NaN;
                if (nVal > 0) {
                    double[] sums = runShards(pool, nTrain, n, (s, lo, hi) -> {
                        Worker w = workers[s];
                        double sum = 0;
                        for (int i = lo; i < hi; i++) sum += config.loss().sum(w.forward(params, x[i], 0, false), y[i]);
                        return sum;
                    });
                    double sum = 0;
                    for (double v : sums) sum += v;
                    valLoss = sum / ((double) nVal * net.outSize);
                }
                EpochStats stats = new EpochStats(epoch, trainLoss, valLoss, (System.nanoTime() - t0) / 1e9);
                history.add(stats);
                boolean improved = stats.monitored() < bestLoss;
                if (improved) {
                    bestLoss = stats.monitored();
                    bestEpoch = epoch;
                    Vec.copy(params, best);
                    wait = 0;
                } else {
                    wait++;
                }
                progress.epoch(stats, improved);
                if (!Double.isFinite(trainLoss)) {
                    throw new ArithmeticException("training diverged: the loss of epoch " + epoch + " is " + trainLoss
                            + " (lower the learning rate " + config.learningRate() + "?)");
                }
                if (config.patience() > 0 && wait >= config.patience() && epoch < config.epochs()) {
                    stoppedEarly = true;
                    break;
                }
            }
        } finally {
            if (pool != null) pool.shutdownNow();
        }
        if (bestEpoch == 0) bestEpoch = history.size();
        float[][] result = config.restoreBestWeights() ? best : params;
        TrainingResult r = new TrainingResult(net.network(result), history, bestEpoch, stoppedEarly, (System.nanoTime() - start) / 1e9);
        progress.end(r);
        return r;
    }

    /** Work on samples {@code [lo, hi)} by shard {@code s}, returning a loss sum. */
    @FunctionalInterface
    private interface ShardWork {
        double run(int shard, int lo, int hi);
    }

    /** Runs the shards of {@code [from, to)}, the last ones on the pool when there is one; sums in shard order. */
    private static double[] runShards(ExecutorService pool, int from, int to, ShardWork work) {
        double[] sums = new double[SHARDS];
        int len = to - from;
        @SuppressWarnings("unchecked")
        Future<Double>[] futures = new Future[SHARDS];
        for (int s = 1; s < SHARDS; s++) {
            int lo = from + (int) ((long) len * s / SHARDS);
            int hi = from + (int) ((long) len * (s + 1) / SHARDS);
            int shard = s;
            if (pool != null) futures[s] = pool.submit(() -> work.run(shard, lo, hi));
        }
        sums[0] = work.run(0, from, from + len / SHARDS);
        for (int s = 1; s < SHARDS; s++) {
            int lo = from + (int) ((long) len * s / SHARDS);
            int hi = from + (int) ((long) len * (s + 1) / SHARDS);
            if (pool == null) {
                sums[s] = work.run(s, lo, hi);
            } else {
                try {
                    sums[s] = futures[s].get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("training interrupted", e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error err) throw err;
                    throw new IllegalStateException(c);
                }
            }
        }
        return sums;
    }

    private static void checkSamples(Net net, float[][] x, float[][] y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.length != y.length) throw new IllegalArgumentException(x.length + " input samples but " + y.length + " targets");
        if (x.length == 0) throw new IllegalArgumentException("no samples to train on");
        for (int i = 0; i < x.length; i++) {
            if (x[i] == null || x[i].length != net.inSize) {
                throw new IllegalArgumentException("input sample " + i + " has " + (x[i] == null ? "no" : x[i].length)
                        + " values, the network takes " + net.inSize);
            }
            if (y[i] == null || y[i].length != net.outSize) {
                throw new IllegalArgumentException("target " + i + " has " + (y[i] == null ? "no" : y[i].length)
                        + " values, the network gives " + net.outSize);
            }
        }
    }
}
