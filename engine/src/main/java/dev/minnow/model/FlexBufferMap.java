package dev.minnow.model;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader for the one FlexBuffers shape custom operators store in {@code custom_options}: a map whose root
 * is the buffer's last value, from string keys to scalars (int, uint, bool, float, inline or indirect). Every offset,
 * width and length is checked against the buffer before it is read; anything else, or anything malformed, is a
 * {@link FlexBufferException} naming the problem. Nested vectors, maps and strings are recorded by type and refused
 * only when a caller asks for them as a number.
 *
 * <p>TFLM's kernels read map values by position ({@code FlexbufferWrapper::ElementAsInt32(i)}) in the map's key
 * order, which FlexBuffers keeps sorted; this reader requires strictly ascending keys, so a lookup by name reads the
 * same slot.
 */
public final class FlexBufferMap {
    // FlexBuffers type codes (flexbuffers.h)
    private static final int NULL = 0, INT = 1, UINT = 2, FLOAT = 3, KEY = 4, STRING = 5, INDIRECT_INT = 6,
            INDIRECT_UINT = 7, INDIRECT_FLOAT = 8, MAP = 9, BOOL = 26;

    /** One value: its FlexBuffers type code and, for scalars, the value (floats as their double). */
    private record Value(int type, long bits, double real) {}

    private final Map<String, Value> entries;

    private FlexBufferMap(Map<String, Value> entries) { this.entries = entries; }

    /** Parses {@code buf} as a FlexBuffers map. */
    public static FlexBufferMap parse(byte[] buf) {
        if (buf == null || buf.length < 3) {
            throw new FlexBufferException("flexbuffer of " + (buf == null ? 0 : buf.length)
                    + " bytes is too short: a root needs at least a value, its type and its width");
        }
        return new Reader(buf).root();
    }

    /** The keys, in the buffer's (sorted) order. */
    public Set<String> keys() { return Collections.unmodifiableSet(entries.keySet()); }

    /** Number of entries. */
    public int size() { return entries.size(); }

    /** Whether the map has an entry named {@code key}. */
    public boolean contains(String key) { return entries.containsKey(key); }

    /** An integer value (int, uint or bool) as a long; uint values above Long.MAX_VALUE are refused. */
    public long getLong(String key) {
        Value v = get(key);
        switch (v.type) {
            case INT, INDIRECT_INT, BOOL -> { return v.bits; }
            case UINT, INDIRECT_UINT -> {
                if (v.bits < 0) throw new FlexBufferException("key '" + key + "' holds " + Long.toUnsignedString(v.bits) + ", beyond the signed 64-bit range");
                return v.bits;
            }
            default -> throw new FlexBufferException("key '" + key + "' holds a " + typeName(v.type) + ", expected an integer");
        }
    }

    /** An integer value that must fit in int32 (TFLM reads these with ElementAsInt32). */
    public int getInt(String key) {
        long v = getLong(key);
        if (v != (int) v) throw new FlexBufferException("key '" + key + "' holds " + v + ", outside the 32-bit integer range");
        return (int) v;
    }

    /** A bool, or an integer that is 0 or 1. */
    public boolean getBool(String key) {
        Value v = get(key);
        if (v.type == BOOL) return v.bits != 0;
        long x = getLong(key);
        if (x != 0 && x != 1) throw new FlexBufferException("key '" + key + "' holds " + x + ", expected a bool");
        return x == 1;
    }

    /** A float value (or an integer, converted). */
    public double getDouble(String key) {
        Value v = get(key);
        if (v.type == FLOAT || v.type == INDIRECT_FLOAT) return v.real;
        return getLong(key);
    }

    // ---- flexbuffers' own conversions, for kernels that read options by name with Reference::As* ----

    /** Whether {@code key} is absent or holds a null, as flexbuffers' {@code map[key].IsNull()}. */
    public boolean isNull(String key) {
        Value v = entries.get(key);
        return v == null || v.type == NULL;
    }

    /**
     * The value as flexbuffers' {@code AsInt64()} converts it: integers and bools as they are, floats truncated toward
     * zero (x86-64's conversion: out of range or NaN gives Long.MIN_VALUE), absent or null 0. Strings and vectors, which
     * flexbuffers would parse or count, are refused.
     */
    public long asInt64(String key) {
        Value v = entries.get(key);
        if (v == null) return 0;
        return switch (v.type) {
            case NULL -> 0;
            case INT, INDIRECT_INT, UINT, INDIRECT_UINT, BOOL -> v.bits;
            case FLOAT, INDIRECT_FLOAT -> {
                double d = v.real;
                yield d >= -0x1p63 && d < 0x1p63 ? (long) d : Long.MIN_VALUE;
            }
            default -> throw new FlexBufferException("key '" + key + "' holds a " + typeName(v.type) + ", not a number");
        };
    }

