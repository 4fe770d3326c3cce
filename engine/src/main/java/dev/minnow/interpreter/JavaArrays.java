package dev.minnow.interpreter;

import dev.minnow.model.DataType;
import dev.minnow.runtime.Tensor;

import java.lang.reflect.Array;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The checks and copies behind {@link Interpreter#run}, {@link Interpreter#runForMultipleInputsOutputs} and
 * {@link Interpreter#runSignature}, as TFLite's Java API makes them: a Java array must have the tensor's element
 * type (float, int, long, short, byte for int8/uint8, boolean or byte for bool) and exactly its shape; a flat array of
 * {@link Tensor#numElements()} elements is also accepted; a {@link ByteBuffer} (direct or heap) holds the raw
 * little-endian bytes. Everything is checked before anything is copied, and every refusal is an
 * {@link IllegalArgumentException} that names the input or output, the tensor, and both shapes or sizes.
 */
final class JavaArrays {
    private JavaArrays() {}

    /** Checks that {@code src} fits tensor {@code t} and returns the copy into it. */
    static Runnable input(String what, Tensor t, Object src) {
        if (src == null) throw new IllegalArgumentException(what + " is null; tensor " + t.describe() + " needs data");
        if (src instanceof ByteBuffer b) {
            if (b.remaining() != t.numBytes()) {
                throw new IllegalArgumentException(what + ": tensor " + t.describe() + " takes " + t.numBytes() + " bytes, the ByteBuffer has "
                        + b.remaining() + " remaining (position " + b.position() + ", limit " + b.limit() + ")"
                        + (b.position() > 0 && b.remaining() < t.numBytes() ? "; rewind() it after filling it" : ""));
            }
            littleEndian(what, t, b);
            return () -> t.copyFrom(b);
        }
        if (src instanceof Buffer other) throw typedBuffer(what, t, other);
        Class<?> c = src.getClass();
        if (!c.isArray()) {
            Class<?> prim = unboxed(c);
            if (prim == null) throw unsupported(what, t, c);
            if (t.rank() != 0) {
                throw new IllegalArgumentException(what + ": a scalar " + c.getSimpleName() + " cannot fill tensor " + t.describe()
                        + " of shape " + Arrays.toString(t.shape()) + "; pass " + javaType(prim, t.shape()));
            }
            checkType(what, t, prim);
            Object flat = Array.newInstance(prim, 1);
            Array.set(flat, 0, src);
            return () -> copy(t, flat, Direction.IN);
        }
        Class<?> leaf = checkArray(what, t, c);
        Object flat;
        if (isFlat(src, t)) {
            flat = src;
        } else {
            requireShape(what, t, src);
            flat = flatten(src, leaf, t);
        }
        return () -> copy(t, flat, Direction.IN);
    }

    /** Checks that tensor {@code t} fits {@code dst} and returns the copy into it. */
    static Runnable output(String what, Tensor t, Object dst) {
        if (dst == null) throw new IllegalArgumentException(what + " is null; give an array or ByteBuffer for tensor " + t.describe());
        if (dst instanceof ByteBuffer b) {
            if (b.isReadOnly()) throw new IllegalArgumentException(what + ": the ByteBuffer for tensor " + t.describe() + " is read-only");
            if (b.remaining() < t.numBytes()) {
                throw new IllegalArgumentException(what + ": tensor " + t.describe() + " has " + t.numBytes() + " bytes, the ByteBuffer has room for "
                        + b.remaining() + " (position " + b.position() + ", limit " + b.limit() + ")");
            }
            littleEndian(what, t, b);
            return () -> t.copyTo(b);
        }
        if (dst instanceof Buffer other) throw typedBuffer(what, t, other);
        Class<?> c = dst.getClass();
        if (!c.isArray()) throw unsupported(what, t, c);
        Class<?> leaf = checkArray(what, t, c);
        if (isFlat(dst, t)) return () -> copy(t, dst, Direction.OUT);
        requireShape(what, t, dst);
        return () -> {
            Object flat = Array.newInstance(leaf, t.numElements());
            copy(t, flat, Direction.OUT);
            scatter(flat, dst, new int[] {0});
        };
    }

    /** The leaf type of array class {@code c}, checked against the tensor's type, and the array's rank against its shape. */
    private static Class<?> checkArray(String what, Tensor t, Class<?> c) {
        Class<?> leaf = c;
        while (leaf.isArray()) leaf = leaf.getComponentType();
        if (!leaf.isPrimitive()) {
            Class<?> prim = unboxed(leaf);
            throw new IllegalArgumentException(what + ": " + c.getSimpleName() + " holds " + (prim != null ? "boxed " : "") + leaf.getSimpleName()
                    + " objects; tensor " + t.describe() + " needs a primitive array"
                    + (javaElement(t.dataType()) != null ? " such as " + javaType(javaElement(t.dataType()), t.shape()) : "") + " or a ByteBuffer");
        }
        checkType(what, t, leaf);
        return leaf;
    }

    /** A one-dimensional array of exactly the tensor's element count: the flat form, accepted for any shape. */
    private static boolean isFlat(Object a, Tensor t) {
        return !a.getClass().getComponentType().isArray() && Array.getLength(a) == t.numElements();
    }

    /** Gathers a multi-dimensional array of exactly the tensor's shape into a flat one. */
    private static Object flatten(Object src, Class<?> leaf, Tensor t) {
        Object flat = Array.newInstance(leaf, t.numElements());
        gather(src, flat, new int[] {0});
        return flat;
    }

    /**
     * Throws unless {@code a} has exactly {@code t}'s shape at every level (not only at its first elements); the
     * message names the tensor and both shapes.
     */
    static void requireShape(String what, Tensor t, Object a) {
        int[] shape = t.shape();
        int[] given = shapeOf(a);
        if (!Arrays.equals(shape, given)) {
            throw new IllegalArgumentException(what + ": tensor " + t.describe() + " has shape " + Arrays.toString(shape)
                    + " but the Java array " + a.getClass().getSimpleName() + " has shape " + shapeText(given)
                    + "; pass " + javaType(leaf(a.getClass()), shape) + " or a flat " + leaf(a.getClass()).getSimpleName() + "[" + t.numElements() + "]");
        }
        String ragged = ragged(a, shape, 0, "");
        if (ragged != null) {
            throw new IllegalArgumentException(what + ": the Java array for tensor " + t.describe() + " of shape " + Arrays.toString(shape)
                    + " is ragged: " + ragged);
        }
    }

    /** A Java array's shape, "?" for the dimensions below an empty or null array (Java keeps no length there). */
    private static String shapeText(int[] shape) {
        StringBuilder s = new StringBuilder("[");
        for (int d = 0; d < shape.length; d++) s.append(d == 0 ? "" : ", ").append(shape[d] < 0 ? "?" : Integer.toString(shape[d]));
        return s.append(']').toString();
    }

    /**
     * The shape of a (possibly nested) array, read along its first elements, as TFLite's computeShapeOf does; -1 for
     * the dimensions below an empty or null array.
     */
    static int[] shapeOf(Object a) {
        int rank = 0;
        for (Class<?> c = a.getClass(); c.isArray(); c = c.getComponentType()) rank++;
        int[] shape = new int[rank];
        Object x = a;
        for (int d = 0; d < rank; d++) {
            if (x == null) { shape[d] = -1; continue; }
            int n = Array.getLength(x);
            shape[d] = n;
            x = d + 1 < rank && n > 0 ? Array.get(x, 0) : null;
        }
        return shape;
    }

    private static String ragged(Object a, int[] shape, int depth, String path) {
        int n = Array.getLength(a);
        if (n != shape[depth]) return "element " + path + " has length " + n + ", expected " + shape[depth];
        if (depth + 1 == shape.length) return null;
        for (int i = 0; i < n; i++) {
            Object e = Array.get(a, i);
            if (e == null) return "element " + path + "[" + i + "] is null";
            String r = ragged(e, shape, depth + 1, path + "[" + i + "]");
            if (r != null) return r;
        }
        return null;
    }

    private static void gather(Object src, Object flat, int[] pos) {
        int n = Array.getLength(src);
        if (src.getClass().getComponentType().isPrimitive()) {
            System.arraycopy(src, 0, flat, pos[0], n);
            pos[0] += n;
        } else {
            for (int i = 0; i < n; i++) gather(Array.get(src, i), flat, pos);
        }
    }

    private static void scatter(Object flat, Object dst, int[] pos) {
        int n = Array.getLength(dst);
        if (dst.getClass().getComponentType().isPrimitive()) {
            System.arraycopy(flat, pos[0], dst, 0, n);
            pos[0] += n;
        } else {
            for (int i = 0; i < n; i++) scatter(flat, Array.get(dst, i), pos);
        }
    }

    /** Which way a copy goes: from the Java array into the tensor, or out of the tensor into it. */
    private enum Direction { IN, OUT }

    /** Copies between tensor {@code t} and a flat array of its Java element type, the one dispatch on the array's type. */
    private static void copy(Tensor t, Object flat, Direction d) {
        boolean in = d == Direction.IN;
        if (flat instanceof float[] a) { if (in) t.copyFrom(a); else t.copyTo(a); }
        else if (flat instanceof int[] a) { if (in) t.copyFrom(a); else t.copyTo(a); }
        else if (flat instanceof long[] a) { if (in) t.copyFrom(a); else t.copyTo(a); }
        else if (flat instanceof short[] a) { if (in) t.copyFrom(a); else t.copyTo(a); }
        else if (flat instanceof byte[] a) { if (in) t.copyFrom(a); else t.copyTo(a); }
        else if (flat instanceof boolean[] a) copyBooleans(t, a, in);
        else throw new IllegalStateException("unchecked element type " + flat.getClass().getSimpleName());
    }

    /** A bool tensor holds one byte per element, 0 or 1 (any non-zero byte reads as true); {@code in}: into the tensor. */
    private static void copyBooleans(Tensor t, boolean[] a, boolean in) {
        byte[] b = new byte[a.length];
        if (in) {
            for (int i = 0; i < a.length; i++) b[i] = (byte) (a[i] ? 1 : 0);
            t.copyFrom(b);
        } else {
            t.copyTo(b);
            for (int i = 0; i < a.length; i++) a[i] = b[i] != 0;
        }
    }

    /** The Java element type for a tensor type, or null when only a ByteBuffer can carry it. */
    private static Class<?> javaElement(DataType type) {
        return switch (type) {
            case FLOAT32 -> float.class;
            case INT32 -> int.class;
            case INT64 -> long.class;
            case INT16 -> short.class;
            case INT8, UINT8 -> byte.class;
            case BOOL -> boolean.class;
            default -> null;
        };
    }

    private static void checkType(String what, Tensor t, Class<?> element) {
        Class<?> wanted = javaElement(t.dataType());
        if (wanted == element) return;
        if (element == byte.class && t.dataType() == DataType.BOOL) return; // bool's raw bytes, 0 or 1 each
        if (wanted == null) {
            throw new IllegalArgumentException(what + ": tensor " + t.describe() + " holds " + t.dataType().lowerName()
                    + ", which has no Java array type: pass its " + t.numBytes() + " raw little-endian bytes in a ByteBuffer");
        }
        throw new IllegalArgumentException(what + ": tensor " + t.describe() + " holds " + t.dataType().lowerName() + ", not "
                + element.getSimpleName() + " data: pass " + javaType(wanted, t.shape()) + " (or a ByteBuffer of its "
                + t.numBytes() + " little-endian bytes)");
    }

    private static void littleEndian(String what, Tensor t, ByteBuffer b) {
        if (t.dataType().byteSize() > 1 && b.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException(what + ": tensor " + t.describe() + " holds little-endian " + t.dataType().lowerName()
                    + " data but the ByteBuffer's order is " + b.order() + ": call order(ByteOrder.LITTLE_ENDIAN) on it");
        }
    }

    private static IllegalArgumentException typedBuffer(String what, Tensor t, Buffer b) {
        return new IllegalArgumentException(what + ": a " + b.getClass().getSimpleName() + " cannot be copied into or from tensor "
                + t.describe() + "; pass a ByteBuffer in little-endian order (or a primitive array)");
    }

    private static IllegalArgumentException unsupported(String what, Tensor t, Class<?> c) {
        Class<?> wanted = javaElement(t.dataType());
        return new IllegalArgumentException(what + ": cannot copy a " + c.getName() + " for tensor " + t.describe()
                + "; pass " + (wanted != null ? javaType(wanted, t.shape()) + ", a flat " + wanted.getSimpleName() + "[" + t.numElements() + "] or " : "")
                + "a ByteBuffer of " + t.numBytes() + " little-endian bytes");
    }

    private static Class<?> unboxed(Class<?> c) {
        if (c == Float.class) return float.class;
        if (c == Integer.class) return int.class;
        if (c == Long.class) return long.class;
        if (c == Short.class) return short.class;
        if (c == Byte.class) return byte.class;
        if (c == Boolean.class) return boolean.class;
        return null;
    }

    private static Class<?> leaf(Class<?> c) {
        while (c.isArray()) c = c.getComponentType();
        return c;
    }

    /** Java source for an array of {@code element} with {@code shape}, e.g. "float[1][640]". */
    private static String javaType(Class<?> element, int[] shape) {
        StringBuilder s = new StringBuilder(element.getSimpleName());
        if (shape.length == 0) return "a " + (element == int.class ? "Integer" : capitalized(element.getSimpleName())) + " or " + s + "[1]";
        for (int d : shape) s.append('[').append(d).append(']');
        return s.toString();
    }

    private static String capitalized(String s) { return Character.toUpperCase(s.charAt(0)) + s.substring(1); }
}
