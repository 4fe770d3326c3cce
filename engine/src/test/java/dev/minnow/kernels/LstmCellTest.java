package dev.minnow.kernels;

import dev.minnow.math.FixedPoint;
import dev.minnow.math.QuantizedMultiplier;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The LSTM step's building blocks, on values worked out by hand. */
class LstmCellTest {
    private static LstmCell.MulParams mul(double scale, int zp, int min, int max) {
        QuantizedMultiplier q = FixedPoint.quantizeMultiplier(scale);
        return new LstmCell.MulParams(q.multiplier(), q.shift(), zp, min, max);
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    private static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    @Test
    void gateFullyConnectedInt8() {
        // input [1, 2] at zero point -1 (offset +1), weights [[1, -1], [2, 3]], bias [10, -5], multiplier 0.5
        // acc0 = 1*2 - 1*3 + 10 = 9 -> 4.5 rounds away from zero -> 5;  acc1 = 2*2 + 3*3 - 5 = 8 -> 4
        QuantizedMultiplier half = FixedPoint.quantizeMultiplier(0.5);
        short[] out = new short[2];
        LstmCell.fullyConnected(new int[] {1, 2}, 0, 1, 2, 1, new byte[] {1, -1, 2, 3}, 0, 2, ints(10, -5), 0, 4,
                half.multiplier(), half.shift(), false, out, 0);
        assertArrayEquals(new short[] {5, 4}, out);
        // no bias (the recurrent half of a gate): acc0 = -1 -> SRDHM(-1, 2^30) = (-2^30 + 1 - 2^30) / 2^31 -> 0
        // (gemmlowp's nudge makes -0.5 round to 0), acc1 = 13 -> 6.5 -> 7
        LstmCell.fullyConnected(new int[] {1, 2}, 0, 1, 2, 1, new byte[] {1, -1, 2, 3}, 0, 2, null, 0, 0,
                half.multiplier(), half.shift(), false, out, 0);
        assertArrayEquals(new short[] {0, 7}, out);
    }

    @Test
    void gateFullyConnectedInt16SaturatesToInt16() {
        // int64 bias 100000 with multiplier 1: 100000 + 3*1000 > 32767 -> clamps
        QuantizedMultiplier one = FixedPoint.quantizeMultiplier(1.0);
        short[] out = new short[2];
        LstmCell.fullyConnected(new int[] {1000, -1000}, 0, 2, 1, 0, new byte[] {3}, 0, 1, longs(100000), 0, 8,
                one.multiplier(), one.shift(), true, out, 0);
        assertArrayEquals(new short[] {32767, 32767}, out); // 103000 and 97000 both saturate
        LstmCell.fullyConnected(new int[] {1000, -1000}, 0, 2, 1, 0, new byte[] {3}, 0, 1, longs(-10000), 0, 8,
                one.multiplier(), one.shift(), true, out, 0);
        assertArrayEquals(new short[] {-7000, -13000}, out);
    }

    @Test
    void saturatingAdd() {
        short[] a = {30000, -30000, 5};
        LstmCell.addSaturating(a, 0, new short[] {10000, -10000, -7}, 0, 3);
        assertArrayEquals(new short[] {32767, -32768, -2}, a);
    }

    @Test
    void gateActivations() {
        short[] g = {0, 4096, -4096};          // 0, 1.0, -1.0 in Q3.12
        LstmCell.sigmoid(g, 0, 3);
        assertArrayEquals(new short[] {16384, 23956, 8812}, g); // 0.5, 0.7311, 0.2689 in Q0.15
        int[] s = LstmCell.tanhScaling(-12);   // gate pre-activations: Q3.12 -> multiplier 3, no shift
        assertArrayEquals(new int[] {3, 0}, s);
        short[] t = new short[2];
        LstmCell.tanh(new short[] {4096, 0}, 0, 2, s[0], s[1], t, 0);
        assertArrayEquals(new short[] {24956, 0}, t); // tanh(1) = 0.76159
        assertArrayEquals(new int[] {6, 0}, LstmCell.tanhScaling(-11)); // cell at 2^-11: 3 << 1
        assertArrayEquals(new int[] {3, 3}, LstmCell.tanhScaling(-15)); // cell at 2^-15: right shift 3
    }

    @Test
    void interGateMultiplication() {
        // Q0.15 * Q0.15 -> Q0.15: 0.5 * 0.5 = 0.25 = 8192
        assertEquals(8192, mul(Math.pow(2, -15), 0, -32768, 32767).apply(16384, 16384));
        // to an int8 hidden state at scale 2^-7, zero point 5: 0.76159 * 0.5 / 2^-7 = 48.74 -> 49, + 5
        assertEquals(54, mul(Math.pow(2, -23), 5, -128, 127).apply(24956, 16384));
        assertEquals(127, mul(Math.pow(2, -23), 5, -128, 127).apply(32767, 32767)); // clamps to int8
    }

    @Test
    void cellUpdateQuantized() {
        // cell scale 2^-11. forget 0.5 * cell 1000 = 500; input 0.99997 * cell gate 0.5 = 0.49998 = 1023.97 -> 1024
        LstmCell.MulParams forgetCell = mul(Math.pow(2, -15), 0, -32768, 32767);
        LstmCell.MulParams inputCell = mul(Math.pow(2, -19), 0, -32768, 32767);
        short[] cell = {1000, 1000};
        short[] buf = new short[2];
        LstmCell.updateCell(cell, 0, new short[] {16384, 16384}, new short[] {32767, 32767},
                new short[] {16384, -16384}, 2, forgetCell, inputCell, false, 0, buf);
        assertArrayEquals(new short[] {1524, -524}, cell);
        cell = new short[] {1000, -1000};
        LstmCell.updateCell(cell, 0, new short[] {16384, 16384}, new short[] {32767, 32767},
                new short[] {16384, -16384}, 2, forgetCell, inputCell, true, 1200, buf);
        assertArrayEquals(new short[] {1200, -1200}, cell); // 1524 and -1524 clipped to +-1200
    }

    @Test
    void hiddenStateQuantized() {
        // cell 2048 at 2^-11 = 1.0: tanh -> 24956; times output gate 0.5 to int8 at 2^-7, zero point 5 -> 54
        short[] hidden = new short[3];
        int[] s = LstmCell.tanhScaling(-11);
        LstmCell.updateHidden(new short[] {2048, 0, -2048}, 0, new short[] {16384, 16384, 16384}, 3, s[0], s[1],
                mul(Math.pow(2, -23), 5, -128, 127), new short[3], hidden, 0);
        assertArrayEquals(new short[] {54, 5, -44}, hidden); // -24956 * 0.5 / 2^-7 = -48.74 -> -49 + 5
    }

    @Test
    void floatBlocks() {
        float[] out = new float[2];
        // [1, 2] . [[0.5, 0.25], [-1, 1]] + [0.125, 0] = [1.125, 1]
        LstmCell.fullyConnected(new float[] {1, 2}, 0, 1, 2, floats(0.5f, 0.25f, -1f, 1f), 0, 2,
                floats(0.125f, 0f), 0, out, 0);
        assertArrayEquals(new float[] {1.125f, 1f}, out);
        assertEquals(0.5f, LstmCell.sigmoid(0f));
        assertEquals(1.0f, LstmCell.sigmoid(17f));          // above the upper cut-off
        assertEquals(Float.MAX_VALUE, LstmCell.clampNone(Float.POSITIVE_INFINITY));
        float[] cell = {2f, -2f, 0.5f};
        LstmCell.updateCell(cell, 0, new float[] {0.5f, 0.5f, 0.5f}, new float[] {1f, 1f, 1f},
                new float[] {0.25f, -0.25f, 0f}, 3, 1f, new float[3]);
        assertArrayEquals(new float[] {1f, -1f, 0.25f}, cell); // 1.25, -1.25 clipped to +-1
        float[] hidden = new float[1];
        LstmCell.updateHidden(new float[] {0f}, 0, new float[] {0.5f}, 1, new float[1], hidden, 0);
        assertArrayEquals(new float[] {0f}, hidden);
    }
}
