package dev.minnow.arena;

import dev.minnow.model.FlexBufferMap;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;

/**
 * Arena footprints of TFLM's Signal-library custom ops (signal/micro/kernels). They have no builtin params; their
 * Init allocates a params struct with AllocatePersistentBuffer (16-aligned, like every Init allocation) and, for
 * some, state: rfft its kissfft plan, filter bank its (num_channels + 1) uint64 accumulators, spectral subtraction its
 * uint32 noise estimate. Rfft's Prepare requests a scratch work area of fft_length samples. Struct sizes follow the
 * C layouts on each target (pointers 8 or 4 bytes, aligned to their size).
 */
final class SignalFootprints {
    private SignalFootprints() {}

    /** Whether {@link #of} models this operator. */
    static boolean handles(OperatorInfo op) {
        return op.opCode().isCustom() && switch (op.opCode().customCode()) {
            case "SignalWindow", "SignalFftAutoScale", "SignalRfft", "SignalEnergy", "SignalFilterBank",
                    "SignalFilterBankSquareRoot", "SignalFilterBankSpectralSubtraction", "SignalPCAN",
                    "SignalFilterBankLog" -> true;
            default -> false;
        };
    }

    static NodeFootprint of(OperatorInfo op, SubgraphInfo g, Target t, int[] temps) {
        int p = t.pointerSize();
        int[] none = new int[0];
        return switch (op.opCode().customCode()) {
            case "SignalWindow", "SignalEnergy", "SignalFilterBankLog" -> init(temps, 8);   // two int32s
            case "SignalPCAN" -> init(temps, 4);                                             // int snr_shift
            case "SignalFftAutoScale", "SignalFilterBankSquareRoot" -> init(temps);          // no Init
            case "SignalFilterBank" -> {
                // FilterbankConfig {int32; 5 x const int16_t*; int32 x 2}, then uint64_t* work_area
                int config = align(align(4, p) + 5 * p + 8, p);
                int channels = FlexBufferMap.parse(op.customOptions()).getInt("num_channels");
                yield init(temps, config + p, 8 * (channels + 1));
            }
            case "SignalFilterBankSpectralSubtraction" -> {
                // SpectralSubtractionConfig {int32; 7 x uint32; bool} = 36, then uint32_t* and size_t
                int params = align(align(36, p) + p + p, p);
                int channels = FlexBufferMap.parse(op.customOptions()).getInt("num_channels");
                yield init(temps, params, 4 * channels);
            }
            case "SignalRfft" -> {
                FlexBufferMap o = FlexBufferMap.parse(op.customOptions());
                int fftLength = o.getInt("fft_length");
                int sample = switch (o.getInt("T")) {
                    case 7 -> 2;        // int16
                    case 0, 2 -> 4;     // float32, int32
                    default -> 0;       // TFLM's Init returns null: nothing allocated
                };
                if (sample == 0) yield init(temps);
                // TfLiteAudioFrontendRfftParams: 4 x int32, TfLiteType, T*, int, int8_t*
                int params = align(align(align(20, p) + p + 4, p) + p, p);
                yield new NodeFootprint(0, 4, new int[] {params, kissFftrBytes(fftLength, sample, p)}, none,
                        new int[] {fftLength * sample}, temps);
            }
            default -> throw new IllegalArgumentException("not a Signal-library op: " + op.opCode());
        };
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

    private static NodeFootprint init(int[] temps, int... initBytes) {
        return new NodeFootprint(0, 4, initBytes, new int[0], new int[0], temps);
    }

    private static int align(int x, int a) { return (x + a - 1) / a * a; }
}
