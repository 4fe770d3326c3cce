package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/**
 * TFLM_DECODE's lookup-table decoder (kernels/decode_state_lut.cc): each output element is a value-table entry picked
 * by a 1- to 7-bit index. The indices are packed most significant bit first, one after another in output order across
 * all channels; header byte 5's low three bits give the width, byte 6 the table stride per channel (in elements, 0 for
 * one table shared by all channels); the value tables (entries of the output type) follow the header. TFLM's int8
 * fast paths for widths 2, 3 and 4 produce the same bytes as this general walk.
 */
final class DecodeLut implements DecodeState {
    private final NodeContext node;
    private final Tensor out;
    private final byte[] indices, table;
    private final int indicesOff, indicesBytes, tableOff, tableEntries, elementBytes, width, stride, count;
    private final Decode.Channels channels;

    DecodeLut(NodeContext node, Tensor in, Tensor anc, Tensor out) {
        this.node = node;
        this.out = out;
        Decode.requireDecoderVersion(node, anc);
        channels = Decode.Channels.of(node, out, true);
        width = Decode.header(anc, 5) & 0x07;
        stride = Decode.header(anc, 6);
        // TFLM DCHECKs the width at Invoke; release builds would write table entry 0 everywhere.
        node.require(width > 0, "LUT decoder: index bit width 0 in ancillary input %s (must be 1 to 7)", anc.describe());
        indices = in.array();
        indicesOff = in.offset();
        indicesBytes = in.numBytes();
        table = anc.array();
        tableOff = anc.offset() + Decode.DCM_BYTES;
        elementBytes = out.dataType().byteSize();
        tableEntries = elementBytes == 0 ? 0 : (anc.numBytes() - Decode.DCM_BYTES) / elementBytes;
        count = out.numElements();
        long needed = ((long) count * width + 7) / 8;
        node.require(needed <= indicesBytes, "LUT decoder: %d %d-bit indices need %d bytes, encoded input %s holds %d",
                count, width, needed, in.describe(), indicesBytes);
    }

    @Override
    public void decode(byte[] dst, int dstOff) {
        if (dst != null) {
            Decode.requireType(node, out, "LUT", DataType.BOOL, DataType.FLOAT32, DataType.INT8, DataType.INT16, DataType.INT32,
                    DataType.INT64);
        } else if (elementBytes == 0) {
            return;   // an unsupported output type: TFLM fails at Invoke
        }
        int mask = (1 << width) - 1;
        for (int k = 0; k < count; k++) {
            long bit = (long) k * width;
            int at = indicesOff + (int) (bit >>> 3), within = (int) (bit & 7);
            int pair = (indices[at] & 0xFF) << 8;
            if (within + width > 8) pair |= indices[at + 1] & 0xFF;
            int index = (pair >>> (16 - within - width)) & mask;
            int entry = channels.channelOf(k) * stride + index;
            if (dst == null) {
                if (entry >= tableEntries) {
                    throw node.fail("LUT decoder: element %d needs value-table entry %d (channel %d, index %d), the table holds %d",
                            k, entry, channels.channelOf(k), index, tableEntries);
                }
            } else {
                System.arraycopy(table, tableOff + entry * elementBytes, dst, dstOff + k * elementBytes, elementBytes);
            }
        }
    }
}
