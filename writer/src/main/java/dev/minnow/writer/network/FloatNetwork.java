package dev.minnow.writer.network;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A trained float network as Keras describes it: the shape of one input sample (without the batch dimension) and
 * the layers in order, each with its weights in Keras's layout. The trainer produces it; the writer turns it into a
 * float {@code .tflite} and the post-training quantizer into an int8 one. Weight arrays are owned by the record
 * (callers must not change them after construction).
 *
 * @param name       a name for the model (written as its description)
 * @param inputShape one sample's shape: {@code [features]} for dense models, {@code [timesteps, channels]} for
 *                   LSTM and 1-D convolutional models
 * @param layers     the layers, applied in order
 */
public record FloatNetwork(String name, int[] inputShape, List<Layer> layers) {
    public FloatNetwork {
        Objects.requireNonNull(name, "name");
        inputShape = inputShape.clone();
        for (int d : inputShape) {
            if (d <= 0) throw new IllegalArgumentException("input shape " + Arrays.toString(inputShape) + " has a dimension <= 0");
        }
        layers = List.copyOf(layers);
        if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
    }

    @Override public int[] inputShape() { return inputShape.clone(); }
}
