package dev.minnow.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds small FlexBuffers maps, as custom options, for tests. */
public final class FlexBufferBuilder {
    private FlexBufferBuilder() {}

    public static final int INT = 1, UINT = 2, FLOAT = 3, BOOL = 26;

    /**
     * A FlexBuffers map with inline scalar values of width {@code w}, keys in the given order (not sorted here, so
     * tests can break the order): key strings, the key vector (width 1), the map (size, keys offset, values, types),
     * then the root.
     */
    public static byte[] map(int w, String[] keys, long[] values, int[] types) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] keyPos = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            keyPos[i] = out.size();
            out.writeBytes(keys[i].getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        out.write(keys.length);                                  // key vector size (width 1)
        int keyVector = out.size();
        for (int i = 0; i < keys.length; i++) out.write(out.size() - keyPos[i]);
        while ((out.size() + 3 * w) % w != 0) out.write(0);
        int prefix = out.size();
        writeLE(out, prefix - keyVector, w);                      // keys offset
        writeLE(out, 1, w);                                       // keys byte width
        writeLE(out, keys.length, w);                             // size
        int map = out.size();
        for (long v : values) writeLE(out, v, w);
        int widthCode = Integer.numberOfTrailingZeros(w);
        for (int t : types) out.write(t << 2 | widthCode);
        int root = out.size();
        out.write(root - map);                                    // root offset (width 1)
        out.write(9 << 2 | widthCode);                            // map, elements of width w
        out.write(1);
        return out.toByteArray();
    }

    private static void writeLE(ByteArrayOutputStream out, long v, int w) {
        for (int i = 0; i < w; i++) out.write((int) (v >>> (8 * i)) & 0xFF);
    }

    /** A map of int32 values with sorted keys, each value as wide as the widest needs (1, 2 or 4 bytes). */
    public static byte[] ints(String[] sortedKeys, long... values) {
        int w = 1;
        for (long v : values) {
            if (v != (byte) v) w = Math.max(w, 2);
            if (v != (short) v) w = Math.max(w, 4);
        }
        int[] types = new int[values.length];
        java.util.Arrays.fill(types, INT);
        return map(w, sortedKeys, values, types);
    }
}
