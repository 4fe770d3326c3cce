package dev.minnow.model;

import dev.minnow.testkit.FlexBufferBuilder;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The strict FlexBuffers map reader: real custom options read right, malformed ones rejected by name. */
class FlexBufferMapTest {
    /** SignalWindow's options in the audio preprocessor models: {shift: 12}. */
    static final byte[] WINDOW = HexFormat.of().parseHex("73686966740001070101010c04022401");
    /** SignalFilterBankSpectralSubtraction's options there: nine keys, 16-bit values and a bool. */
    static final byte[] SPECTRAL_SUBTRACTION = HexFormat.of().parseHex(
            "616c7465726e6174655f6f6e655f6d696e75735f736d6f6f7468696e6700616c7465726e6174655f736d6f6f7468696e6700"
            + "636c616d70696e67006d696e5f7369676e616c5f72656d61696e696e67006e756d5f6368616e6e656c73006f6e655f6d696e"
            + "75735f736d6f6f7468696e6700736d6f6f7468696e6700736d6f6f7468696e675f6269747300737065637472616c5f737562"
            + "7472616374696f6e5f626974730009a588756d594d3a3123090001000900293cd703000033032800673e99010a000e000505"
            + "690505050505051b2501");

    @Test
    void readsTheAudioPreprocessorsOptions() {
        FlexBufferMap w = FlexBufferMap.parse(WINDOW);
        assertEquals(List.of("shift"), List.copyOf(w.keys()));
        assertEquals(12, w.getInt("shift"));

        FlexBufferMap s = FlexBufferMap.parse(SPECTRAL_SUBTRACTION);
        assertEquals(List.of("alternate_one_minus_smoothing", "alternate_smoothing", "clamping", "min_signal_remaining",
                "num_channels", "one_minus_smoothing", "smoothing", "smoothing_bits", "spectral_subtraction_bits"),
                List.copyOf(s.keys()));
        assertEquals(40, s.getInt("num_channels"));
        assertEquals(14, s.getInt("spectral_subtraction_bits"));
        assertEquals(10, s.getInt("smoothing_bits"));
        assertEquals(s.getInt("smoothing") + s.getInt("one_minus_smoothing"), 1 << 14);
        assertFalse(s.getBool("clamping"));
    }

    @Test
    void readsWidthsSignsUintsFloatsAndIndirectValues() {
        FlexBufferMap m = FlexBufferMap.parse(map(2, new String[] {"a", "b", "d"},
                new long[] {-2, 0xFFFF, 1}, new int[] {INT, UINT, BOOL}));
        assertEquals(-2, m.getInt("a"));
        assertEquals(65535, m.getLong("b"));
        assertTrue(m.getBool("d"));
        expect(map(2, new String[] {"c"}, new long[] {0x3c00}, new int[] {FLOAT}), "a float of 2 bytes");

        FlexBufferMap f = FlexBufferMap.parse(map(4, new String[] {"x"}, new long[] {Float.floatToIntBits(1.5f)}, new int[] {FLOAT}));
        assertEquals(1.5, f.getDouble("x"));
        FlexBufferMap big = FlexBufferMap.parse(map(8, new String[] {"n"}, new long[] {1L << 40}, new int[] {INT}));
        assertEquals(1L << 40, big.getLong("n"));
        FlexBufferException e = assertThrows(FlexBufferException.class, () -> big.getInt("n"));
        assertTrue(e.getMessage().contains("outside the 32-bit integer range"), e.getMessage());
    }

    @Test
    void missingKeysAndWrongValueTypesNameTheKey() {
        FlexBufferMap w = FlexBufferMap.parse(WINDOW);
        FlexBufferException e = assertThrows(FlexBufferException.class, () -> w.getInt("fft_length"));
        assertTrue(e.getMessage().contains("no key 'fft_length'") && e.getMessage().contains("[shift]"), e.getMessage());
        FlexBufferMap m = FlexBufferMap.parse(map(1, new String[] {"k"}, new long[] {3}, new int[] {INT}));
        e = assertThrows(FlexBufferException.class, () -> m.getBool("k"));
        assertTrue(e.getMessage().contains("expected a bool"), e.getMessage());
    }

