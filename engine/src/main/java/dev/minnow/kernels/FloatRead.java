package dev.minnow.kernels;

import dev.minnow.util.LittleEndian;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Reads (and writes) little-endian float32 runs from (to) a byte array in bulk: through a little-endian {@link FloatBuffer} view of the
 * array (one copy of memory, where the per-element {@link LittleEndian#getFloat} loop ran at several cycles per value
 * on VWW float's inputs), made once per array and kept while the array stays the same; runs at an offset that is not
 * a multiple of 4 are read value by value. One instance per kernel's load (writes: per thread, {@code ConvWindow.Scratch#out}), used by one thread at a time.
 * (Reading 32 bytes as 8 float lanes on the Vector API was slower on VWW float, 858 against 702 us, and adds a
 * second byte species.)
 */
final class FloatRead {
    private byte[] array;
    private FloatBuffer view;

    /** {@code dst[at + i]} = the little-endian float32 at {@code a[off + 4 i]} for {@code i < n}. */
    void read(byte[] a, int off, int n, float[] dst, int at) {
        if ((off & 3) != 0) {
            for (int i = 0; i < n; i++) dst[at + i] = LittleEndian.getFloat(a, off + 4 * i);
            return;
        }
        view(a).get(off >> 2, dst, at, n);
    }

    /** The little-endian float32 at {@code a[off + 4 i]} = {@code src[at + i]} for {@code i < n} (the same view, kept per array). */
    void write(float[] src, int at, int n, byte[] a, int off) {
        if ((off & 3) != 0) {
            for (int i = 0; i < n; i++) LittleEndian.putFloat(a, off + 4 * i, src[at + i]);
            return;
        }
        view(a).put(off >> 2, src, at, n);
    }

    private FloatBuffer view(byte[] a) {
        if (a != array) {
            view = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            array = a;
        }
        return view;
    }
}
