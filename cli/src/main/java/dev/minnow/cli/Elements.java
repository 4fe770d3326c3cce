package dev.minnow.cli;

import dev.minnow.model.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensor elements as the command line reads and prints them: little-endian values of the integer types (int8 to
 * int64, unsigned ones and bool) and the float types float32 and float64, and each type's numpy dtype.
 */
final class Elements {
    private Elements() {}

    /** True for the types whose elements are integers (bool as 0/1). */
    static boolean isInteger(DataType t) {
        return switch (t) {
            case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL -> true;
            default -> false;
        };
    }

    /** True for float32 and float64, the float types values are read and printed for. */
    static boolean isFloat(DataType t) { return t == DataType.FLOAT32 || t == DataType.FLOAT64; }

    /** Whether values of the type can be read from CSV and printed. */
    static boolean isNumeric(DataType t) { return isInteger(t) || isFloat(t); }

    /** Smallest value of an integer type. */
    static long min(DataType t) {
        return switch (t) {
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            case INT64 -> Long.MIN_VALUE;
            default -> 0;
        };
    }

    /** Largest value of an integer type (uint64 limited to what a long holds). */
    static long max(DataType t) {
        return switch (t) {
            case INT8 -> Byte.MAX_VALUE;
            case UINT8 -> 0xFF;
            case INT16 -> Short.MAX_VALUE;
            case UINT16 -> 0xFFFF;
            case INT32 -> Integer.MAX_VALUE;
            case UINT32 -> 0xFFFF_FFFFL;
            case INT64, UINT64 -> Long.MAX_VALUE;
            case BOOL -> 1;
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    private static ByteBuffer le(byte[] data) { return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN); }

    /** Element {@code i} of integer-typed data. */
    static long getInteger(byte[] data, int i, DataType t) {
        ByteBuffer b = le(data);
        return switch (t) {
            case INT8 -> data[i];
            case UINT8, BOOL -> data[i] & 0xFF;
            case INT16 -> b.getShort(2 * i);
            case UINT16 -> b.getShort(2 * i) & 0xFFFF;
            case INT32 -> b.getInt(4 * i);
            case UINT32 -> b.getInt(4 * i) & 0xFFFF_FFFFL;
            case INT64, UINT64 -> b.getLong(8 * i);
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    /** Stores {@code v} (within the type's range) as element {@code i}. */
    static void putInteger(byte[] data, int i, DataType t, long v) {
        ByteBuffer b = le(data);
        switch (t) {
            case INT8, UINT8, BOOL -> data[i] = (byte) v;
            case INT16, UINT16 -> b.putShort(2 * i, (short) v);
            case INT32, UINT32 -> b.putInt(4 * i, (int) v);
            case INT64, UINT64 -> b.putLong(8 * i, v);
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        }
    }

    /** Element {@code i} of float-typed data as a double (float32 widened exactly). */
    static double getFloat(byte[] data, int i, DataType t) {
        return t == DataType.FLOAT32 ? le(data).getFloat(4 * i) : le(data).getDouble(8 * i);
    }

    /** Stores {@code v} as element {@code i} (float32: already a float value). */
    static void putFloat(byte[] data, int i, DataType t, double v) {
        if (t == DataType.FLOAT32) le(data).putFloat(4 * i, (float) v);
        else le(data).putDouble(8 * i, v);
    }

    /** Element {@code i} as text: integers in decimal (uint64 unsigned), floats in Java's shortest round-trip form. */
    static String format(byte[] data, int i, DataType t) {
        if (t == DataType.FLOAT32) return Float.toString(le(data).getFloat(4 * i));
        if (t == DataType.FLOAT64) return Double.toString(le(data).getDouble(8 * i));
        long v = getInteger(data, i, t);
        return t == DataType.UINT64 ? Long.toUnsignedString(v) : Long.toString(v);
    }

    /** The numpy dtype string of the type ("&lt;f4", "|i1"), or null when numpy has none. */
    static String npyDescr(DataType t) {
        return switch (t) {
            case FLOAT32 -> "<f4";
            case FLOAT64 -> "<f8";
            case FLOAT16 -> "<f2";
            case INT8 -> "|i1";
            case UINT8 -> "|u1";
            case INT16 -> "<i2";
            case UINT16 -> "<u2";
            case INT32 -> "<i4";
            case UINT32 -> "<u4";
            case INT64 -> "<i8";
            case UINT64 -> "<u8";
            case BOOL -> "|b1";
            case COMPLEX64 -> "<c8";
            case COMPLEX128 -> "<c16";
            default -> null;
        };
    }

    /** The tensor type of a little-endian numpy dtype string, or null when there is none. */
    static DataType fromNpyDescr(String descr) {
        for (DataType t : DataType.values()) {
            String d = npyDescr(t);
            if (d != null && d.substring(1).equals(descr.substring(1))) return t;
        }
        return null;
    }
}