    /** flexbuffers' {@code AsInt32()}: {@link #asInt64} keeping its low 32 bits. */
    public int asInt32(String key) { return (int) asInt64(key); }

    /** flexbuffers' {@code AsDouble()}: floats as stored, integers converted, absent or null 0. */
    public double asDouble(String key) {
        Value v = entries.get(key);
        if (v == null) return 0;
        return switch (v.type) {
            case NULL -> 0;
            case FLOAT, INDIRECT_FLOAT -> v.real;
            case INT, INDIRECT_INT, BOOL -> (double) v.bits;
            case UINT, INDIRECT_UINT -> v.bits >= 0 ? (double) v.bits : Double.parseDouble(Long.toUnsignedString(v.bits));
            default -> throw new FlexBufferException("key '" + key + "' holds a " + typeName(v.type) + ", not a number");
        };
    }

    /** flexbuffers' {@code AsFloat()}: {@link #asDouble} rounded to float. */
    public float asFloat(String key) { return (float) asDouble(key); }

    /** flexbuffers' {@code AsBool()}: non-zero; absent or null false. */
    public boolean asBool(String key) {
        Value v = entries.get(key);
        if (v == null || v.type == NULL) return false;
        return asInt64(key) != 0;
    }

    private Value get(String key) {
        Value v = entries.get(key);
        if (v == null) throw new FlexBufferException("no key '" + key + "' (keys: " + entries.keySet() + ")");
        return v;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("{");
        entries.forEach((k, v) -> {
            if (sb.length() > 1) sb.append(", ");
            sb.append(k).append('=');
            switch (v.type) {
                case INT, INDIRECT_INT, BOOL -> sb.append(v.bits);
                case UINT, INDIRECT_UINT -> sb.append(Long.toUnsignedString(v.bits));
                case FLOAT, INDIRECT_FLOAT -> sb.append(v.real);
                default -> sb.append('<').append(typeName(v.type)).append('>');
            }
        });
        return sb.append('}').toString();
    }

    static String typeName(int type) {
        return switch (type) {
            case NULL -> "null";
            case INT -> "int";
            case UINT -> "uint";
            case FLOAT -> "float";
            case KEY -> "key";
            case STRING -> "string";
            case INDIRECT_INT -> "indirect int";
            case INDIRECT_UINT -> "indirect uint";
            case INDIRECT_FLOAT -> "indirect float";
            case MAP -> "map";
            case BOOL -> "bool";
            default -> type >= 10 && type <= 25 || type == 36 ? "vector (type " + type + ")" : "type " + type;
        };
    }

    private static final class Reader {
        private final byte[] buf;

        Reader(byte[] buf) { this.buf = buf; }

        FlexBufferMap root() {
            int n = buf.length;
            int rootWidth = buf[n - 1] & 0xFF;
            checkWidth(rootWidth, "root byte width");
            int packed = buf[n - 2] & 0xFF;
            int type = packed >> 2;
            if (type != MAP) throw new FlexBufferException("root is a " + typeName(type) + ", expected a map");
            int rootPos = n - 2 - rootWidth;
            if (rootPos < 0) throw new FlexBufferException("root value of " + rootWidth + " bytes does not fit in a " + n + "-byte buffer");
            int map = target(rootPos, rootWidth, "map");
            return readMap(map, 1 << (packed & 3));
        }

        private FlexBufferMap readMap(int map, int w) {
            checkWidth(w, "map element width");
            int prefix = map - 3 * w;
            if (prefix < 0) throw new FlexBufferException("map at byte " + map + " has no room for its " + 3 * w + "-byte header");
            int size = count(map - w, w, "map size");
            if ((long) size * (w + 1) > buf.length - map) {
                throw new FlexBufferException("map of " + size + " entries at byte " + map + " runs past the end of the " + buf.length + "-byte buffer");
            }
            int keys = target(prefix, w, "key vector");
            int kw = (int) unsigned(map - 2 * w, w, "key vector width");
            checkWidth(kw, "key vector width");
            if (keys - kw < 0) throw new FlexBufferException("key vector at byte " + keys + " has no room for its size");
            int keyCount = count(keys - kw, kw, "key vector size");
            if (keyCount != size) throw new FlexBufferException("map has " + size + " values but " + keyCount + " keys");
            if ((long) keys + (long) size * kw > buf.length) throw new FlexBufferException("key vector of " + size + " entries runs past the end of the buffer");
            Map<String, Value> entries = new LinkedHashMap<>();
            String previous = null;
            for (int i = 0; i < size; i++) {
                String key = string(target(keys + i * kw, kw, "key " + i), "key " + i);
                if (previous != null && compare(previous, key) >= 0) {
                    throw new FlexBufferException("map keys are not strictly ascending: '" + previous + "' then '" + key + "'");
                }
                previous = key;
                int t = buf[map + size * w + i] & 0xFF;
                entries.put(key, value(map + i * w, w, t, key));
            }
            return new FlexBufferMap(entries);
        }

