package dev.minnow.writer.network;

/**
 * One layer of a {@link FloatNetwork}, with Keras's semantics and weight layouts. A closed set: the writer and the
 * trainer handle every kind.
 */
public sealed interface Layer permits Dense, Lstm, Conv1D, Conv1DTranspose, Dropout, Flatten, Reshape {
    /** The shape of one output sample given one input sample's shape (both without the batch dimension). */
    int[] outputShape(int[] inputShape);
}
