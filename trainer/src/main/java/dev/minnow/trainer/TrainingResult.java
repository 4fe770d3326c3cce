package dev.minnow.trainer;

import dev.minnow.writer.network.FloatNetwork;
import java.util.List;
import java.util.Objects;

/**
 * What a training produced.
 *
 * @param network      the trained network (the best epoch's weights when the config restores them)
 * @param history      every epoch run, in order
 * @param bestEpoch    the 1-based epoch with the lowest monitored loss
 * @param stoppedEarly whether early stopping ended the training before the last epoch
 * @param seconds      wall time of the whole training
 */
public record TrainingResult(FloatNetwork network, List<EpochStats> history, int bestEpoch, boolean stoppedEarly, double seconds) {
    public TrainingResult {
        Objects.requireNonNull(network, "network");
        history = List.copyOf(history);
    }

    /** The figures of the best epoch. */
    public EpochStats best() { return history.get(bestEpoch - 1); }
}
