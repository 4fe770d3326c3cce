package dev.minnow.trainer;

/**
 * One epoch's figures.
 *
 * @param epoch          1-based epoch number
 * @param loss           mean training loss over the epoch's samples (with dropout active, as Keras reports it)
 * @param validationLoss mean validation loss after the epoch, NaN without a validation part
 * @param seconds        wall time of the epoch
 */
public record EpochStats(int epoch, double loss, double validationLoss, double seconds) {
    /** The loss early stopping watches: the validation loss when there is one, else the training loss. */
    public double monitored() { return Double.isNaN(validationLoss) ? loss : validationLoss; }
}
