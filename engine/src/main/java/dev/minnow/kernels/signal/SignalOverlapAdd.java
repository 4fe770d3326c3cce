package dev.minnow.kernels.signal;

import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

import java.util.Arrays;

/**
 * The Signal library's SignalOverlapAdd (TFLM signal/micro/kernels/overlap_add.cc), int16 or float32: the input holds
 * frames of {@code frame_size} samples ([..., frames, frame_size]); each frame is added into a per-row accumulator of
 * frame_size samples (int16 saturating), whose first {@code frame_step} samples go to the output ([..., frames x
 * step] as [..., frames * frame_step]) before it shifts left by the step and fills with zeros. The accumulators
 * persist across invokes; reset zeroes them. Custom options: {@code T} (TensorType code) and {@code frame_step}.
 */
public final class SignalOverlapAdd implements OpKernel {
    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "T", "frame_step");
        int typeCode = SignalSupport.intOption(node, opts, "T");
        int step = SignalSupport.intOption(node, opts, "frame_step");
        DataType type = DataType.forCode(typeCode);
        node.require(type == DataType.INT16 || type == DataType.FLOAT32,
                "option T = %d is not a type TFLM's overlap_add supports (int16 or float32)", typeCode);
        SignalSupport.counts(node, 1, 1);
        Tensor in = SignalSupport.input(node, 0, type, -1, "input");
        node.require(in.rank() >= 2, "input %s needs frames and samples (rank >= 2)", in.describe());
        Tensor out = SignalSupport.output(node, 0, type, in.rank() - 1, "output");
        int size = in.dim(in.rank() - 1), frames = in.dim(in.rank() - 2);
        node.require(size > 0 && frames > 0, "input %s has no frames or no samples", in.describe());
        int rows = in.numElements() / (size * frames);
        node.require(step >= 0 && step <= size, "frame_step %d outside 0..frame_size %d", step, size);
        node.require((long) rows * frames * step <= out.numElements(), "output %s holds fewer than %d samples",
                out.describe(), (long) rows * frames * step);
        boolean isFloat = type == DataType.FLOAT32;
        node.reserveHeap((isFloat ? 4L : 2L) * rows * size, "the overlap-add buffers");
        float[][] fbuf = isFloat ? new float[rows][size] : null;
        short[][] sbuf = isFloat ? null : new short[rows][size];
        return new PreparedOp() {
            @Override public void eval() {
                byte[] ia = in.array(), oa = out.array();
                int sample = isFloat ? 4 : 2;
                for (int r = 0; r < rows; r++) {
                    for (int f = 0; f < frames; f++) {
                        int frame = r * frames + f;
                        int ii = in.offset() + sample * frame * size, oi = out.offset() + sample * frame * step;
                        if (isFloat) {
                            float[] b = fbuf[r];
                            for (int i = 0; i < size; i++) b[i] += LittleEndian.getFloat(ia, ii + 4 * i);
                            for (int i = 0; i < step; i++) LittleEndian.putFloat(oa, oi + 4 * i, b[i]);
                            System.arraycopy(b, step, b, 0, size - step);
                            Arrays.fill(b, size - step, size, 0f);
                        } else {
                            short[] b = sbuf[r];
                            for (int i = 0; i < size; i++) {
                                int sum = LittleEndian.getShort(ia, ii + 2 * i) + b[i];
                                b[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, sum));
                            }
                            for (int i = 0; i < step; i++) LittleEndian.putShort(oa, oi + 2 * i, b[i]);
                            System.arraycopy(b, step, b, 0, size - step);
                            Arrays.fill(b, size - step, size, (short) 0);
                        }
                    }
                }
            }

            @Override public void reset() {
                for (int r = 0; r < rows; r++) {
                    if (isFloat) Arrays.fill(fbuf[r], 0f);
                    else Arrays.fill(sbuf[r], (short) 0);
                }
            }
        };
    }
}
