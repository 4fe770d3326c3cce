package dev.minnow.trainer.skab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * SKAB's published outlier-detection protocol: for each file, the first {@code trainRows} rows train; features are
 * standardised on them; windows of {@code window} rows; the limit is the {@code quantile} of the training windows'
 * scores times {@code factor}; windows above it become row flags by {@code rule}; rows are scored as binary
 * classification, summed over files.
 *
 * @param trainRows leading rows of each file used for training (400)
 * @param window    window length (60)
 * @param quantile  quantile of the training scores (0.999)
 * @param factor    factor on the quantile (4/3)
 * @param rule      how window verdicts become row flags
 */
public record SkabProtocol(int trainRows, int window, double quantile, double factor, PointRule rule) {
    /** The published settings: 400 training rows, windows of 60, 0.999 quantile times 4/3, the notebook's row rule. */
    public static SkabProtocol published() { return new SkabProtocol(400, 60, 0.999, 4.0 / 3.0, PointRule.REFERENCE); }

    /** This protocol with another row rule. */
    public SkabProtocol withRule(PointRule r) { return new SkabProtocol(trainRows, window, quantile, factor, r); }

    /** This protocol with another threshold quantile and factor. */
    public SkabProtocol withThreshold(double q, double f) { return new SkabProtocol(trainRows, window, q, f, rule); }

    /**
     * One file's outcome.
     *
     * @param name      the file
     * @param limit     the upper control limit
     * @param trainScores the training windows' scores the limit came from
     * @param scores    every window's score (window {@code k} starts at row {@code k})
     * @param flags     per-row flags
     * @param test      the score over the test rows
     * @param whole     the score over all rows (as SKAB's notebooks compute it)
     * @param seconds   wall time of training and scoring
     * @param detail    what the detector reports about its training
     */
    public record FileResult(String name, double limit, double[] trainScores, double[] scores, boolean[] flags, BinaryScore test,
            BinaryScore whole, double seconds, String detail) { }

    /**
     * All files' outcomes.
     *
     * @param files   per file, in input order
     * @param test    summed over the test rows of all files (the protocol's figure)
     * @param whole   summed over all rows of all files
     * @param seconds wall time
     */
    public record Result(List<FileResult> files, BinaryScore test, BinaryScore whole, double seconds) { }

    /** Runs one file with a fresh detector. */
    public FileResult run(SkabFile file, WindowDetector detector, long seed) {
        long t0 = System.nanoTime();
        if (file.rows() < trainRows + window) {
            throw new IllegalArgumentException(file.name() + " has " + file.rows() + " rows, fewer than " + trainRows + " training rows plus a window of " + window);
        }
        float[][] z = Standardizer.fit(file.values(), 0, trainRows).apply(file.values());
        float[][] train = Windows.of(z, 0, trainRows, window);
        detector.fit(train, seed);
        double[] trainScores = detector.scores(train);
        double[] scores = detector.scores(Windows.of(z, 0, z.length, window));
        return judge(file, trainScores, scores, (System.nanoTime() - t0) / 1e9, detector.detail());
    }

    /** Applies this protocol's limit and row rule to scores already computed for {@code file}. */
    public FileResult judge(SkabFile file, double[] trainScores, double[] scores, double seconds, String detail) {
        double limit = Threshold.ucl(trainScores, quantile, factor);
        boolean[] above = new boolean[scores.length];
        for (int k = 0; k < scores.length; k++) above[k] = scores[k] > limit;
        boolean[] flags = rule.flags(above, file.rows(), window);
        return new FileResult(file.name(), limit, trainScores, scores, flags, BinaryScore.of(file.anomaly(), flags, trainRows),
                BinaryScore.of(file.anomaly(), flags, 0), seconds, detail);
    }

    /** Re-judges every file's stored scores with this protocol's limit and rule (no retraining). */
    public Result rejudge(List<SkabFile> files, Result previous) {
        List<FileResult> out = new ArrayList<>();
        BinaryScore test = BinaryScore.EMPTY;
        BinaryScore whole = BinaryScore.EMPTY;
        for (int i = 0; i < files.size(); i++) {
            FileResult p = previous.files().get(i);
            FileResult r = judge(files.get(i), p.trainScores(), p.scores(), p.seconds(), p.detail());
            out.add(r);
            test = test.plus(r.test());
            whole = whole.plus(r.whole());
        }
        return new Result(out, test, whole, previous.seconds());
    }

    /** Runs every file, {@code threads} (1 or 2) files at a time, file {@code i} seeded with {@code seed + i}. */
    public Result run(List<SkabFile> files, Supplier<WindowDetector> detectors, long seed, int threads) {
        if (threads < 1 || threads > 2) throw new IllegalArgumentException("threads " + threads + " must be 1 or 2");
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "skab");
            t.setDaemon(true);
            return t;
        });
        List<Future<FileResult>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < files.size(); i++) {
                SkabFile f = files.get(i);
                long s = seed + i;
                futures.add(pool.submit(() -> run(f, detectors.get(), s)));
            }
            List<FileResult> results = new ArrayList<>();
            BinaryScore test = BinaryScore.EMPTY;
            BinaryScore whole = BinaryScore.EMPTY;
            for (Future<FileResult> fu : futures) {
                FileResult r = fu.get();
                results.add(r);
                test = test.plus(r.test());
                whole = whole.plus(r.whole());
            }
            return new Result(results, test, whole, (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException(c);
        } finally {
            pool.shutdownNow();
        }
    }
}
