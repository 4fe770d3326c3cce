package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.model.TensorInfo;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/**
 * TFLM_DECODE's pruning decoder (kernels/decode_state_prune.cc): the encoded input is a bitmask, one bit per output
 * element, most significant bit first; a set bit takes the next of the kept values (after the header, in output
 * order, entries of the output type; float32 copied as its bits), a clear bit the zero point. Only int8 outputs may
 * have non-zero zero points: one per channel (the channels walked as the LUT decoder walks them) when there is more
 * than one channel, otherwise the first (truncated to int8); other types write zeros.
 */
final class DecodePrune implements DecodeState {
    private final NodeContext node;
    private final Tensor out;
    private final byte[] mask, values;
    private final int maskOff, valuesOff, valueCount, elementBytes, count;
    private final Decode.Channels channels;
    private final byte[] zeroPoints;   // one per channel when per-channel, else null
    private final byte singleZeroPoint;

    DecodePrune(NodeContext node, Tensor in, Tensor anc, Tensor out) {
        this.node = node;
        this.out = out;
        Decode.requireDecoderVersion(node, anc);
        Decode.Channels layout = Decode.Channels.of(node, out, false);
        byte single = 0;
        byte[] perChannel = null;
        if (Decode.affine(out)) {
            Quantization q = out.quantization();
            boolean nonZero = hasNonZeroZeroPoint(q);
            node.require(out.dataType() == DataType.INT8 || !nonZero,
                    "Prune decoder: output %s is %s with a non-zero zero point: All zero-points must be zero", out.describe(),
                    out.dataType().lowerName());
            if (layout.count() > 1 && nonZero) {
                perChannel = new byte[layout.count()];
                for (int c = 0; c < perChannel.length; c++) perChannel[c] = (byte) q.zeroPoint(c);
            } else {
                single = (byte) q.zeroPoint(0);
            }
        }
        zeroPoints = perChannel;
        // Only the per-channel int8 path walks the channels.
        channels = perChannel != null ? Decode.Channels.of(node, out, true) : layout;
        singleZeroPoint = single;
        mask = in.array();
        maskOff = in.offset();
        values = anc.array();
        valuesOff = anc.offset() + Decode.DCM_BYTES;
        elementBytes = out.dataType().byteSize();
        valueCount = elementBytes == 0 ? 0 : (anc.numBytes() - Decode.DCM_BYTES) / elementBytes;
        count = out.numElements();
        long needed = (count + 7L) / 8;
        node.require(needed <= in.numBytes(), "Prune decoder: a %d-element mask needs %d bytes, encoded input %s holds %d",
                count, needed, in.describe(), in.numBytes());
    }

    /** Whether any of the channels' zero points (as TFLM's int) is non-zero. */
    private static boolean hasNonZeroZeroPoint(Quantization q) {
        for (int c = 0; c < q.channelCount(); c++) if ((int) q.zeroPoint(c) != 0) return true;
        return false;
    }

    /** Whether TFLM's Setup allocates a per-channel zero-point array for this output (int8, several channels, a non-zero one). */
    static boolean perChannelZeroPoints(TensorInfo out) {
        Quantization q = out.quantization();
        return q.isQuantized() && q.zeroPoints().length > 0 && q.channelCount() > 1 && hasNonZeroZeroPoint(q);
    }

    @Override
    public void decode(byte[] dst, int dstOff) {
        if (dst != null) {
            Decode.requireType(node, out, "Prune", DataType.BOOL, DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32,
                    DataType.INT64);
        } else if (elementBytes == 0) {
            return;
        }
        int next = 0;
        for (int k = 0; k < count; k++) {
            boolean kept = ((mask[maskOff + (k >>> 3)] >>> (7 - (k & 7))) & 1) != 0;
            if (dst == null) {
                if (kept && next >= valueCount) {
                    throw node.fail("Prune decoder: element %d takes kept value %d, the ancillary tensor holds %d", k, next, valueCount);
                }
                if (kept) next++;
                continue;
            }
            int at = dstOff + k * elementBytes;
            if (kept) {
                System.arraycopy(values, valuesOff + next * elementBytes, dst, at, elementBytes);
                next++;
            } else {
                dst[at] = zeroPoints != null ? zeroPoints[channels.channelOf(k)] : singleZeroPoint;
                for (int b = 1; b < elementBytes; b++) dst[at + b] = 0;
            }
        }
    }
}
