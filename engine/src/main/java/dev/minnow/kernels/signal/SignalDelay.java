package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * The Signal library's SignalDelay (TFLM signal/micro/kernels/delay.cc): each row of the int16 input (its last
 * dimension is a frame) streams through a ring buffer primed with {@code delay_length} zeros, so the output is the
 * input delayed by that many samples, row by row, across invokes. Reset re-primes the rings. Custom options:
 * {@code delay_length}.
 */
public final class SignalDelay implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "delay_length");
        int delay = SignalSupport.intOption(node, opts, "delay_length");
        SignalSupport.counts(node, 1, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.INT16, -1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.INT16, -1, "output");
        int frame = in.dim(in.rank() - 1);
        node.require(frame > 0, "input %s has empty frames", in.describe());
        node.require(delay >= 0, "delay_length %d is negative", delay);
        node.require((long) frame + delay <= Integer.MAX_VALUE / 4, "frame %d plus delay_length %d is too long", frame, delay);
        int rows = in.numElements() / frame;
        node.require(out.numElements() >= in.numElements(), "output has %d elements, input %d", out.numElements(), in.numElements());
        SignalCircularBuffer[] rings = new SignalCircularBuffer[rows];
        for (int r = 0; r < rows; r++) {
            rings[r] = new SignalCircularBuffer(frame + delay);
            rings[r].writeZeros(delay);
        }
        return new PreparedOp() {
            @Override public void eval() {
                byte[] ia = in.array(), oa = out.array();
                for (int r = 0; r < rows; r++) {
                    int at = 2 * r * frame;
                    rings[r].write(ia, in.offset() + at, frame);
                    rings[r].get(frame, oa, out.offset() + at);
                    rings[r].discard(frame);
                }
            }

            @Override public void reset() {
                for (SignalCircularBuffer ring : rings) {
                    ring.reset();
                    ring.writeZeros(delay);
                }
            }
        };
    }
}
