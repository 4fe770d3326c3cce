package dev.minnow.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The builtin options of an operator as name/value pairs. Names are the camel-case field names of the TFLite
 * schema ({@code strideW}, {@code fusedActivationFunction}, {@code squeezeDims}); enum and integer fields are
 * {@code int}, 64-bit fields {@code long}, vectors {@code int[]}. When the model stores no options table the
 * map is empty and every getter returns the default it is given.
 */
public final class BuiltinOptions {
    public static final BuiltinOptions NONE = new BuiltinOptions("NONE", Map.of());

    private final String type;
    private final Map<String, Object> values;

    public BuiltinOptions(String type, Map<String, Object> values) {
        this.type = type;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /** The schema's options table name, e.g. "Conv2DOptions", or "NONE". */
    public String type() { return type; }

    public boolean isPresent() { return !values.isEmpty(); }

    public boolean has(String name) { return values.containsKey(name); }

    public Map<String, Object> asMap() { return values; }

    public int getInt(String name, int defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Integer i) return i;
        if (v instanceof Long l) return (int) (long) l;
        if (v instanceof Boolean b) return b ? 1 : 0;
        throw new ModelFormatException(type + "." + name + " is " + v.getClass().getSimpleName() + ", not an integer");
    }

    public long getLong(String name, long defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Number n) return n.longValue();
        throw new ModelFormatException(type + "." + name + " is " + v.getClass().getSimpleName() + ", not an integer");
    }

    public float getFloat(String name, float defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Float f) return f;
        if (v instanceof Number n) return n.floatValue();
        throw new ModelFormatException(type + "." + name + " is " + v.getClass().getSimpleName() + ", not a float");
    }

    public boolean getBool(String name, boolean defaultValue) {
        Object v = values.get(name);
        if (v == null) return defaultValue;
        if (v instanceof Boolean b) return b;
        if (v instanceof Number n) return n.intValue() != 0;
        throw new ModelFormatException(type + "." + name + " is " + v.getClass().getSimpleName() + ", not a bool");
    }

    /** A vector field, or an empty array when absent. */
    public int[] getInts(String name) {
        Object v = values.get(name);
        if (v == null) return new int[0];
        if (v instanceof int[] a) return a.clone();
        throw new ModelFormatException(type + "." + name + " is " + v.getClass().getSimpleName() + ", not an int vector");
    }

    @Override public boolean equals(Object o) {
        if (!(o instanceof BuiltinOptions b) || !type.equals(b.type) || !values.keySet().equals(b.values.keySet())) return false;
        for (var e : values.entrySet()) {
            Object x = e.getValue(), y = b.values.get(e.getKey());
            if (x instanceof int[] xa ? !(y instanceof int[] ya && java.util.Arrays.equals(xa, ya)) : !x.equals(y)) return false;
        }
        return true;
    }
    @Override public int hashCode() { return type.hashCode() * 31 + values.keySet().hashCode(); }
    @Override public String toString() {
        StringBuilder sb = new StringBuilder(type).append('{');
        values.forEach((k, v) -> sb.append(k).append('=').append(v instanceof int[] a ? java.util.Arrays.toString(a) : v).append(", "));
        if (!values.isEmpty()) sb.setLength(sb.length() - 2);
        return sb.append('}').toString();
    }
}
