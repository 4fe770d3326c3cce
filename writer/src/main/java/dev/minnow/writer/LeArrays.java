package dev.minnow.writer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packs primitive arrays into the little-endian bytes of tensor data, and unpacks them. (Element access at an
 * offset of a byte array is the engine's {@code dev.minnow.util.LittleEndian}; this class works on whole arrays.)
 */
public final class LeArrays {
    private LeArrays() {}

    /** float32 values as little-endian bytes. */
    public static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** int32 values as little-endian bytes. */
    public static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(v);
        return b.array();
    }

    /** int16 values as little-endian bytes. */
    public static byte[] shorts(short... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asShortBuffer().put(v);
        return b.array();
    }

    /** int64 values as little-endian bytes. */
    public static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(v);
        return b.array();
    }

    /** The float32 values of little-endian bytes. */
    public static float[] toFloats(byte[] bytes) {
        if (bytes.length % 4 != 0) throw new IllegalArgumentException(bytes.length + " bytes are not whole float32 values");
        float[] v = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }

    /** The int32 values of little-endian bytes. */
    public static int[] toInts(byte[] bytes) {
        if (bytes.length % 4 != 0) throw new IllegalArgumentException(bytes.length + " bytes are not whole int32 values");
        int[] v = new int[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(v);
        return v;
    }
}
