package dev.minnow.trainer;

import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Layer;

/**
 * Size figures of a network for a microcontroller budget: weight count (int8 flash is about one byte each) and the
 * largest input-plus-output activation of one layer (a lower bound on an int8 arena, before the runtime's own
 * tensors, LSTM state and scratch buffers).
 *
 * @param weights          trainable values (kernels and biases)
 * @param largestLayerIo   the largest sum of one layer's input and output element counts
 */
public record NetworkStats(long weights, long largestLayerIo) {
    /** The figures of {@code network}. */
    public static NetworkStats of(FloatNetwork network) {
        Net net = Net.of(network);
        long io = 0;
        int[] shape = network.inputShape();
        for (Layer layer : network.layers()) {
            int[] out = layer.outputShape(shape);
            io = Math.max(io, (long) Op.size(shape) + Op.size(out));
            shape = out;
        }
        return new NetworkStats(net.paramCount, io);
    }
}
