package dev.minnow.kernels.signal;

import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.kernels.Footprints;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.WorkCount;

/**
 * Arena footprints of TFLM's Signal-library custom ops (signal/micro/kernels). They have no builtin params; their
 * Init allocates a params struct with AllocatePersistentBuffer (16-aligned, like every Init allocation) and, for
 * some, state: rfft its kissfft plan, filter bank its (num_channels + 1) uint64 accumulators, spectral subtraction its
 * uint32 noise estimate. Rfft's Prepare requests a scratch work area of fft_length samples. Struct sizes follow the
 * C layouts on each target (pointers 8 or 4 bytes, aligned to their size).
 */
public final class SignalFootprints {
    private SignalFootprints() {}

    /** SignalWindow, SignalEnergy and SignalFilterBankLog: Init allocates two int32s. */
    public static NodeFootprint twoInts(OperatorInfo op, SubgraphInfo g, Target t) { return init(op, g, 8); }

    /** SignalPCAN: Init allocates int snr_shift. */
    public static NodeFootprint pcan(OperatorInfo op, SubgraphInfo g, Target t) { return init(op, g, 4); }

    /** SignalFftAutoScale and SignalFilterBankSquareRoot: no Init. */
    public static NodeFootprint noInit(OperatorInfo op, SubgraphInfo g, Target t) { return init(op, g); }

    /** SignalFilterBank: FilterbankConfig {int32; 5 x const int16_t*; int32 x 2}, then its uint64_t accumulators. */
    public static NodeFootprint filterBank(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        int config = align(align(4, p) + 5 * p + 8, p);
        int channels = FlexBufferMap.parse(op.customOptions()).getInt("num_channels");
        return init(op, g, config + p, 8 * (channels + 1));
    }

    /** SignalFilterBankSpectralSubtraction: SpectralSubtractionConfig {int32; 7 x uint32; bool}, a pointer and a size, then the noise estimate. */
    public static NodeFootprint spectralSubtraction(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        int params = align(align(36, p) + p + p, p);
        int channels = FlexBufferMap.parse(op.customOptions()).getInt("num_channels");
        return init(op, g, params, 4 * channels);
    }

    /** SignalRfft: TfLiteAudioFrontendRfftParams and the kissfft plan in Init; a work area of fft_length samples as scratch. */
    public static NodeFootprint rfft(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        FlexBufferMap o = FlexBufferMap.parse(op.customOptions());
        int fftLength = o.getInt("fft_length");
        int sample = switch (o.getInt("T")) {
            case 7 -> 2;        // int16
            case 0, 2 -> 4;     // float32, int32
            default -> 0;       // TFLM's Init returns null: nothing allocated
        };
        if (sample == 0) return init(op, g);
        // TfLiteAudioFrontendRfftParams: 4 x int32, TfLiteType, T*, int, int8_t*
        int params = align(align(align(20, p) + p + 4, p) + p, p);
        return new NodeFootprint(0, 4, new int[] {params, kissFftrBytes(fftLength, sample, p)}, new int[0],
                new int[] {fftLength * sample}, Footprints.ALL_TENSORS.of(op, g));
    }

    /** SignalRfft's work: the FFT's butterflies, frames x fft_length x log2(fft_length) element operations. */
    public static WorkCount rfftWork(OperatorInfo op, SubgraphInfo g) {
        TensorInfo in = g.tensor(op.input(0));
        int fftLength = FlexBufferMap.parse(op.customOptions()).getInt("fft_length");
        int last = in.rank() == 0 ? 0 : in.dim(in.rank() - 1);
        long frames = last == 0 ? 0 : in.elementCount() / last;
        long log2 = fftLength <= 0 ? 0 : 63 - Long.numberOfLeadingZeros(fftLength);
        return WorkCount.elements(frames * fftLength * log2);
    }

    /**
     * kiss_fftr_alloc's memory for a real FFT of {@code nfft} samples: the kiss_fftr_state (three pointers), the
     * complex sub-FFT's kiss_fft_state (nfft, inverse, 64 factors, then nfft / 2 twiddles) and 3/4 nfft complex
     * values of buffer and super-twiddles.
     */
    static int kissFftrBytes(int nfft, int sample, int pointer) {
        int n = nfft / 2;
        int cpx = 2 * sample;
        int sub = align(4 + 4 + 4 * 64 + cpx, Math.max(4, sample)) + cpx * (n - 1);
        return 3 * pointer + sub + cpx * (n * 3 / 2);
    }

    private static NodeFootprint init(OperatorInfo op, SubgraphInfo g, int... initBytes) {
        return new NodeFootprint(0, 4, initBytes, new int[0], new int[0], Footprints.ALL_TENSORS.of(op, g));
    }

    private static int align(int x, int a) { return (x + a - 1) / a * a; }
}
