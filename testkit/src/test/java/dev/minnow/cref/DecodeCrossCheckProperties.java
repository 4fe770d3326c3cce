package dev.minnow.cref;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * TFLM_DECODE: random LUT (widths 1 to 7, every output type, channels on dimension 0 or the last axis, shared
 * tables), Prune (single and per-channel zero points) and Huffman (16- and 32-bit tables with random symbols, code
 * lengths and one level of sub-tables, random code streams) cases: the Java engine and the C reference agree.
 */
class DecodeCrossCheckProperties {
    private static final DataType[] TYPES = {DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.FLOAT32,
            DataType.BOOL};

    private static byte[] header(int type, int b5, int b6, int tableBytes, Random r) {
        byte[] a = new byte[16 + tableBytes];
        for (int i = 16; i < a.length; i++) a[i] = (byte) r.nextInt(256);
        a[0] = (byte) type;
        a[1] = 1;
        a[4] = 1;
        a[5] = (byte) b5;
        a[6] = (byte) b6;
        return a;
    }

    private static CReference.Case decodeCase(String name, byte[] enc, byte[] anc, DataType type, int[] shape, Quantization q) {
        List<CReference.TensorSpec> ts = List.of(
                new CReference.TensorSpec("input0", DataType.UINT8, new int[] {enc.length}, null, enc),
                new CReference.TensorSpec("input1", DataType.UINT8, new int[] {anc.length}, null, anc),
                new CReference.TensorSpec("output", type, shape, q, null));
        return new CReference.Case(name, "TFLM_DECODE", Map.of(), ts);
    }

    private static Quantization channels(int count, int axis, long[] zeroPoints) {
        float[] s = new float[count];
        Arrays.fill(s, 0.5f);
        return new Quantization(s, zeroPoints, axis);
    }

    /** Kind 0 LUT, 1 Prune, 2 Huffman. */
    @Property(tries = 1000, shrinking = ShrinkingMode.FULL)
    void decode(@ForAll @IntRange(min = 0, max = 2) int kind, @ForAll @IntRange(min = 1, max = 4) int channelCount,
                @ForAll @IntRange(min = 1, max = 24) int perChannel, @ForAll long seed) throws Exception {
        Random r = new Random(seed);
        int n = channelCount * perChannel;
        CReference.Case c;
        if (kind == 0) {
            DataType type = TYPES[r.nextInt(TYPES.length)];
            int width = 1 + r.nextInt(7), entries = 1 << width;
            boolean last = r.nextBoolean() && channelCount > 1, shared = r.nextInt(4) == 0;
            int[] shape = last ? new int[] {perChannel, channelCount} : new int[] {channelCount, perChannel};
            Quantization q = channelCount > 1 || r.nextBoolean() ? channels(channelCount, last ? 1 : 0, new long[channelCount]) : null;
            byte[] anc = header(0, width | r.nextInt(32) << 3, shared ? 0 : entries, (shared ? 1 : channelCount) * entries * type.byteSize(), r);
            if (type == DataType.BOOL) for (int i = 16; i < anc.length; i++) anc[i] &= 1;
            byte[] enc = new byte[(n * width + 7) / 8];
            r.nextBytes(enc);
            c = decodeCase("lut_w" + width + "_" + seed, enc, anc, type, shape, q);
        } else if (kind == 1) {
            DataType type = TYPES[r.nextInt(TYPES.length)];
            boolean last = r.nextBoolean() && channelCount > 1;
            long[] zp = new long[channelCount];
            if (type == DataType.INT8 && r.nextBoolean()) for (int i = 0; i < channelCount; i++) zp[i] = r.nextInt(256) - 128;
            int[] shape = last ? new int[] {perChannel, channelCount} : new int[] {channelCount, perChannel};
            Quantization q = channelCount > 1 || r.nextBoolean() ? channels(channelCount, last ? 1 : 0, zp) : null;
            byte[] enc = new byte[(n + 7) / 8];
            r.nextBytes(enc);
            int kept = 0;
            for (int k = 0; k < n; k++) kept += (enc[k >> 3] >> (7 - (k & 7))) & 1;
            c = decodeCase("prune_" + seed, enc, header(2, 0, 0, kept * type.byteSize(), r), type, shape, q);
        } else {
            boolean wide = r.nextBoolean();
            DataType type = wide && r.nextBoolean() ? DataType.INT16 : DataType.INT8;
            int initial = 1 + r.nextInt(4), subWidth = 1 + r.nextInt(3);
            int found = wide ? 0x80000000 : 0x8000, shift = wide ? 27 : 11, valueMask = wide ? 0x07FFFFFF : 0x07FF;
            List<Integer> table = new ArrayList<>();
            List<Integer> pointers = new ArrayList<>();
            for (int i = 0; i < 1 << initial; i++) {
                if (r.nextInt(3) == 0) { pointers.add(i); table.add(0); }
                else table.add(found | r.nextInt(initial + 1) << shift | (r.nextInt() & valueMask));
            }
            for (int p : pointers) {
                table.set(p, (subWidth - 1) << shift | (table.size() - p));
                for (int j = 0; j < 1 << subWidth; j++) table.add(found | r.nextInt(subWidth + 1) << shift | (r.nextInt() & valueMask));
            }
            ByteBuffer t = ByteBuffer.allocate(table.size() * (wide ? 4 : 2)).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : table) { if (wide) t.putInt(v); else t.putShort((short) v); }
            byte[] anc = header(1, (wide ? 1 : 0) | (initial - 1) << 4, 0, 0, r);
            anc = Arrays.copyOf(anc, 16 + t.capacity());
            System.arraycopy(t.array(), 0, anc, 16, t.capacity());
            byte[] enc = new byte[4 * ((n * (initial + subWidth) + 31) / 32)];
            r.nextBytes(enc);
            c = decodeCase("huffman_" + (wide ? 32 : 16) + "_" + seed, enc, anc, type, new int[] {channelCount, perChannel}, null);
        }
        assertNull(CrossCheck.compare(c));
    }
}
