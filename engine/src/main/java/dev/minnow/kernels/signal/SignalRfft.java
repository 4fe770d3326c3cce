package dev.minnow.kernels.signal;

import dev.minnow.math.fft.KissFftrFixed;
import dev.minnow.math.fft.KissFftrFloat;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.ScratchBuffer;
import dev.minnow.runtime.Tensor;

import java.util.Arrays;

/**
 * The Signal library's SignalRfft (TFLM signal/micro/kernels/rfft.cc): each row of the input (its last dimension) is
 * copied into a scratch work area of {@code fft_length} samples, zero-padded, and transformed by kissfft as TFLM builds
 * it for the tensor type ({@link KissFftrFixed} with 16 or 32 bits for int16 and int32, {@link KissFftrFloat} for
 * float32); each row of the output (its last dimension, read as (real, imaginary) pairs) receives
 * {@code fft_length / 2 + 1} complex values, any further ones left as they are.
 * Custom options: {@code T} (the tensor type, as a TFLite TensorType code) and {@code fft_length}.
 */
public final class SignalRfft implements OpKernel {
    /** minnow's limit: keeps the plan's tables small (int16 FFTs this long divide every input down to zero anyway). */
    static final int MAX_FFT_LENGTH = 1 << 16;

    /** One real FFT of fft_length samples from the work area into an output row. */
    @FunctionalInterface
    private interface Transform {
        void forward(byte[] input, int inputOffset, byte[] output, int outputOffset);
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "T", "fft_length");
        int typeCode = SignalSupport.intOption(node, opts, "T");
        int fftLength = SignalSupport.intOption(node, opts, "fft_length");
        DataType type = DataType.forCode(typeCode);
        node.require(type == DataType.INT16 || type == DataType.INT32 || type == DataType.FLOAT32,
                "option T = %d is not a type TFLM's rfft supports (int16, int32 or float32)", typeCode);
        SignalSupport.counts(node, 1, 1);
        Tensor in = SignalSupport.input(node, 0, type, -1, "input");
        Tensor out = SignalSupport.output(node, 0, type, in.rank(), "output");
        node.require(fftLength > 0 && fftLength % 2 == 0, "fft_length %d must be even and positive", fftLength);
        node.require(fftLength <= MAX_FFT_LENGTH, "fft_length %d exceeds minnow's limit of %d", fftLength, MAX_FFT_LENGTH);
        int inputLength = in.dim(in.rank() - 1);
        int outputLength = out.dim(out.rank() - 1) / 2;
        int bins = fftLength / 2 + 1;
        node.require(inputLength > 0 && inputLength <= fftLength, "input rows of %d samples do not fit fft_length %d", inputLength, fftLength);
        node.require(outputLength >= bins, "output rows hold %d complex values, fft_length %d makes %d", outputLength, fftLength, bins);
        int rows = in.numElements() / inputLength;
        long needed = (long) (rows - 1) * 2 * outputLength + 2L * bins;
        node.require(out.numElements() >= needed, "output has %d elements, %d input rows of %d complex values need %d",
                out.numElements(), rows, outputLength, needed);
        Transform fft = type == DataType.FLOAT32 ? new KissFftrFloat(fftLength)::forward
                : new KissFftrFixed(fftLength, type == DataType.INT16 ? 16 : 32)::forward;
        int sample = type.byteSize();
        ScratchBuffer work = node.scratch(0);   // the work area TFLM's Prepare requests: fft_length samples
        node.require(work.sizeBytes() >= fftLength * sample, "work area of %d bytes for %d samples of %d bytes",
                work.sizeBytes(), fftLength, sample);
        return () -> {
            byte[] ia = in.array(), oa = out.array(), wa = work.array();
            int wo = work.offset();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(ia, in.offset() + sample * r * inputLength, wa, wo, sample * inputLength);
                Arrays.fill(wa, wo + sample * inputLength, wo + sample * fftLength, (byte) 0);
                fft.forward(wa, wo, oa, out.offset() + 2 * sample * r * outputLength);
            }
        };
    }
}
