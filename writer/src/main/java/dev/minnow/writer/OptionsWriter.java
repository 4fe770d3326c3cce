package dev.minnow.writer;

import com.google.flatbuffers.FlatBufferBuilder;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes a builtin options table of either union ({@code BuiltinOptions} or {@code BuiltinOptions2}) from a field
 * name to value map, as the engine's {@code BuiltinOptions} reads it back: camel-case field names as flatc's Java
 * accessors spell them, scalars as Integer/Long/Float/Double/Boolean, vectors as primitive arrays, strings as String.
 *
 * <p>The table layouts come from the flatc-generated classes in {@code dev.minnow.schema.tflite} (the schema is
 * the one source of truth): each table's static {@code start/add/create...Vector/end} methods are looked up once and
 * cached. Values are converted to the parameter type the generated method takes (an Integer option may feed a
 * byte, int or long field; an int[] a long[] vector), so loosely typed maps written by hand work as well as maps
 * read from a model. Scalars equal to the schema default are omitted by the builder, which reads back the same.
 */
final class OptionsWriter {
    private static final String PACKAGE = "dev.minnow.schema.tflite.";

    /** The writer of union {@code BuiltinOptions} (field 4 of Operator). */
    static final OptionsWriter BUILTIN = new OptionsWriter("BuiltinOptions", dev.minnow.schema.tflite.BuiltinOptions.names);
    /** The writer of union {@code BuiltinOptions2} (field 12 of Operator). */
    static final OptionsWriter BUILTIN_2 = new OptionsWriter("BuiltinOptions2", dev.minnow.schema.tflite.BuiltinOptions2.names);

    private final String union;
    private final String[] names;
    private final Map<String, Table> tables = new ConcurrentHashMap<>();

    private OptionsWriter(String union, String[] names) {
        this.union = union;
        this.names = names;
    }

    /** The union type code of the table named {@code type} ("Conv2DOptions" -> 1); 0 for "NONE" or null. */
    byte typeCode(String type) {
        if (type == null || type.equals("NONE")) return 0;
        for (int i = 1; i < names.length; i++) if (names[i].equals(type)) return (byte) i;
        throw new IllegalArgumentException("'" + type + "' is not a table of union " + union + " (known: " + names.length
                + " tables, e.g. " + names[1] + ")");
    }

    /** The table names of the union, without "NONE". */
    String[] tableNames() { return Arrays.copyOfRange(names, 1, names.length); }

    /** Writes the table and returns its offset; every vector and string is created before the table starts. */
    int write(FlatBufferBuilder b, String type, Map<String, Object> values) {
        Table table = tables.computeIfAbsent(type, this::resolve);
        Map<String, Integer> offsets = new LinkedHashMap<>();
        for (var e : values.entrySet()) {
            Field f = table.field(e.getKey());
            Object v = e.getValue();
            if (v instanceof String s) {
                offsets.put(e.getKey(), b.createString(s));
            } else if (v != null && v.getClass().isArray()) {
                if (f.createVector == null) throw new IllegalArgumentException(type + "." + e.getKey() + " is not a vector field");
                offsets.put(e.getKey(), (Integer) call(f.createVector, b, convertArray(v, f.createVector.getParameterTypes()[1], type, e.getKey())));
            }
        }
        call(table.start, b);
        for (var e : values.entrySet()) {
            Field f = table.field(e.getKey());
            Object v = e.getValue();
            if (v == null) continue;
            Object arg = offsets.containsKey(e.getKey()) ? offsets.get(e.getKey()) : convertScalar(v, f.add.getParameterTypes()[1], type, e.getKey());
            call(f.add, b, arg);
        }
        return (Integer) call(table.end, b);
    }

    private record Field(Method add, Method createVector) {}

    private record Table(String type, Method start, Method end, Map<String, Field> fields) {
        Field field(String name) {
            Field f = fields.get(name);
            if (f == null) throw new IllegalArgumentException(type + " has no field '" + name + "' (fields: " + new TreeSet<>(fields.keySet()) + ")");
            return f;
        }
    }