        private Value value(int pos, int w, int packed, String key) {
            int type = packed >> 2;
            int tw = 1 << (packed & 3);
            return switch (type) {
                case INT -> new Value(INT, signed(pos, w, key), 0);
                case UINT -> new Value(UINT, unsigned(pos, w, key), 0);
                case BOOL -> new Value(BOOL, unsigned(pos, w, key) != 0 ? 1 : 0, 0);
                case NULL -> new Value(NULL, 0, 0);
                case FLOAT -> new Value(FLOAT, 0, real(pos, w, key));
                case INDIRECT_INT -> { int t = target(pos, w, key); need(t, tw, key); yield new Value(INDIRECT_INT, signed(t, tw, key), 0); }
                case INDIRECT_UINT -> { int t = target(pos, w, key); need(t, tw, key); yield new Value(INDIRECT_UINT, unsigned(t, tw, key), 0); }
                case INDIRECT_FLOAT -> { int t = target(pos, w, key); need(t, tw, key); yield new Value(INDIRECT_FLOAT, 0, real(t, tw, key)); }
                default -> {
                    if (type > 36 || (type > 26 && type < 36)) throw new FlexBufferException("key '" + key + "' has unknown value type " + type);
                    yield new Value(type, 0, 0);
                }
            };
        }

        /** The position an unsigned offset stored at {@code pos} points back to. */
        private int target(int pos, int width, String what) {
            long off = unsigned(pos, width, what + " offset");
            if (off <= 0 || off > pos) throw new FlexBufferException(what + " offset " + Long.toUnsignedString(off) + " at byte " + pos + " points outside the buffer");
            return (int) (pos - off);
        }

        private int count(int pos, int width, String what) {
            long c = unsigned(pos, width, what);
            if (c < 0 || c > buf.length) throw new FlexBufferException(what + " " + Long.toUnsignedString(c) + " exceeds the " + buf.length + "-byte buffer");
            return (int) c;
        }

        private void need(int pos, int width, String what) {
            if (pos < 0 || (long) pos + width > buf.length) {
                throw new FlexBufferException(what + ": " + width + " bytes at byte " + pos + " lie outside the " + buf.length + "-byte buffer");
            }
        }

        private long unsigned(int pos, int width, String what) {
            need(pos, width, what);
            long v = 0;
            for (int i = width - 1; i >= 0; i--) v = (v << 8) | (buf[pos + i] & 0xFF);
            return v;
        }

        private long signed(int pos, int width, String what) {
            long v = unsigned(pos, width, what);
            int shift = 64 - 8 * width;
            return (v << shift) >> shift;
        }

        private double real(int pos, int width, String what) {
            long bits = unsigned(pos, width, what);
            return switch (width) {
                case 4 -> Float.intBitsToFloat((int) bits);
                case 8 -> Double.longBitsToDouble(bits);
                default -> throw new FlexBufferException(what + ": a float of " + width + " bytes (only 4 and 8 exist)");
            };
        }

        private String string(int pos, String what) {
            int end = pos;
            while (end < buf.length && buf[end] != 0) end++;
            if (end >= buf.length) throw new FlexBufferException(what + " at byte " + pos + " has no terminating NUL inside the buffer");
            return new String(buf, pos, end - pos, StandardCharsets.UTF_8);
        }

        private static void checkWidth(int w, String what) {
            if (w != 1 && w != 2 && w != 4 && w != 8) throw new FlexBufferException(what + " is " + w + ", must be 1, 2, 4 or 8");
        }

        /** strcmp order (FlexBuffers sorts keys bytewise). */
        private static int compare(String a, String b) {
            byte[] x = a.getBytes(StandardCharsets.UTF_8), y = b.getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < Math.min(x.length, y.length); i++) {
                int c = (x[i] & 0xFF) - (y[i] & 0xFF);
                if (c != 0) return c;
            }
            return x.length - y.length;
        }
    }
}
