package dev.minnow.trainer;

import dev.minnow.writer.network.FloatNetwork;

/**
 * Runs a {@link FloatNetwork} in float with the trainer's own forward pass (dropout off), e.g. to compare with the
 * engine running the written model. Calls are serialised; use one predictor per thread for parallel work.
 */
public final class FloatPredictor {
    private final Net net;
    private final float[][] params;
    private final Worker worker;

    /** A predictor for {@code network}'s weights as they are now. */
    public FloatPredictor(FloatNetwork network) {
        this.net = Net.of(network);
        this.params = net.params(network);
        net.refresh(params);
        this.worker = new Worker(net);
    }

    /** Values in one input sample. */
    public int inputSize() { return net.inSize; }

    /** Values in one output sample. */
    public int outputSize() { return net.outSize; }

    /** The output for one flat row-major sample. */
    public synchronized float[] predict(float[] sample) {
        return worker.forward(params, sample, 0, false).clone();
    }

    /** The outputs for many samples. */
    public synchronized float[][] predict(float[][] samples) {
        float[][] out = new float[samples.length][];
        for (int i = 0; i < samples.length; i++) {
            try {
                out[i] = worker.forward(params, samples[i], 0, false).clone();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("sample " + i + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
