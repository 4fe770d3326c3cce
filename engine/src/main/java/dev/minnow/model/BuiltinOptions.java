package dev.minnow.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The builtin options of an operator as name/value pairs. Names are the camel-case field names of the TFLite
 * schema, as flatc's Java accessors spell them ({@code strideW}, {@code fusedActivationFunction},
 * {@code squeezeDims}). Value types follow the schema type:
 * <ul>
 *   <li>{@code bool}: Boolean; {@code byte}, {@code ubyte}, {@code short}, {@code ushort}, {@code int} and enums
 *       stored in them: Integer with the schema's value (e.g. padding SAME=0 VALID=1); {@code uint}, {@code long},
 *       {@code ulong} and uint enums: Long; {@code float}: Float; {@code double}: Double; {@code string}: String;</li>
 *   <li>vectors: {@code int[]} for int, short and ushort elements, {@code long[]} for uint, long and ulong,
 *       {@code float[]}, {@code double[]}, {@code boolean[]} and {@code byte[]} for byte and ubyte.</li>
 * </ul>
 * When the options table is present, every scalar field appears, with the schema default where the model omits
 * it, every vector appears (empty when omitted) and strings appear only when stored. When the model stores no
 * options table the map is empty and every getter returns the default it is given.
 */
public final class BuiltinOptions {
    /** No options table. */
    public static final BuiltinOptions NONE = new BuiltinOptions("NONE", Map.of(), false);

    private final String type;
    private final Map<String, Object> values;
    private final boolean present;

    /** Options of the schema table {@code type}; present when {@code values} is non-empty. */
    public BuiltinOptions(String type, Map<String, Object> values) {
        this(type, values, !values.isEmpty());
    }

    /**
     * Options of the schema table {@code type}; {@code present} tells whether the model stores the table (tables
     * without fields, such as {@code AbsOptions}, hold no values but are present).
     */
    public BuiltinOptions(String type, Map<String, Object> values, boolean present) {
        this.type = Objects.requireNonNull(type, "type");
        TreeMap<String, Object> copy = new TreeMap<>();
        values.forEach((k, v) -> copy.put(k, copyValue(v)));
        this.values = Collections.unmodifiableMap(copy);
        this.present = present;
    }

    /** The schema's options table name, e.g. "Conv2DOptions", or "NONE". */
    public String type() { return type; }

    /** Whether the model stores an options table for the operator. */
    public boolean isPresent() { return present; }

    /** Whether the options hold a value named {@code name}. */
    public boolean has(String name) { return values.containsKey(name); }

    /** All values by name; arrays in it are shared, do not modify them (the typed getters return copies). */
    public Map<String, Object> asMap() { return values; }

    /** The integer option {@code name} (a bool as 0/1), or {@code defaultValue} when absent. */
    public int getInt(String name, int defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Integer i) return i;
        if (v instanceof Long l) return (int) (long) l;
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw wrongType(name, v, "an integer");
    }

    /** The integer option {@code name} as a long (a bool as 0/1), or {@code defaultValue} when absent. */
    public long getLong(String name, long defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue();
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw wrongType(name, v, "an integer");
    }

    /** The float option {@code name}, or {@code defaultValue} when absent. */
    public float getFloat(String name, float defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Float f) return f;
        if (v instanceof Number n) return n.floatValue();
        throw wrongType(name, v, "a float");
    }

    /** The numeric option {@code name} as a double, or {@code defaultValue} when absent. */
    public double getDouble(String name, double defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Number n) return n.doubleValue();
        throw wrongType(name, v, "a double");
    }

    /** The bool option {@code name} (an integer is true when non-zero), or {@code defaultValue} when absent. */
    public boolean getBool(String name, boolean defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Boolean b) return b;
        if (v instanceof Integer || v instanceof Long) return ((Number) v).longValue() != 0;
        throw wrongType(name, v, "a bool");
    }

    /** A string field, or {@code defaultValue} when absent. */
    public String getString(String name, String defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof String s) return s;
        throw wrongType(name, v, "a string");
    }

    /** An int vector field (a copy), or an empty array when absent. */
    public int[] getInts(String name) {
        Object v = values.get(name);
        if (v == null) return new int[0];
        if (v instanceof int[] a) return a.clone();
        throw wrongType(name, v, "an int vector");
    }

    /** A long vector field (a copy; int vectors are widened), or an empty array when absent. */
    public long[] getLongs(String name) {
        Object v = values.get(name);
        if (v == null) return new long[0];
        if (v instanceof long[] a) return a.clone();
        if (v instanceof int[] a) return Arrays.stream(a).asLongStream().toArray();
        throw wrongType(name, v, "a long vector");
    }

    /** A float vector field (a copy), or an empty array when absent. */
    public float[] getFloats(String name) {
        Object v = values.get(name);
        if (v == null) return new float[0];
        if (v instanceof float[] a) return a.clone();
        throw wrongType(name, v, "a float vector");
    }

    /** A bool vector field (a copy), or an empty array when absent. */
    public boolean[] getBools(String name) {
        Object v = values.get(name);
        if (v == null) return new boolean[0];
        if (v instanceof boolean[] a) return a.clone();
        throw wrongType(name, v, "a bool vector");
    }

    /** A byte vector field (a copy), or an empty array when absent. */
    public byte[] getBytes(String name) {
        Object v = values.get(name);
        if (v == null) return new byte[0];
        if (v instanceof byte[] a) return a.clone();
        throw wrongType(name, v, "a byte vector");
    }

    private ModelFormatException wrongType(String name, Object v, String wanted) {
        return new ModelFormatException(type + "." + name + " is " + v.getClass().getSimpleName() + ", not " + wanted);
    }

    private static Object copyValue(Object v) {
        if (v instanceof int[] a) return a.clone();
        if (v instanceof long[] a) return a.clone();
        if (v instanceof float[] a) return a.clone();
        if (v instanceof double[] a) return a.clone();
        if (v instanceof boolean[] a) return a.clone();
        if (v instanceof byte[] a) return a.clone();
        return Objects.requireNonNull(v, "option value");
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof BuiltinOptions b) || !type.equals(b.type) || present != b.present
                || !values.keySet().equals(b.values.keySet())) {
            return false;
        }
        for (var e : values.entrySet()) if (!Objects.deepEquals(e.getValue(), b.values.get(e.getKey()))) return false;
        return true;
    }

    @Override public int hashCode() { return type.hashCode() * 31 + values.keySet().hashCode(); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder(type).append('{');
        values.forEach((k, v) -> sb.append(k).append('=').append(valueString(v)).append(", "));
        if (!values.isEmpty()) sb.setLength(sb.length() - 2);
        return sb.append('}').toString();
    }

    private static String valueString(Object v) {
        if (v instanceof int[] a) return Arrays.toString(a);
        if (v instanceof long[] a) return Arrays.toString(a);
        if (v instanceof float[] a) return Arrays.toString(a);
        if (v instanceof double[] a) return Arrays.toString(a);
        if (v instanceof boolean[] a) return Arrays.toString(a);
        if (v instanceof byte[] a) return Arrays.toString(a);
        return String.valueOf(v);
    }
}
