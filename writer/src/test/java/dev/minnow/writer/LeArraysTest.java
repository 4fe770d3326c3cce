package dev.minnow.writer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The packers write least significant byte first and the unpackers invert them. */
class LeArraysTest {
    @Test
    void packsLeastSignificantByteFirst() {
        assertArrayEquals(new byte[] {0x04, 0x03, 0x02, 0x01}, LeArrays.ints(0x01020304));
        assertArrayEquals(new byte[] {0x02, 0x01, (byte) 0xFE, (byte) 0xFF}, LeArrays.shorts((short) 0x0102, (short) -2));
        assertArrayEquals(new byte[] {8, 7, 6, 5, 4, 3, 2, 1}, LeArrays.longs(0x0102030405060708L));
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, LeArrays.floats(1f));
    }

    @Test
    void unpackingInvertsPacking() {
        float[] f = {1.5f, -0f, Float.NaN, Float.MIN_VALUE};
        assertArrayEquals(f, LeArrays.toFloats(LeArrays.floats(f)));
        int[] i = {Integer.MIN_VALUE, -1, 0, 7};
        assertArrayEquals(i, LeArrays.toInts(LeArrays.ints(i)));
    }

    @Test
    void rejectsBytesThatAreNotWholeValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LeArrays.toInts(new byte[6]));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("6 bytes"), e.getMessage());
    }
}
