package dev.minnow.trainer;

import java.util.Objects;

/**
 * How to train: epochs, mini-batch size, loss, Adam's settings (Keras defaults), the validation split (the last part
 * of the samples, as Keras's {@code validation_split}), early stopping, the seed and the threads.
 *
 * @param epochs             the most epochs to run
 * @param batchSize          samples per update (the last batch of an epoch may be smaller)
 * @param loss               the loss
 * @param learningRate       Adam's learning rate
 * @param beta1              Adam's first-moment decay
 * @param beta2              Adam's second-moment decay
 * @param epsilon            Adam's epsilon
 * @param validationSplit    the fraction of samples, taken from the end before any shuffling, held out for validation
 * @param patience           early stopping: stop after this many epochs without a lower monitored loss (the
 *                           validation loss, or the training loss without a validation part); 0 never stops early
 * @param restoreBestWeights whether the result carries the weights of the epoch with the lowest monitored loss
 * @param shuffle            whether the training samples are shuffled every epoch
 * @param seed               seeds shuffling and dropout (weights are seeded when the network is built)
 * @param threads            1 or 2; the result does not depend on it
 * @param progress           where progress is reported
 */
public record TrainingConfig(int epochs, int batchSize, Loss loss, double learningRate, double beta1, double beta2,
        double epsilon, double validationSplit, int patience, boolean restoreBestWeights, boolean shuffle, long seed,
        int threads, Progress progress) {
    /** The most threads a training uses. */
    public static final int MAX_THREADS = 2;

    public TrainingConfig {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(progress, "progress");
        if (epochs < 1) throw new IllegalArgumentException("epochs " + epochs + " must be >= 1");
        if (batchSize < 1) throw new IllegalArgumentException("batch size " + batchSize + " must be >= 1");
        if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate " + learningRate + " must be > 0");
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas " + beta1 + ", " + beta2 + " must be in [0, 1)");
        }
        if (!(epsilon > 0)) throw new IllegalArgumentException("Adam epsilon " + epsilon + " must be > 0");
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validation split " + validationSplit + " must be in [0, 1)");
        }
        if (patience < 0) throw new IllegalArgumentException("patience " + patience + " must be >= 0");
        if (threads < 1 || threads > MAX_THREADS) throw new IllegalArgumentException("threads " + threads + " must be 1 or 2");
    }

    /**
     * Keras's defaults where Keras has them (Adam 1e-3, 0.9, 0.999, 1e-7; batch 32; shuffling), and 100 epochs, MSE,
     * a 10% validation split, patience 5 with the best weights restored, seed 0, two threads, automatic progress.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(100, 32, Loss.MSE, 1e-3, 0.9, 0.999, 1e-7, 0.1, 5, true, true, 0L,
                Math.min(MAX_THREADS, Math.max(1, Runtime.getRuntime().availableProcessors())), Progress.auto());
    }

    /** This config with {@code epochs}. */
    public TrainingConfig withEpochs(int epochs) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with {@code batchSize}. */
    public TrainingConfig withBatchSize(int batchSize) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with {@code loss}. */
    public TrainingConfig withLoss(Loss loss) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with Adam's learning rate {@code learningRate}. */
    public TrainingConfig withLearningRate(double learningRate) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with {@code validationSplit}. */
    public TrainingConfig withValidationSplit(double validationSplit) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with early stopping after {@code patience} epochs (0: never), restoring the best weights or not. */
    public TrainingConfig withEarlyStopping(int patience, boolean restoreBestWeights) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with shuffling on or off. */
    public TrainingConfig withShuffle(boolean shuffle) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with {@code seed}. */
    public TrainingConfig withSeed(long seed) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config with {@code threads} (1 or 2). */
    public TrainingConfig withThreads(int threads) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }

    /** This config reporting to {@code progress}. */
    public TrainingConfig withProgress(Progress progress) {
        return new TrainingConfig(epochs, batchSize, loss, learningRate, beta1, beta2, epsilon, validationSplit, patience, restoreBestWeights, shuffle, seed, threads, progress);
    }
}
