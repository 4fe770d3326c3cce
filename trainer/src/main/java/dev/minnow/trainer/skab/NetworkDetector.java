package dev.minnow.trainer.skab;

import dev.minnow.trainer.FloatPredictor;
import dev.minnow.trainer.Trainer;
import dev.minnow.trainer.TrainingConfig;
import dev.minnow.trainer.TrainingResult;
import dev.minnow.writer.network.FloatNetwork;
import java.util.Objects;

/**
 * A window detector built on a trained network: the network reads rows {@code [0, inputSteps)} of a window and
 * reconstructs or forecasts rows {@code [targetFrom, length)}; a window's score is the sum over features of the mean
 * absolute error over the target rows (the Conv-AE notebook's residual). An autoencoder has
 * {@code inputSteps = length, targetFrom = 0}; a forecaster {@code inputSteps = targetFrom = length - horizon}.
 */
public final class NetworkDetector implements WindowDetector {
    /** Builds the untrained network for a seed. */
    @FunctionalInterface
    public interface Architecture {
        /** The network reading {@code [steps, features]} windows, with weights drawn from {@code seed}. */
        FloatNetwork build(int steps, int features, long seed);
    }

    private final Architecture architecture;
    private final TrainingConfig config;
    private final int features;
    private final int inputSteps;
    private final int targetFrom;
    private final boolean channelMean;
    private FloatPredictor predictor;
    private TrainingResult trained;

    /**
     * @param architecture the network
     * @param config       how to train it (its seed is replaced by the file's)
     * @param features     features per row
     * @param inputSteps   rows of the window the network reads
     * @param targetFrom   first row of the window it predicts
     * @param channelMean  whether the network predicts one value per row, trained against the mean of the features
     *                     (the SKAB Conv-AE's single output filter, whose loss Keras broadcasts over the features)
     */
    public NetworkDetector(Architecture architecture, TrainingConfig config, int features, int inputSteps, int targetFrom, boolean channelMean) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.config = Objects.requireNonNull(config, "config");
        this.features = features;
        this.inputSteps = inputSteps;
        this.targetFrom = targetFrom;
        this.channelMean = channelMean;
    }

    /** The untrained network this detector would build for {@code seed}. */
    public FloatNetwork architecture(long seed) { return architecture.build(inputSteps, features, seed); }

    /** The trained network and its history (after {@link #fit}). */
    public TrainingResult trained() { return trained; }

    @Override public String detail() {
        if (trained == null) return "";
        return String.format(java.util.Locale.ROOT, "%d epochs (best %d, val %.4f)", trained.history().size(), trained.bestEpoch(),
                trained.best().validationLoss());
    }

    @Override public void fit(float[][] windows, long seed) {
        int length = windows[0].length / features;
        float[][] x = new float[windows.length][];
        float[][] y = new float[windows.length][];
        for (int i = 0; i < windows.length; i++) {
            x[i] = input(windows[i]);
            y[i] = target(windows[i], length);
        }
        FloatNetwork net = architecture.build(inputSteps, features, seed);
        trained = new Trainer(config.withSeed(seed)).fit(net, x, y);
        predictor = new FloatPredictor(trained.network());
    }

    @Override public double[] scores(float[][] windows) {
        if (predictor == null) throw new IllegalStateException("fit first");
        int length = windows[0].length / features;
        int rows = length - targetFrom;
        double[] s = new double[windows.length];
        for (int i = 0; i < windows.length; i++) {
            float[] w = windows[i];
            float[] out = predictor.predict(input(w));
            double sum = 0;
            for (int t = 0; t < rows; t++) {
                for (int c = 0; c < features; c++) {
                    float p = channelMean ? out[t] : out[t * features + c];
                    sum += Math.abs(w[(targetFrom + t) * features + c] - p);
                }
            }
            s[i] = sum / rows;
        }
        return s;
    }

    private float[] input(float[] w) {
        if (inputSteps * features == w.length) return w;
        float[] x = new float[inputSteps * features];
        System.arraycopy(w, 0, x, 0, x.length);
        return x;
    }

    private float[] target(float[] w, int length) {
        int rows = length - targetFrom;
        if (!channelMean) {
            float[] y = new float[rows * features];
            System.arraycopy(w, targetFrom * features, y, 0, y.length);
            return y;
        }
        float[] y = new float[rows];
        for (int t = 0; t < rows; t++) {
            double m = 0;
            for (int c = 0; c < features; c++) m += w[(targetFrom + t) * features + c];
            y[t] = (float) (m / features);
        }
        return y;
    }
}
