package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;

/**
 * The Signal library's SignalFramer (TFLM signal/micro/kernels/framer.cc): each row of the int16 input (its last
 * dimension, a whole number of {@code frame_step} samples) streams into a ring buffer, and every step that completes a
 * frame of {@code frame_size} samples writes it to output 0 (rank one above the input's) and advances by the step.
 * Output 1 (a bool scalar) says whether every frame of the invoke was complete; incomplete frames leave their output
 * slot as it was. With {@code prefill} the rings start with frame_size - frame_step zeros. Reset restores that start.
 * Custom options: {@code frame_size}, {@code frame_step}, {@code prefill}.
 */
public final class SignalFramer implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "frame_size", "frame_step", "prefill");
        int size = SignalSupport.intOption(node, opts, "frame_size");
        int step = SignalSupport.intOption(node, opts, "frame_step");
        boolean prefill = SignalSupport.boolOption(node, opts, "prefill");
        SignalSupport.counts(node, 1, 2);
        Tensor in = SignalSupport.input(node, 0, DataType.INT16, -1, "input");
        Tensor out = SignalSupport.output(node, 0, DataType.INT16, in.rank() + 1, "output");
        Tensor valid = SignalSupport.output(node, 1, DataType.BOOL, 0, "output_valid");
        node.require(step > 0, "frame_step %d must be positive", step);
        node.require(size > 0, "frame_size %d must be positive", size);
        node.require(!prefill || size >= step, "prefill needs frame_size %d >= frame_step %d", size, step);
        int inner = in.dim(in.rank() - 1);
        node.require(inner >= step, "input rows of %d samples are shorter than frame_step %d", inner, step);
        node.require(inner % step == 0, "input rows of %d samples are not a whole number of frame_step %d", inner, step);
        int rows = in.numElements() / inner, frames = inner / step;
        long capacity = ((long) size + step - 1) / step * step;
        node.require(capacity <= Integer.MAX_VALUE / 4, "frame_size %d is too long", size);
        node.require((long) rows * frames * size <= out.numElements(), "output %s holds fewer than %d frames of %d samples",
                out.describe(), rows * frames, size);
        SignalCircularBuffer[] rings = new SignalCircularBuffer[rows];
        for (int r = 0; r < rows; r++) rings[r] = new SignalCircularBuffer((int) capacity);
        Runnable start = () -> {
            for (SignalCircularBuffer ring : rings) {
                ring.reset();
                if (prefill) ring.writeZeros(size - step);
            }
        };
        start.run();
        return new PreparedOp() {
            @Override public void eval() {
                byte[] ia = in.array(), oa = out.array();
                boolean all = true;
                for (int r = 0; r < rows; r++) {
                    for (int f = 0; f < frames; f++) {
                        int index = r * frames + f;
                        rings[r].write(ia, in.offset() + 2 * index * step, step);
                        if (rings[r].available() >= size) {
                            rings[r].get(size, oa, out.offset() + 2 * index * size);
                            rings[r].discard(step);
                        } else {
                            all = false;
                        }
                    }
                }
                valid.array()[valid.offset()] = (byte) (all ? 1 : 0);
            }

            @Override public void reset() { start.run(); }
        };
    }
}