    @Test
    void malformedBuffersAreRejectedWithTheProblemNamed() {
        expect(null, "too short");
        expect(new byte[0], "too short");
        expect(new byte[] {0, 0x24}, "too short");
        expect(new byte[] {0, 0x24, 3}, "root byte width is 3");
        expect(new byte[] {5, 0x04, 1}, "root is a int, expected a map");
        expect(new byte[] {0, 0x24, 1}, "map offset 0");
        expect(new byte[] {9, 0x24, 1}, "points outside the buffer");
        expect(new byte[] {1, 0x24, 8}, "does not fit");

        byte[] window = WINDOW.clone();
        window[10] = 10;                                            // map size beyond the buffer
        expect(window, "runs past the end");
        window = WINDOW.clone();
        window[9] = 3;                                              // key vector width
        expect(window, "key vector width is 3");
        window = WINDOW.clone();
        window[6] = 2;                                              // key count differs from the value count
        expect(window, "1 values but 2 keys");
        window = WINDOW.clone();
        byte[] noNul = WINDOW.clone();
        for (int i = 0; i < 6; i++) noNul[i] = 'x';                 // the key string loses its NUL
        expect(noNul, "no terminating NUL");
        window = WINDOW.clone();
        window[12] = (byte) (40 << 2);                              // a value type that does not exist
        expect(window, "unknown value type 40");

        byte[] unsorted = map(1, new String[] {"b", "a"}, new long[] {1, 2}, new int[] {INT, INT});
        expect(unsorted, "not strictly ascending: 'b' then 'a'");
        byte[] duplicate = map(1, new String[] {"a", "a"}, new long[] {1, 2}, new int[] {INT, INT});
        expect(duplicate, "not strictly ascending");
    }

    /** Every truncation and every single-byte change of real options parses or fails as a FlexBufferException. */
    @Test
    void truncatedAndMutatedOptionsNeverEscapeAsAnotherException() {
        Random random = new Random(42);
        for (byte[] good : new byte[][] {WINDOW, SPECTRAL_SUBTRACTION}) {
            for (int n = 0; n < good.length; n++) tryParse(java.util.Arrays.copyOfRange(good, good.length - n, good.length));
            for (int n = 0; n < good.length; n++) tryParse(java.util.Arrays.copyOf(good, n));
            for (int i = 0; i < good.length; i++) {
                for (int k = 0; k < 24; k++) {
                    byte[] b = good.clone();
                    b[i] = (byte) random.nextInt(256);
                    tryParse(b);
                }
            }
        }
    }

    private static void tryParse(byte[] b) {
        try {
            FlexBufferMap m = FlexBufferMap.parse(b);
            for (String k : m.keys()) {
                try {
                    m.getLong(k);
                    m.getDouble(k);
                    m.getBool(k);
                } catch (FlexBufferException expected) {
                    // a value of another type: named, fine
                }
            }
            m.toString();
        } catch (FlexBufferException expected) {
            assertTrue(expected.getMessage().startsWith("custom options: "), expected.getMessage());
        } catch (RuntimeException e) {
            fail("parsing " + HexFormat.of().formatHex(b) + " threw " + e);
        }
    }

    private static void expect(byte[] buffer, String message) {
        FlexBufferException e = assertThrows(FlexBufferException.class, () -> FlexBufferMap.parse(buffer));
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
    }

    static final int INT = FlexBufferBuilder.INT, UINT = FlexBufferBuilder.UINT, FLOAT = FlexBufferBuilder.FLOAT,
            BOOL = FlexBufferBuilder.BOOL;

    static byte[] map(int w, String[] keys, long[] values, int[] types) { return FlexBufferBuilder.map(w, keys, values, types); }
}
