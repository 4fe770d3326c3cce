package dev.minnow.trainer;

import dev.minnow.writer.network.FloatNetwork;

/** Helpers to make test networks and samples. */
final class TestNets {
    private TestNets() {}

    /** {@code network} with every weight (biases too) drawn uniformly from [-scale, scale]. */
    static FloatNetwork randomised(FloatNetwork network, long seed, float scale) {
        Net net = Net.of(network);
        float[] p = new float[net.paramCount];
        Rng rng = new Rng(seed);
        for (int i = 0; i < p.length; i++) p[i] = (float) rng.uniform(-scale, scale);
        return net.network(net.rows(p));
    }

    /** {@code n} samples of {@code size} values uniform in [-scale, scale]. */
    static float[][] samples(int n, int size, long seed, float scale) {
        Rng rng = new Rng(seed);
        float[][] s = new float[n][size];
        for (float[] row : s) for (int i = 0; i < size; i++) row[i] = (float) rng.uniform(-scale, scale);
        return s;
    }
}
