package dev.minnow.math;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FixedPoint16Test {
    @Test
    void tableMatchesTflitesEntries() {
        assertEquals(32768, FixedPoint16.sigmoidTable(0));   // sigmoid(0) = 0.5
        assertEquals(33451, FixedPoint16.sigmoidTable(1));
        assertEquals(35493, FixedPoint16.sigmoidTable(4));   // tuned: round() gives 35492
        assertEquals(47911, FixedPoint16.sigmoidTable(24));  // sigmoid(1)
        assertEquals(65221, FixedPoint16.sigmoidTable(128));
        assertEquals(65535, FixedPoint16.sigmoidTable(255)); // tuned past the 65535 cap
        long sum = 0;
        for (int i = 0; i < 256; i++) sum += FixedPoint16.sigmoidTable(i);
        assertEquals(15670629L, sum, "checksum of TFLite's sigmoid_table_uint16");
    }

    @Test
    void logisticHandChecked() {
        assertEquals(16384, FixedPoint16.logistic(0, 3, 0));      // 0.5 in Q0.15
        // 1.0 in Q3.12 -> x*3 = 12288 -> table[24] exactly: ((47911 << 9) + 512) >> 10 = 23956 (0.7311 * 32768)
        assertEquals(23956, FixedPoint16.logistic(4096, 3, 0));
        // -1.0: (2^25 - (47911 << 9) + 511) >> 10 = 8812 (0.2689 * 32768)
        assertEquals(8812, FixedPoint16.logistic(-4096, 3, 0));
        // saturation: |x*3| >> 9 >= 255
        assertEquals(32767, FixedPoint16.logistic(32767, 24, 0));
        assertEquals(1, FixedPoint16.logistic(-32768, 24, 0)); // (2^25 - (0x7FFF << 10) + 511) >> 10
    }

    @Test
    void tanhHandChecked() {
        assertEquals(0, FixedPoint16.tanh(0, 3, 0));
        // 1.0 in Q3.12 -> 12288 >> 8 = 48: ((57724 << 8) - 2^23 + 128) >> 8 = 24956 (tanh(1) * 32768 = 24956.0)
        assertEquals(24956, FixedPoint16.tanh(4096, 3, 0));
        // (-(57724 << 8) + 2^23 + 127) >> 8 = floor(-24955.5) = -24956
        assertEquals(-24956, FixedPoint16.tanh(-4096, 3, 0));
        assertEquals(32767, FixedPoint16.tanh(32767, 3, 0));
        assertEquals(-32767, FixedPoint16.tanh(-32768, 3, 0)); // (-(0xFFFF << 8) + 2^23 + 127) >> 8
    }

    @Test
    void powerOfTwoInputScaling() {
        assertArrayEquals(new int[] {3, 0}, FixedPoint16.inputScaling(0, 0));
        assertArrayEquals(new int[] {6, 0}, FixedPoint16.inputScaling(0, 1));
        assertArrayEquals(new int[] {3, 2}, FixedPoint16.inputScaling(3, 2));
        // with a right shift the scaled input rounds half up: (5 * 3 + 2) >> 2 = 4
        assertEquals(FixedPoint16.tanh(4, 1, 0), FixedPoint16.tanh(5, 3, 2));
    }

    @Test
    void exhaustiveShape() {
        int prevS = Integer.MIN_VALUE, prevT = Integer.MIN_VALUE;
        for (int x = -32768; x <= 32767; x++) {
            int sg = FixedPoint16.logistic(x, 3, 0), th = FixedPoint16.tanh(x, 3, 0);
            assertEquals(true, sg >= prevS && th >= prevT, "monotone at " + x);
            assertEquals(true, sg >= 0, "sigmoid non-negative at " + x);
            // the rounding offsets make sigmoid(x) + sigmoid(-x) exactly 1.0 in Q0.15
            assertEquals(32768, sg + FixedPoint16.logistic(-x, 3, 0), "symmetry at " + x);
            prevS = sg;
            prevT = th;
        }
    }
}
