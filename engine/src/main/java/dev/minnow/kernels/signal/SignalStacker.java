package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * The Signal library's SignalStacker (TFLM signal/micro/kernels/stacker.cc): each invoke appends the 1-D int16 input
 * ({@code num_channels} values) to a ring of (left + right + 1) frames, the very first frame repeated left-context
 * more times; whenever the ring is full its frames go to output 0 (1-D), the oldest {@code stacker_step} frames are
 * dropped and output 1 (a bool scalar) is true; otherwise output 1 is false and output 0 is left as it was. Reset
 * empties the ring. Custom options: {@code num_channels}, {@code stacker_left_context},
 * {@code stacker_right_context}, {@code stacker_step}.
 */
public final class SignalStacker implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "num_channels", "stacker_left_context", "stacker_right_context", "stacker_step");
        int channels = SignalSupport.intOption(node, opts, "num_channels");
        int left = SignalSupport.intOption(node, opts, "stacker_left_context");
        int right = SignalSupport.intOption(node, opts, "stacker_right_context");
        int stepFrames = SignalSupport.intOption(node, opts, "stacker_step");
        SignalSupport.counts(node, 1, 2);
        Tensor in = SignalSupport.input(node, 0, DataType.INT16, 1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.INT16, 1, "output");
        Tensor valid = SignalSupport.output(node, 1, DataType.BOOL, 0, "output_valid");
        node.require(channels > 0, "num_channels %d must be positive", channels);
        node.require(left >= 0 && right >= 0, "contexts %d and %d must not be negative", left, right);
        long bufferSize = (long) channels * (left + right + 1L);
        node.require(bufferSize <= Integer.MAX_VALUE / 4, "a ring of %d samples is too long", bufferSize);
        node.require(stepFrames >= 0 && stepFrames <= left + right + 1, "stacker_step %d outside 0..%d (the ring's frames)",
                stepFrames, left + right + 1);
        node.require(in.numElements() >= channels, "input %s holds fewer than %d channels", in.describe(), channels);
        node.require(out.numElements() >= bufferSize, "output %s holds fewer than the ring's %d values", out.describe(), bufferSize);
        int size = (int) bufferSize, step = channels * stepFrames;
        SignalCircularBuffer ring = new SignalCircularBuffer(size);
        return new PreparedOp() {
            private boolean hasFirstFrame;

            @Override public void eval() {
                ring.write(in.array(), in.offset(), channels);
                if (!hasFirstFrame) {
                    ring.extend(channels, left);
                    hasFirstFrame = true;
                }
                boolean full = ring.available() >= size;
                if (full) {
                    ring.get(size, out.array(), out.offset());
                    ring.discard(step);
                }
                valid.array()[valid.offset()] = (byte) (full ? 1 : 0);
            }

            @Override public void reset() {
                ring.reset();
                hasFirstFrame = false;
            }
        };
    }
}
