package dev.minnow.kernels.signal;

import dev.minnow.math.fft.KissFft;
import dev.minnow.math.fft.KissFftrFixed;
import dev.minnow.math.fft.KissFftrFloat;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalIrfft (TFLM signal/micro/kernels/irfft.cc): each row of the input (its last dimension
 * read as (real, imaginary) pairs; {@code fft_length / 2 + 1} of them are used) is transformed back by kissfft's
 * inverse real FFT as TFLM builds it for the type ({@link KissFftrFixed} for int16 and int32, whose stages divide by
 * their radix; {@link KissFftrFloat} for float32, then every sample divided by fft_length) into {@code fft_length}
 * samples of the output row. Rows follow each other at the rows' strides, so a short output row is overwritten by
 * the next, as in TFLM. Custom options: {@code T} and {@code fft_length}.
 */
public final class SignalIrfft implements OpKernel {
    /** One inverse real FFT from an input row into an output row. */
    @FunctionalInterface
    private interface Transform {
        void inverse(byte[] input, int inputOffset, byte[] output, int outputOffset);
    }

    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "T", "fft_length");
        int typeCode = SignalSupport.intOption(node, opts, "T");
        int fftLength = SignalSupport.intOption(node, opts, "fft_length");
        DataType type = DataType.forCode(typeCode);
        node.require(type == DataType.INT16 || type == DataType.INT32 || type == DataType.FLOAT32,
                "option T = %d is not a type TFLM's irfft supports (int16, int32 or float32)", typeCode);
        node.require(fftLength > 0 && fftLength % 2 == 0, "fft_length %d must be even and positive", fftLength);
        node.require(!KissFft.crashesTflm(fftLength), "fft_length %d needs kissfft's generic butterfly (half of it is 1 or has a"
                + " prime factor above 5), which crashes TFLM: its build of kissfft allocates that butterfly's scratch as null", fftLength);
        node.require(fftLength <= SignalRfft.MAX_FFT_LENGTH, "fft_length %d exceeds minnow's limit of %d", fftLength,
                SignalRfft.MAX_FFT_LENGTH);
        SignalSupport.counts(node, 1, 1);
        Tensor in = SignalSupport.input(node, 0, type, -1, "input");
        Tensor out = SignalSupport.output(node, 0, type, in.rank(), "output");
        int inputLength = in.dim(in.rank() - 1) / 2, inputSize = in.numElements() / 2;
        int outputLength = out.dim(out.rank() - 1);
        // TFLM loops over input rows by input_length: zero would never end.
        node.require(inputLength > 0, "input rows of %d values hold no complex value", in.dim(in.rank() - 1));
        int rows = (inputSize + inputLength - 1) / inputLength;
        int bins = fftLength / 2 + 1;
        node.require((long) (rows - 1) * inputLength + bins <= inputSize, "input %s holds fewer than %d complex values for its last row",
                in.describe(), bins);
        node.require((long) (rows - 1) * outputLength + fftLength <= out.numElements(), "output %s holds fewer than %d samples for its last row",
                out.describe(), fftLength);
        int sample = type.byteSize();
        boolean isFloat = type == DataType.FLOAT32;
        Transform fft = isFloat ? new KissFftrFloat(fftLength, true)::inverse
                : new KissFftrFixed(fftLength, type == DataType.INT16 ? 16 : 32, true)::inverse;
        float length = fftLength;
        return () -> {
            byte[] ia = in.array(), oa = out.array();
            for (int r = 0; r < rows; r++) {
                int o = out.offset() + sample * r * outputLength;
                fft.inverse(ia, in.offset() + 2 * sample * r * inputLength, oa, o);
                if (isFloat) {
                    for (int i = 0; i < fftLength; i++) LittleEndian.putFloat(oa, o + 4 * i, LittleEndian.getFloat(oa, o + 4 * i) / length);
                }
            }
        };
    }
}
