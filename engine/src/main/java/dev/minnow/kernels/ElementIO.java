package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.util.LittleEndian;

/** Reads and writes integer elements of int8/uint8/int16/int32 tensors by flat index (for type-generic kernels). */
final class ElementIO {
    private ElementIO() {}

    static int get(DataType type, byte[] a, int off, int i) {
        return switch (type) {
            case INT8 -> a[off + i];
            case UINT8, BOOL -> a[off + i] & 0xFF;
            case INT16 -> LittleEndian.getShort(a, off + 2 * i);
            case INT32 -> LittleEndian.getInt(a, off + 4 * i);
            default -> throw new IllegalStateException("no integer access for " + type);
        };
    }

    static void put(DataType type, byte[] a, int off, int i, int v) {
        switch (type) {
            case INT8, UINT8, BOOL -> a[off + i] = (byte) v;
            case INT16 -> LittleEndian.putShort(a, off + 2 * i, (short) v);
            case INT32 -> LittleEndian.putInt(a, off + 4 * i, v);
            default -> throw new IllegalStateException("no integer access for " + type);
        }
    }

    static int min(DataType type) {
        return switch (type) {
            case INT8 -> -128; case UINT8 -> 0; case INT16 -> -32768; case INT32 -> Integer.MIN_VALUE;
            default -> throw new IllegalStateException("no integer range for " + type);
        };
    }

    static int max(DataType type) {
        return switch (type) {
            case INT8 -> 127; case UINT8 -> 255; case INT16 -> 32767; case INT32 -> Integer.MAX_VALUE;
            default -> throw new IllegalStateException("no integer range for " + type);
        };
    }
}
