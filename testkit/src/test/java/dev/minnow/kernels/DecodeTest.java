package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.arena.NodeFootprint;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.runtime.Tensor;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TFLM_DECODE (TFLM's tensor decompression) on hand-encoded tensors: the LUT decoder at several index widths with
 * shared, per-channel and alternating-axis value tables and every output type, the Prune decoder with single and
 * per-channel zero points, the Huffman decoder with 16- and 32-bit tables, sub-tables and a code stream crossing words,
 * the arena footprint, and every rejection. tflm_run at /work/tflm does not register TFLM_DECODE, so there is no
 * recorded comparison with the real TFLM; the expectations here are worked out by hand from the encoding.
 */
class DecodeTest {
    /** One output to decode: its type, shape, quantization, encoded bytes and ancillary bytes. */
    private record Out(DataType type, int[] shape, Quantization q, byte[] encoded, byte[] ancillary) {}

    private static Interpreter build(Out... outs) { return build(Target.MCU32, outs); }

    private static Interpreter build(Target target, Out... outs) {
        ModelWriter b = new ModelWriter();
        int[] ins = new int[2 * outs.length], os = new int[outs.length];
        for (int i = 0; i < outs.length; i++) {
            Out o = outs[i];
            ins[2 * i] = b.addConstant("enc" + i, DataType.UINT8, new int[] {o.encoded.length}, null, o.encoded);
            ins[2 * i + 1] = b.addConstant("anc" + i, DataType.UINT8, new int[] {o.ancillary.length}, null, o.ancillary);
            os[i] = b.addTensor("out" + i, o.type, o.shape, o.q);
        }
        b.addCustomOperator("TFLM_DECODE", 1, ins, os, new byte[0]);
        b.setOutputs(os);
        Interpreter it = new Interpreter(Model.load(b.build()), new InterpreterOptions().setArenaSize(64 * 1024).setTarget(target));
        it.allocateTensors();
        return it;
    }

    private static byte[] decodeBytes(Out o) {
        Interpreter it = build(o);
        it.invoke();
        return it.getOutputTensor(0).toByteArray();
    }

    /** A DCM header (type, DCM version 1, decoder version 1, bytes 5 and 6) followed by the table bytes. */
    private static byte[] dcm(int type, int byte5, int byte6, byte[] table) {
        byte[] a = new byte[16 + table.length];
        a[0] = (byte) type;
        a[1] = 1;
        a[4] = 1;
        a[5] = (byte) byte5;
        a[6] = (byte) byte6;
        System.arraycopy(table, 0, a, 16, table.length);
        return a;
    }

    /** Packs indices of {@code width} bits most significant bit first (the test's own encoder). */
    private static byte[] pack(int width, int... indices) {
        byte[] out = new byte[(indices.length * width + 7) / 8];
        int bit = 0;
        for (int v : indices) {
            for (int i = width - 1; i >= 0; i--, bit++) if (((v >> i) & 1) != 0) out[bit >> 3] |= (byte) (0x80 >> (bit & 7));
        }
        return out;
    }

    private static byte[] le(DataType t, double... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (t) {
                case INT8, BOOL -> bb.put((byte) v);
                case INT16 -> bb.putShort((short) v);
                case INT32 -> bb.putInt((int) (long) v);
                case INT64 -> bb.putLong((long) v);
                case FLOAT32 -> bb.putFloat((float) v);
                default -> throw new IllegalArgumentException(t.name());
            }
        }
        return bb.array();
    }

    private static Quantization perChannel(int axis, long... zeroPoints) {
        float[] s = new float[zeroPoints.length];
        java.util.Arrays.fill(s, 0.5f);
        return new Quantization(s, zeroPoints, axis);
    }

    private static final Quantization SINGLE = new Quantization(new float[] {0.25f}, new long[] {0}, 0);

    // ---- LUT ----

    @Test
    void lutPacksIndicesMostSignificantBitFirst() {
        // Width 3, indices 1..7,0: 001 010 011 100 101 110 111 000 = 0x29 0xCB 0xB8, worked out by hand.
        byte[] table = KernelTests.i8(-8, 10, 20, 30, 40, 50, 60, 70);
        byte[] got = decodeBytes(new Out(DataType.INT8, new int[] {8}, null, KernelTests.i8(0x29, 0xCB, 0xB8), dcm(0, 3, 8, table)));
        assertArrayEquals(KernelTests.i8(10, 20, 30, 40, 50, 60, 70, -8), got);
    }

    @Test
    void lutDecodesEveryWidthOnLongRunsThroughTflmsFastPathLengths() {
        // 37 elements: TFLM decodes int8 widths 2, 3 and 4 16 or 32 at a time plus a tail; the bytes must not change.
        for (int width = 1; width <= 7; width++) {
            int n = 37, entries = 1 << width;
            int[] idx = new int[n];
            byte[] expected = new byte[n];
            byte[] table = new byte[entries];
            for (int e = 0; e < entries; e++) table[e] = (byte) (5 * e - 100);
            for (int k = 0; k < n; k++) {
                idx[k] = (k * 7 + 3) % entries;
                expected[k] = table[idx[k]];
            }
            byte[] got = decodeBytes(new Out(DataType.INT8, new int[] {n}, null, pack(width, idx), dcm(0, width, entries, table)));
            assertArrayEquals(expected, got, "width " + width);
        }
    }

    @Test
    void lutPerChannelTablesAlongDimensionZero() {
        // [2, 3] int8, two channels on axis 0, stride 4, width 2: channel 0 reads entries 0-3, channel 1 entries 4-7.
        byte[] table = KernelTests.i8(1, 2, 3, 4, -1, -2, -3, -4);
        byte[] got = decodeBytes(new Out(DataType.INT8, new int[] {2, 3}, perChannel(0, 0, 0), pack(2, 0, 1, 3, 3, 2, 0),
                dcm(0, 2, 4, table)));
        assertArrayEquals(KernelTests.i8(1, 2, 4, -4, -3, -1), got);
    }

    @Test
    void lutChannelsOnTheLastAxisAlternate() {
        // [3, 2] int16, two channels on axis 1 (the last), stride 2, width 1: even elements use table 0, odd table 1.
        byte[] table = le(DataType.INT16, 100, 200, -100, -200);
        byte[] got = decodeBytes(new Out(DataType.INT16, new int[] {3, 2}, perChannel(1, 0, 0), pack(1, 0, 1, 1, 0, 1, 1),
                dcm(0, 1, 2, table)));
        assertArrayEquals(le(DataType.INT16, 100, -200, 200, -100, 200, -200), got);
    }

    @Test
    void lutStrideZeroSharesOneTableAcrossChannels() {
        byte[] table = le(DataType.INT32, 7, -70000);
        byte[] got = decodeBytes(new Out(DataType.INT32, new int[] {2, 2}, perChannel(0, 0, 0), pack(1, 1, 0, 0, 1),
                dcm(0, 1, 0, table)));
        assertArrayEquals(le(DataType.INT32, -70000, 7, 7, -70000), got);
    }

    @Test
    void lutDecodesFloatInt64AndBoolTables() {
        // Width 5 float32, width 7 int64, width 4 bool (bytes copied as stored); only the high bits of byte 5 differ.
        byte[] ft = le(DataType.FLOAT32, 0.5, -1.25, 3e9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 42.75);
        assertArrayEquals(le(DataType.FLOAT32, 42.75, 0.5, -1.25, 3e9),
                decodeBytes(new Out(DataType.FLOAT32, new int[] {4}, null, pack(5, 31, 0, 1, 2), dcm(0, 0xF8 | 5, 32, ft))));
        byte[] lt = new byte[128 * 8];
        ByteBuffer.wrap(lt).order(ByteOrder.LITTLE_ENDIAN).putLong(8 * 127, Long.MIN_VALUE).putLong(8 * 64, 1L << 40);
        assertArrayEquals(le(DataType.INT64, 1L << 40, 0, Long.MIN_VALUE),
                decodeBytes(new Out(DataType.INT64, new int[] {3}, null, pack(7, 64, 5, 127), dcm(0, 7, 128, lt))));
        assertArrayEquals(KernelTests.i8(1, 0, 1),
                decodeBytes(new Out(DataType.BOOL, new int[] {3}, null, pack(4, 15, 2, 15), dcm(0, 4, 16, KernelTests.i8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)))));
    }

    // ---- Prune ----

    @Test
    void pruneFillsClearedBitsWithTheZeroPoint() {
        // Mask 1011 0001 | 1: kept values 5, 6, 7, 8, 9 in order; the others take zero point -3.
        Quantization q = new Quantization(new float[] {0.1f}, new long[] {-3}, 0);
        byte[] got = decodeBytes(new Out(DataType.INT8, new int[] {9}, q, KernelTests.i8(0xB1, 0x80), dcm(2, 0, 0, KernelTests.i8(5, 6, 7, 8, 9))));
        assertArrayEquals(KernelTests.i8(5, -3, 6, 7, -3, -3, -3, 8, 9), got);
    }

    @Test
    void prunePerChannelZeroPointsAlongEitherAxis() {
        // [2, 2] int8, zero points 4 and -4. Axis 0: rows are channels; axis 1 (last): columns alternate.
        byte[] anc = dcm(2, 0, 0, KernelTests.i8(11, 22));
        assertArrayEquals(KernelTests.i8(4, 11, -4, 22),
                decodeBytes(new Out(DataType.INT8, new int[] {2, 2}, perChannel(0, 4, -4), KernelTests.i8(0x50), anc)));
        assertArrayEquals(KernelTests.i8(4, 11, 4, 22),
                decodeBytes(new Out(DataType.INT8, new int[] {2, 2}, perChannel(1, 4, -4), KernelTests.i8(0x50), anc)));
        // All-zero zero points take the per-tensor path, which ignores the channels: two scales need not divide 3.
        assertArrayEquals(KernelTests.i8(0, 11, 22),
                decodeBytes(new Out(DataType.INT8, new int[] {3}, perChannel(0, 0, 0), KernelTests.i8(0x60), anc)));
    }

    @Test
    void pruneWritesZerosForWiderTypes() {
        byte[] got = decodeBytes(new Out(DataType.FLOAT32, new int[] {3}, null, KernelTests.i8(0x40), dcm(2, 0, 0, le(DataType.FLOAT32, -2.5))));
        assertArrayEquals(le(DataType.FLOAT32, 0, -2.5, 0), got);
        got = decodeBytes(new Out(DataType.INT16, new int[] {2, 2}, perChannel(0, 0, 0), KernelTests.i8(0x90), dcm(2, 0, 0, le(DataType.INT16, -7, 300))));
        assertArrayEquals(le(DataType.INT16, -7, 0, 0, 300), got);
    }

    // ---- Huffman ----

    /** A 16-bit symbol entry: {@code codeBits} of the last lookup belong to the code, the rest go back. */
    private static int sym16(int codeBits, int value) { return 0x8000 | codeBits << 11 | (value & 0x7FF); }

    @Test
    void huffmanWith16BitTable() {
        // Initial lookup 2 bits (byte 5 = 0x10): A = '0' (10, one code bit), B = '10' (-5), C = '11' (7), two code bits.
        // A B C A A = 0 10 11 0 0 -> 0101 1000 = 0x58 in the first big-endian word.
        int a = sym16(1, 10);
        byte[] table = le(DataType.INT16, a, a, sym16(2, -5), sym16(2, 7));
        assertArrayEquals(KernelTests.i8(10, -5, 7, 10, 10),
                decodeBytes(new Out(DataType.INT8, new int[] {5}, null, KernelTests.i8(0x58, 0, 0, 0), dcm(1, 0x10, 0, table))));
    }

    @Test
    void huffmanStreamCrossesWordsAndPutsBitsBackIntoThePreviousWord() {
        // Initial lookup 3 bits (0x20): A = '0' (one code bit), B = '10', C = '11' (two). 33 A then C: the lookup
        // at bit 30 takes two bits of word 0 and one of word 1 and returns two, back into word 0.
        int a = sym16(1, 3), c = sym16(2, -9);
        byte[] table = le(DataType.INT16, a, a, a, a, sym16(2, 1), sym16(2, 1), c, c);
        byte[] code = KernelTests.i8(0, 0, 0, 0, 0x60, 0, 0, 0);   // bits 33 and 34 set: 0110 0000 in byte 4 (bits 32-39)
        byte[] expected = new byte[34];
        java.util.Arrays.fill(expected, (byte) 3);
        expected[33] = -9;
        assertArrayEquals(expected, decodeBytes(new Out(DataType.INT8, new int[] {34}, null, code, dcm(1, 0x20, 0, table))));
    }

    @Test
    void huffmanWith32BitTableAndSubTableToInt16() {
        // Initial lookup 1 bit (0x01): '0' -> 1000; '1' -> sub-table at 1 + 1 + next bit: '10' -> -300, '11' -> 2000;
        // each symbol entry says 1 bit of its last lookup is code (bits 27-30), so nothing goes back.
        // Stream 0 10 11 0 = 0101 1000 = 0x58.
        byte[] table = le(DataType.INT32, 0x88000000L | 1000, 1, 0x88000000L | 0xFED4, 0x88000000L | 2000);
        byte[] got = decodeBytes(new Out(DataType.INT16, new int[] {4}, null, KernelTests.i8(0x58, 0, 0, 0), dcm(1, 0x01, 0, table)));
        assertArrayEquals(le(DataType.INT16, 1000, -300, 2000, 1000), got);
        // The same to int8 keeps the low byte of each symbol.
        got = decodeBytes(new Out(DataType.INT8, new int[] {4}, null, KernelTests.i8(0x58, 0, 0, 0), dcm(1, 0x01, 0, table)));
        assertArrayEquals(KernelTests.i8(1000, -300, 2000, 1000), got);
    }

    // ---- several outputs, footprint, work ----

    @Test
    void decodesSeveralOutputsAndReportsTflmsPrepareAllocations() {
        Out lut = new Out(DataType.INT8, new int[] {2}, null, pack(1, 1, 0), dcm(0, 1, 2, KernelTests.i8(-1, 1)));
        Out prune = new Out(DataType.INT8, new int[] {2, 1}, perChannel(0, 3, 0), KernelTests.i8(0x40), dcm(2, 0, 0, KernelTests.i8(9)));
        Out huff = new Out(DataType.INT8, new int[] {1}, null, KernelTests.i8(0, 0, 0, 0), dcm(1, 0, 0, le(DataType.INT16, sym16(1, 5), sym16(1, 6))));
        Interpreter it = build(lut, prune, huff);
        it.invoke();
        assertArrayEquals(KernelTests.i8(1, -1), it.getOutputTensor(0).toByteArray());
        assertArrayEquals(KernelTests.i8(3, 9), it.getOutputTensor(1).toByteArray());
        assertArrayEquals(KernelTests.i8(5), it.getOutputTensor(2).toByteArray());
        assertEquals(5, it.nodeWork(0).elementOps());
        NodeFootprint f = it.nodeFootprint(0);
        // Three DecodeState pointers; DecodeStateLut, DecodeStatePrune and its two zero points, DecodeStateHuffman.
        assertArrayEquals(new int[] {12, 36, 40, 2, 28}, f.prepareBytes());
        assertEquals(0, f.initBytes().length);
        // On a 64-bit host the pointers, size_t fields and so the state objects double (padded to 8).
        assertArrayEquals(new int[] {24, 72, 80, 2, 56}, build(Target.HOST64, lut, prune, huff).nodeFootprint(0).prepareBytes());
        // In the tail each Prepare allocation is 16-aligned: 16 + 48 + 48 + 16 + 32 = 160 bytes of kernel data.
        assertEquals(160, it.arenaReport().breakdown().opData());
    }

    // ---- rejections ----

    private static void rejects(String fragment, Out... outs) {
        MinnowException e = assertThrows(MinnowException.class, () -> build(outs));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void rejectsAtInvoke(String fragment, Out out) {
        Interpreter it = build(out);
        MinnowException e = assertThrows(MinnowException.class, it::invoke);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static final byte[] LUT1 = dcm(0, 1, 2, KernelTests.i8(0, 1));

    @Test
    void rejectsWhatTflmRejects() {
        byte[] badDcm = LUT1.clone();
        badDcm[1] = 2;
        rejects("DCM version 2 != 1", new Out(DataType.INT8, new int[] {2}, null, KernelTests.i8(0), badDcm));
        byte[] badDecoder = LUT1.clone();
        badDecoder[4] = 0;
        rejects("unsupported version 0", new Out(DataType.INT8, new int[] {2}, null, KernelTests.i8(0), badDecoder));
        rejects("custom decode type (127) not yet supported", new Out(DataType.INT8, new int[] {2}, null, KernelTests.i8(0), dcm(127, 0, 0, new byte[4])));
        rejects("unsupported decode type 3", new Out(DataType.INT8, new int[] {2}, null, KernelTests.i8(0), dcm(3, 0, 0, new byte[4])));
        rejects("unsupported quantization axis 1",
                new Out(DataType.INT8, new int[] {2, 2, 1}, perChannel(1, 0, 0), KernelTests.i8(0), LUT1));
        rejects("All zero-points must be zero",
                new Out(DataType.INT16, new int[] {2}, new Quantization(new float[] {1f}, new long[] {2}, 0), KernelTests.i8(0), dcm(2, 0, 0, new byte[4])));
        rejects("16-bit tables decode int8 only",
                new Out(DataType.INT16, new int[] {1}, null, new byte[4], dcm(1, 0, 0, le(DataType.INT16, sym16(0, 1)))));
        rejects("index bit width 0", new Out(DataType.INT8, new int[] {2}, null, KernelTests.i8(0), dcm(0, 0, 2, KernelTests.i8(0, 1))));
    }

    @Test
    void rejectsUnsupportedOutputTypesAtInvokeAsTflmDoes() {
        rejectsAtInvoke("LUT decoder: unsupported tensor type uint8", new Out(DataType.UINT8, new int[] {2}, null, KernelTests.i8(0), LUT1));
        rejectsAtInvoke("Prune decoder: unsupported tensor type uint8", new Out(DataType.UINT8, new int[] {2}, null, KernelTests.i8(0), dcm(2, 0, 0, new byte[0])));
        rejectsAtInvoke("Huffman decoder: unsupported tensor type int32",
                new Out(DataType.INT32, new int[] {1}, null, new byte[4], dcm(1, 1, 0, le(DataType.INT32, 0x80000000L | 5))));
    }

    @Test
    void rejectsAMiscountedNodeAndNonConstantInputs() {
        ModelWriter b = new ModelWriter();
        int enc = b.addConstant("enc", DataType.UINT8, new int[] {1}, null, KernelTests.i8(0));
        int out = b.addTensor("out", DataType.INT8, new int[] {2}, null);
        b.addCustomOperator("TFLM_DECODE", 1, new int[] {enc}, new int[] {out}, new byte[0]);
        b.setOutputs(out);
        MinnowException e = assertThrows(MinnowException.class, () -> new Interpreter(Model.load(b.build())).allocateTensors());
        assertTrue(e.getMessage().contains("has 1 inputs for 1 outputs, expected 2"), e.getMessage());

        ModelWriter v = new ModelWriter();
        int in = v.addTensor("in", DataType.UINT8, new int[] {1}, null);
        int anc = v.addConstant("anc", DataType.UINT8, new int[] {LUT1.length}, null, LUT1);
        int o = v.addTensor("out", DataType.INT8, new int[] {2}, null);
        v.addCustomOperator("TFLM_DECODE", 1, new int[] {in, anc}, new int[] {o}, new byte[0]);
        v.setInputs(in).setOutputs(o);
        e = assertThrows(MinnowException.class, () -> new Interpreter(Model.load(v.build())).allocateTensors());
        assertTrue(e.getMessage().contains("is not constant"), e.getMessage());
    }

    @Test
    void rejectsEncodingsThatWouldReadPastTheirTensors() {
        rejects("less than the 16-byte DCM header", new Out(DataType.INT8, new int[] {2}, null, KernelTests.i8(0), KernelTests.i8(0, 1, 0, 0, 1)));
        rejects("needs value-table entry 3", new Out(DataType.INT8, new int[] {2}, null, pack(2, 3, 0), dcm(0, 2, 3, KernelTests.i8(1, 2, 3))));
        rejects("need 3 bytes", new Out(DataType.INT8, new int[] {3}, null, KernelTests.i8(0), dcm(0, 7, 8, new byte[128])));
        rejects("takes kept value 1, the ancillary tensor holds 1", new Out(DataType.INT8, new int[] {3}, null, KernelTests.i8(0xE0), dcm(2, 0, 0, KernelTests.i8(1))));
        rejects("do not split into 2 channels", new Out(DataType.INT8, new int[] {3}, perChannel(0, 0, 0), KernelTests.i8(0), LUT1));
        int a = sym16(1, 1);
        rejects("take 40 bits", new Out(DataType.INT8, new int[] {40}, null, new byte[4], dcm(1, 0, 0, le(DataType.INT16, a, a))));
        rejects("looks up table entry 1", new Out(DataType.INT8, new int[] {1}, null, KernelTests.i8(0x80, 0, 0, 0), dcm(1, 0, 0, le(DataType.INT16, a))));
    }
}
