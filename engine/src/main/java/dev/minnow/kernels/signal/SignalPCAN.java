package dev.minnow.kernels.signal;

import dev.minnow.math.SignalMath;
import dev.minnow.model.DataType;
import dev.minnow.model.FlexBufferMap;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;

/**
 * The Signal library's SignalPCAN (TFLM signal/src/pcan_argc_fixed.cc): per-channel energy normalisation. Each
 * channel's gain comes from the noise estimate through a piecewise-quadratic lookup in the int16 gain table (four
 * coefficients per octave of the estimate), the channel times the gain is shifted right by {@code snr_shift} to a
 * 12-bit-fraction SNR, then compressed: {@code snr^2 / 4} below 2, {@code snr - 1} above, with 6 fractional output
 * bits. Inputs: filter bank output, noise estimate (uint32), gain table (int16, at least 125 entries).
 * Custom options: {@code snr_shift}.
 */
public final class SignalPCAN implements OpKernel {
    private static final int SNR_BITS = 12;
    private static final int OUTPUT_BITS = 6;
    /** Table entries the lookup can reach: index 4 * 32 - 6 + 2 for estimates with bit 31 set. */
    static final int GAIN_LUT_ENTRIES = 125;

    @Override
    public PreparedOp prepare(NodeContext node) {
        FlexBufferMap opts = SignalSupport.options(node, "snr_shift");
        int snrShift = SignalSupport.intOption(node, opts, "snr_shift");
        SignalSupport.counts(node, 3, 1);
        Tensor in = SignalSupport.input(node, 0, DataType.UINT32, 1, "input");
        Tensor noise = SignalSupport.input(node, 1, DataType.UINT32, 1, "noise estimate");
        Tensor lut = SignalSupport.input(node, 2, DataType.INT16, 1, "gain lut");
        Tensor out = SignalSupport.output(node, 0, DataType.UINT32, 1, "output");
        node.require(snrShift >= 0 && snrShift < 64, "snr_shift %d outside 0..63", snrShift);
        int n = in.dim(0);
        node.require(out.numElements() == n, "output has %d elements, input %d", out.numElements(), n);
        node.require(noise.numElements() >= n, "noise estimate has %d elements, input %d", noise.numElements(), n);
        node.require(lut.numElements() >= GAIN_LUT_ENTRIES, "gain lut has %d entries, needs %d", lut.numElements(), GAIN_LUT_ENTRIES);
        return () -> {
            byte[] ia = in.array(), na = noise.array(), la = lut.array(), oa = out.array();
            int io = in.offset(), no = noise.offset(), lo = lut.offset(), oo = out.offset();
            for (int i = 0; i < n; i++) {
                int gain = wideDynamicFunction(LittleEndian.getInt(na, no + 4 * i), la, lo);
                long x = LittleEndian.getInt(ia, io + 4 * i) & 0xFFFFFFFFL;
                int snr = (int) ((x * (gain & 0xFFFFFFFFL)) >>> snrShift);
                LittleEndian.putInt(oa, oo + 4 * i, shrink(snr));
            }
        };
    }

    /** The gain for a noise estimate (unsigned): int16, sign-extended by the caller as C's uint32 conversion does. */
    static int wideDynamicFunction(int x, byte[] lut, int off) {
        if (Integer.compareUnsigned(x, 2) <= 0) return LittleEndian.getShort(lut, off + 2 * x);
        int interval = SignalMath.msb32(x);
        int base = off + 2 * (4 * interval - 6);
        int frac = (interval < 11 ? x << (11 - interval) : x >>> (interval - 11)) & 0x3FF;
        int result = (LittleEndian.getShort(lut, base + 4) * frac) >> 5;
        result += LittleEndian.getShort(lut, base + 2) << 5;
        result *= frac;
        result = (result + (1 << 14)) >> 15;
        result += LittleEndian.getShort(lut, base);
        return (short) result;
    }

    /** PcanShrink: x^2 / 4 for x below 2.0, x - 1 above (12 fractional bits in, 6 out). */
    static int shrink(int x) {
        if (Integer.compareUnsigned(x, 2 << SNR_BITS) < 0) return (x * x) >>> (2 + 2 * SNR_BITS - OUTPUT_BITS);
        return (x >>> (SNR_BITS - OUTPUT_BITS)) - (1 << OUTPUT_BITS);
    }
}
