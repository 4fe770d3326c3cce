package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.runtime.NodeContext;
import dev.minnow.runtime.Tensor;

/**
 * TFLM_DECODE's Huffman decoder (kernels/decode_state_huffman.cc). The encoded input is a bit stream read in 32-bit
 * big-endian words, most significant bit first. Header byte 5: bit 0 selects 32-bit table entries (else 16-bit, for
 * int8 outputs only), bits 4-7 hold the initial lookup width minus one. Each symbol starts with a lookup of that many
 * bits in the table; an entry without its top bit set points to a sub-table (its low 11 / 27 bits an offset from the
 * current entry's position, bits 11-14 / 27-30 the next lookup width minus one), an entry with it set is the symbol
 * (its low bits, truncated to the output type) and its count field the bits of the last lookup that belong to the
 * code; the other bits of that lookup go back to the stream. Outputs: int8 (either table), int16 (32-bit table).
 */
final class DecodeHuffman implements DecodeState {
    private final NodeContext node;
    private final Tensor out;
    private final String input;
    private final byte[] code, tables;
    private final int codeOff, codeWords, codeBits, tablesOff, tableEntries, initialBits, count;
    private final boolean wideTable;

    // The bit reader: bits left in the held word, the held word, the index of the next word.
    private int headOffset, hold, next;

    DecodeHuffman(NodeContext node, Tensor in, Tensor anc, Tensor out) {
        this.node = node;
        this.out = out;
        this.input = in.describe();
        Decode.requireDecoderVersion(node, anc);
        int sizes = Decode.header(anc, 5);
        wideTable = (sizes & 0x01) != 0;
        initialBits = ((sizes & 0xF0) >>> 4) + 1;
        if (!wideTable) {
            node.require(out.dataType() == DataType.INT8, "Huffman decoder: output %s type %s != int8 (16-bit tables decode int8 only)",
                    out.describe(), out.dataType().lowerName());
        }
        code = in.array();
        codeOff = in.offset();
        codeWords = in.numBytes() / 4;
        codeBits = in.numBytes() * 8;
        tables = anc.array();
        tablesOff = anc.offset() + Decode.DCM_BYTES;
        tableEntries = (anc.numBytes() - Decode.DCM_BYTES) / (wideTable ? 4 : 2);
        count = out.numElements();
    }

    @Override
    public void decode(byte[] dst, int dstOff) {
        int bytes = 1;
        if (dst != null) {
            Decode.requireType(node, out, "Huffman", DataType.INT8, DataType.INT16);
            bytes = out.dataType().byteSize();
        }
        int foundMask = wideTable ? 0x80000000 : 0x8000;
        int countShift = wideTable ? 27 : 11;
        int valueMask = wideTable ? 0x07FFFFFF : 0x07FF;
        if (count > 0) {
            next = 0;
            hold = word(next++);
            headOffset = 32;
        }
        for (int k = 0; k < count; k++) {
            int used = initialBits;
            int position = bits(used);
            int entry = entry(k, position);
            while ((entry & foundMask) == 0) {
                used = ((entry >>> countShift) & 0xF) + 1;
                int index = bits(used);
                position += (entry & valueMask) + index;
                entry = entry(k, position);
            }
            if (dst != null) {
                if (bytes == 1) {
                    dst[dstOff + k] = (byte) entry;
                } else {
                    dst[dstOff + 2 * k] = (byte) entry;
                    dst[dstOff + 2 * k + 1] = (byte) (entry >>> 8);
                }
            }
            int residual = (entry >>> countShift) & 0xF;
            if (used > residual) putBack(used - residual);
        }
        if (dst == null && count > 0) {
            long consumed = 32L * next - headOffset;
            node.require(consumed <= codeBits, "Huffman decoder: %d symbols take %d bits, encoded input %s holds %d",
                    count, consumed, input, codeBits);
        }
    }

    /** Table entry {@code position} (unsigned), failing past the table. */
    private int entry(int k, int position) {
        if (position < 0 || position >= tableEntries) {
            throw node.fail("Huffman decoder: symbol %d looks up table entry %d, the table holds %d", k, position, tableEntries);
        }
        int at = tablesOff + position * (wideTable ? 4 : 2);
        int v = (tables[at] & 0xFF) | (tables[at + 1] & 0xFF) << 8;
        if (wideTable) v |= (tables[at + 2] & 0xFF) << 16 | (tables[at + 3] & 0xFF) << 24;
        return v;
    }

    /** Code word {@code w} (big-endian); past the input's end (which TFLM reads from whatever follows) 0. */
    private int word(int w) {
        if (w >= codeWords) {
            // A last lookup may read beyond the stream bits it then puts back; prepare checks the bits really used.
            int v = 0;
            for (int b = 0; b < 4; b++) {
                int at = 4 * w + b;
                v = v << 8 | (at < codeBits / 8 ? code[codeOff + at] & 0xFF : 0);
            }
            return v;
        }
        int at = codeOff + 4 * w;
        return (code[at] & 0xFF) << 24 | (code[at + 1] & 0xFF) << 16 | (code[at + 2] & 0xFF) << 8 | (code[at + 3] & 0xFF);
    }

    /** The next {@code n} (1 to 16) bits of the stream. */
    private int bits(int n) {
        int result = 0;
        if (n > headOffset) {
            int low = headOffset == 0 ? 0 : hold & ((1 << headOffset) - 1);
            result = low << (n - headOffset);
            n -= headOffset;
            hold = word(next++);
            headOffset = 32;
        }
        result |= (hold >>> (headOffset - n)) & ((1 << n) - 1);
        headOffset -= n;
        return result;
    }

    /** Returns the last {@code n} bits to the stream. */
    private void putBack(int n) {
        headOffset += n;
        if (headOffset > 32) {
            headOffset -= 32;
            next--;
            hold = word(next - 1);
        }
    }
}
