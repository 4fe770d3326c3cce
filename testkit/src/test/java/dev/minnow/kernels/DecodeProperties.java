package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * TFLM_DECODE against this test's own encoders on random tensors: LUT at every width, output type and channel layout
 * (dimension 0, alternating last axis, stride 0 shared tables), and Prune with single and per-channel zero points. The
 * expectation is the table lookup / mask walk itself, element by element, so any slip in bit order, channel walk or
 * element size shows.
 */
class DecodeProperties {
    private static final DataType[] TYPES = {DataType.INT8, DataType.INT16, DataType.INT32, DataType.INT64, DataType.FLOAT32,
            DataType.BOOL};

    private static byte[] decode(DataType type, int[] shape, Quantization q, byte[] enc, byte[] anc) {
        ModelWriter b = new ModelWriter();
        int e = b.addConstant("enc", DataType.UINT8, new int[] {enc.length}, null, enc);
        int a = b.addConstant("anc", DataType.UINT8, new int[] {anc.length}, null, anc);
        int o = b.addTensor("out", type, shape, q);
        b.addCustomOperator("TFLM_DECODE", 1, new int[] {e, a}, new int[] {o}, new byte[0]);
        b.setOutputs(o);
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        it.invoke();
        return it.getOutputTensor(0).toByteArray();
    }

    private static byte[] header(int type, int b5, int b6, int tableBytes) {
        byte[] a = new byte[16 + tableBytes];
        a[0] = (byte) type;
        a[1] = 1;
        a[4] = 1;
        a[5] = (byte) b5;
        a[6] = (byte) b6;
        return a;
    }

    private static Quantization channels(int count, int axis, long[] zeroPoints) {
        float[] s = new float[count];
        Arrays.fill(s, 1f);
        return new Quantization(s, zeroPoints, axis);
    }

    @Property(tries = 300)
    void lutDecodesWhatThisEncoderPacks(@ForAll @IntRange(min = 1, max = 7) int width, @ForAll @IntRange(min = 0, max = 5) int typeIndex,
                                        @ForAll @IntRange(min = 1, max = 4) int channelCount, @ForAll @IntRange(min = 1, max = 40) int perChannel,
                                        @ForAll @IntRange(min = 0, max = 2) int layout, @ForAll long seed) {
        Random r = new Random(seed);
        DataType type = TYPES[typeIndex];
        int size = type.byteSize();
        boolean lastAxis = layout == 1 && channelCount > 1, shared = layout == 2;
        int entries = 1 + r.nextInt(1 << width);
        int stride = shared ? 0 : entries;
        int tableEntries = shared ? entries : entries * channelCount;
        int n = channelCount * perChannel;
        int[] shape = lastAxis ? new int[] {perChannel, channelCount} : new int[] {channelCount, perChannel};
        Quantization q = channelCount > 1 || r.nextBoolean()
                ? channels(channelCount, lastAxis ? 1 : 0, new long[channelCount]) : null;
        byte[] anc = header(0, width, stride, tableEntries * size);
        for (int i = 16; i < anc.length; i++) anc[i] = (byte) r.nextInt(256);
        if (type == DataType.BOOL) for (int i = 16; i < anc.length; i++) anc[i] &= 1;
        byte[] enc = new byte[(n * width + 7) / 8 + r.nextInt(3)];
        byte[] expected = new byte[n * size];
        for (int k = 0; k < n; k++) {
            int index = r.nextInt(entries);
            for (int bit = 0; bit < width; bit++) {
                if (((index >> (width - 1 - bit)) & 1) != 0) {
                    int at = k * width + bit;
                    enc[at / 8] |= (byte) (0x80 >> (at % 8));
                }
            }
            int channel = lastAxis ? k % channelCount : k / perChannel;
            System.arraycopy(anc, 16 + (channel * stride + index) * size, expected, k * size, size);
        }
        assertArrayEquals(expected, decode(type, shape, q, enc, anc));
    }

    @Property(tries = 300)
    void pruneDecodesWhatThisEncoderMasks(@ForAll @IntRange(min = 0, max = 5) int typeIndex, @ForAll @IntRange(min = 1, max = 4) int channelCount,
                                          @ForAll @IntRange(min = 1, max = 30) int perChannel, @ForAll boolean lastAxis,
                                          @ForAll boolean zeroPoints, @ForAll long seed) {
        Random r = new Random(seed);
        DataType type = TYPES[typeIndex];
        int size = type.byteSize();
        boolean alternate = lastAxis && channelCount > 1;
        int n = channelCount * perChannel;
        long[] zp = new long[channelCount];
        if (zeroPoints && type == DataType.INT8) for (int c = 0; c < channelCount; c++) zp[c] = r.nextInt(256) - 128;
        Quantization q = channelCount > 1 || zeroPoints ? channels(channelCount, alternate ? 1 : 0, zp) : null;
        int[] shape = alternate ? new int[] {perChannel, channelCount} : new int[] {channelCount, perChannel};
        boolean[] kept = new boolean[n];
        int keptCount = 0;
        for (int k = 0; k < n; k++) if (kept[k] = r.nextBoolean()) keptCount++;
        byte[] anc = header(2, 0, 0, keptCount * size);
        for (int i = 16; i < anc.length; i++) anc[i] = (byte) r.nextInt(256);
        byte[] enc = new byte[(n + 7) / 8];
        byte[] expected = new byte[n * size];
        boolean perChannelZp = channelCount > 1 && Arrays.stream(zp).anyMatch(z -> z != 0);
        for (int k = 0, next = 0; k < n; k++) {
            if (kept[k]) {
                enc[k / 8] |= (byte) (0x80 >> (k % 8));
                System.arraycopy(anc, 16 + next++ * size, expected, k * size, size);
            } else {
                int channel = alternate ? k % channelCount : k / perChannel;
                expected[k * size] = (byte) (perChannelZp ? zp[channel] : zp[0]);
            }
        }
        assertArrayEquals(expected, decode(type, shape, q, enc, anc));
    }
}