    private Table resolve(String type) {
        typeCode(type);   // rejects names outside the union
        Class<?> c;
        try {
            c = Class.forName(PACKAGE + type);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("generated schema class " + PACKAGE + type + " is missing", e);
        }
        Map<String, Method> statics = new LinkedHashMap<>();
        for (Method m : c.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() >= 1
                    && m.getParameterTypes()[0] == FlatBufferBuilder.class) {
                // Generated classes overload create...Vector with a ByteBuffer variant; keep the array one.
                if (m.getParameterCount() == 2 && m.getParameterTypes()[1] == java.nio.ByteBuffer.class) continue;
                statics.put(m.getName(), m);
            }
        }
        Method start = statics.get("start" + type), end = statics.get("end" + type);
        if (start == null || end == null) throw new IllegalStateException(type + " has no start/end methods");
        Map<String, Field> fields = new LinkedHashMap<>();
        for (var e : statics.entrySet()) {
            String n = e.getKey();
            if (!n.startsWith("add") || e.getValue().getParameterCount() != 2) continue;
            String field = Character.toLowerCase(n.charAt(3)) + n.substring(4);
            fields.put(field, new Field(e.getValue(), statics.get("create" + n.substring(3) + "Vector")));
        }
        return new Table(type, start, end, Map.copyOf(fields));
    }

    private static Object call(Method m, Object... args) {
        try {
            return m.invoke(null, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m, e);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) throw r;
            throw new IllegalStateException(m + " failed", t);
        }
    }

    private static Object convertScalar(Object v, Class<?> p, String type, String field) {
        if (v instanceof Boolean bool) {
            if (p == boolean.class) return bool;
            v = bool ? 1 : 0;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(type + "." + field + " is a " + v.getClass().getSimpleName() + ", not a scalar");
        }
        if (p == boolean.class) return n.longValue() != 0;
        if (p == byte.class) return n.byteValue();
        if (p == short.class) return n.shortValue();
        if (p == int.class) return n.intValue();
        if (p == long.class) return n.longValue();
        if (p == float.class) return n.floatValue();
        if (p == double.class) return n.doubleValue();
        throw new IllegalStateException(type + "." + field + ": unsupported parameter type " + p);
    }

    /** Converts a primitive array value to the array type the generated vector creator takes. */
    private static Object convertArray(Object v, Class<?> p, String type, String field) {
        if (p.isInstance(v)) return v;
        long[] longs;
        if (v instanceof int[] a) longs = Arrays.stream(a).asLongStream().toArray();
        else if (v instanceof long[] a) longs = a;
        else if (v instanceof byte[] a) { longs = new long[a.length]; for (int i = 0; i < a.length; i++) longs[i] = a[i]; }
        else if (v instanceof short[] a) { longs = new long[a.length]; for (int i = 0; i < a.length; i++) longs[i] = a[i]; }
        else if (v instanceof boolean[] a) { longs = new long[a.length]; for (int i = 0; i < a.length; i++) longs[i] = a[i] ? 1 : 0; }
        else if (v instanceof float[] a && p == double[].class) { double[] d = new double[a.length]; for (int i = 0; i < a.length; i++) d[i] = a[i]; return d; }
        else if (v instanceof double[] a && p == float[].class) { float[] d = new float[a.length]; for (int i = 0; i < a.length; i++) d[i] = (float) a[i]; return d; }
        else throw new IllegalArgumentException(type + "." + field + ": cannot write a " + v.getClass().getSimpleName() + " as " + p.getSimpleName());
        int n = longs.length;
        if (p == long[].class) return longs;
        if (p == int[].class) { int[] o = new int[n]; for (int i = 0; i < n; i++) o[i] = (int) longs[i]; return o; }
        if (p == short[].class) { short[] o = new short[n]; for (int i = 0; i < n; i++) o[i] = (short) longs[i]; return o; }
        if (p == byte[].class) { byte[] o = new byte[n]; for (int i = 0; i < n; i++) o[i] = (byte) longs[i]; return o; }
        if (p == boolean[].class) { boolean[] o = new boolean[n]; for (int i = 0; i < n; i++) o[i] = longs[i] != 0; return o; }
        throw new IllegalArgumentException(type + "." + field + ": cannot write a " + v.getClass().getSimpleName() + " as " + p.getSimpleName());
    }
}
