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
     * SignalDelay: Init's params (three int32 and two pointers); Prepare, with its input and output fetched, allocates a
     * state pointer and a ring pointer per row and each row's ring (struct and twice frame + delay samples), and
     * fills them.
     */
    public static NodeFootprint delay(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        TensorInfo in = g.tensor(op.input(0));
        int frame = in.dim(in.rank() - 1);
        int rows = (int) (in.elementCount() / frame);
        int capacity = frame + FlexBufferMap.parse(op.customOptions()).getInt("delay_length");
        return rings(op, g, align(12, p) + 2 * p, rows, p, SignalCircularBuffer.neededBytes(capacity, p));
    }

    /** SignalFramer: as {@link #delay}, params four int32, a bool and two pointers; rings of frame_size rounded up to a whole step. */
    public static NodeFootprint framer(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        FlexBufferMap o = FlexBufferMap.parse(op.customOptions());
        int size = o.getInt("frame_size"), step = o.getInt("frame_step");
        TensorInfo in = g.tensor(op.input(0));
        int rows = (int) (in.elementCount() / in.dim(in.rank() - 1));
        int capacity = (size + step - 1) / step * step;
        return rings(op, g, align(17, p) + 2 * p, rows, p, SignalCircularBuffer.neededBytes(capacity, p));
    }

    private static NodeFootprint rings(OperatorInfo op, SubgraphInfo g, int params, int rows, int p, int ring) {
        int[] prepare = new int[2 + rows];
        prepare[0] = rows * p;
        prepare[1] = rows * p;
        java.util.Arrays.fill(prepare, 2, prepare.length, ring);
        return new NodeFootprint(0, 4, new int[] {params}, prepare, new int[0], writtenWhileFetched(op, g));
    }

    /** The node's tensors fetched, then Prepare's persistent buffers allocated and filled while they are live. */
    private static int[] writtenWhileFetched(OperatorInfo op, SubgraphInfo g) {
        int[] fetched = Footprints.ALL_TENSORS.of(op, g);
        int[] script = java.util.Arrays.copyOf(fetched, fetched.length + 2);
        script[fetched.length] = NodeFootprint.PERSISTENT_HERE;
        script[fetched.length + 1] = NodeFootprint.WRITTEN_HERE;
        return script;
    }

    /** SignalStacker: Init's params (four int32, two size_t, a bool, two pointers) and its ring of channels x (left + right + 1). */
    public static NodeFootprint stacker(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        FlexBufferMap o = FlexBufferMap.parse(op.customOptions());
        int size = o.getInt("num_channels") * (o.getInt("stacker_left_context") + o.getInt("stacker_right_context") + 1);
        int params = align(align(16 + 2 * p + 1, p) + 2 * p, p);
        return init(op, g, params, SignalCircularBuffer.neededBytes(size, p));
    }

    /** SignalOverlapAdd: Init's params (five int32-sized fields, a pointer); Prepare's row pointers and per-row accumulators, filled. */
    public static NodeFootprint overlapAdd(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        TensorInfo in = g.tensor(op.input(0));
        int size = in.dim(in.rank() - 1), frames = in.dim(in.rank() - 2);
        int rows = (int) (in.elementCount() / ((long) size * frames));
        int sample = FlexBufferMap.parse(op.customOptions()).getInt("T") == 7 ? 2 : 4;
        int[] prepare = new int[1 + rows];
        prepare[0] = rows * p;
        java.util.Arrays.fill(prepare, 1, prepare.length, size * sample);
        return new NodeFootprint(0, 4, new int[] {align(20, p) + p}, prepare, new int[0], writtenWhileFetched(op, g));
    }

    /** SignalIrfft: Init's params (five int32-sized fields, a pointer) and the inverse kissfft plan (float: behind a {int32, pointer} header). */
    public static NodeFootprint irfft(OperatorInfo op, SubgraphInfo g, Target t) {
        int p = t.pointerSize();
        FlexBufferMap o = FlexBufferMap.parse(op.customOptions());
        int fftLength = o.getInt("fft_length");
        int params = align(20, p) + p;
        int state = switch (o.getInt("T")) {
            case 7 -> kissFftrBytes(fftLength, 2, p);
            case 2 -> kissFftrBytes(fftLength, 4, p);
            case 0 -> align(4, p) + p + kissFftrBytes(fftLength, 4, p);
            default -> -1;
        };
        if (state < 0) return init(op, g);   // TFLM's Init returns null for other types, allocating nothing (the kernel rejects them)
        return init(op, g, params, state);
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
