package dev.minnow.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian element access on byte arrays (the arena and constant buffers). The VarHandles are intrinsified by
 * the JIT, so these are as fast as typed-array access in hot loops. Offsets are in bytes.
 */
public final class LittleEndian {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    private LittleEndian() {}

    /** The little-endian short at {@code off}. */
    public static short getShort(byte[] a, int off) { return (short) SHORT.get(a, off); }
    /** Stores {@code v} little-endian at {@code off}. */
    public static void putShort(byte[] a, int off, short v) { SHORT.set(a, off, v); }
    /** The little-endian int at {@code off}. */
    public static int getInt(byte[] a, int off) { return (int) INT.get(a, off); }
    /** Stores {@code v} little-endian at {@code off}. */
    public static void putInt(byte[] a, int off, int v) { INT.set(a, off, v); }
    /** The little-endian long at {@code off}. */
    public static long getLong(byte[] a, int off) { return (long) LONG.get(a, off); }
    /** Stores {@code v} little-endian at {@code off}. */
    public static void putLong(byte[] a, int off, long v) { LONG.set(a, off, v); }
    /** The little-endian float at {@code off}. */
    public static float getFloat(byte[] a, int off) { return (float) FLOAT.get(a, off); }
    /** Stores {@code v} little-endian at {@code off}. */
    public static void putFloat(byte[] a, int off, float v) { FLOAT.set(a, off, v); }
}
