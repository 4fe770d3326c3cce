package dev.minnow.model;

/**
 * Bounds checks for a flatbuffer, in the manner of the FlatBuffers verifier: every table, vtable, vector and
 * string must lie inside the buffer, aligned, before anything reads it. Positions are absolute byte offsets.
 */
final class FlatBufferChecker {
    private final byte[] b;
    private final int limit;
    private int tables;
    private static final int MAX_TABLES = 1_000_000;

    FlatBufferChecker(byte[] bytes) {
        this.b = bytes;
        this.limit = bytes.length;
    }

    int length() { return limit; }

    int u16(int pos) { return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8; }

    int i32(int pos) { return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24; }

    long i64(int pos) { return (i32(pos) & 0xFFFFFFFFL) | ((long) i32(pos + 4)) << 32; }

    private void need(long pos, long size, int align, String what) {
        if (pos < 0 || size < 0 || pos + size > limit) {
            throw new ModelFormatException(what + ": " + size + " bytes at offset " + pos + " run outside the "
                    + limit + "-byte buffer");
        }
        if (align > 1 && pos % align != 0) {
            throw new ModelFormatException(what + ": offset " + pos + " is not aligned to " + align + " bytes");
        }
    }

    /** Follows the unsigned 32-bit offset stored at {@code pos}; returns the absolute target. */
    int deref(int pos, String what) {
        need(pos, 4, 4, what + " (offset field)");
        long target = pos + (i32(pos) & 0xFFFFFFFFL);
        if (target >= limit) {
            throw new ModelFormatException(what + ": offset " + target + " points past the end of the " + limit + "-byte buffer");
        }
        return (int) target;
    }

    /** A verified table: its position and vtable. */
    final class Table {
        final int pos;
        final int vtable;
        final int vsize;
        final int tsize;
        final String what;

        Table(int pos, String what) {
            if (++tables > MAX_TABLES) throw new ModelFormatException("more than " + MAX_TABLES + " tables in the model");
            need(pos, 4, 4, what + " table");
            long vt = (long) pos - i32(pos);
            need(vt, 4, 2, what + " vtable");
            this.pos = pos;
            this.vtable = (int) vt;
            this.vsize = u16(vtable);
            this.tsize = u16(vtable + 2);
            this.what = what;
            if (vsize < 4 || (vsize & 1) != 0) throw new ModelFormatException(what + " vtable: size " + vsize + " is invalid");
            need(vtable, vsize, 2, what + " vtable");
            need(pos, tsize, 1, what + " table body");
        }

        /** Absolute position of field {@code id}, or 0 when absent; checks it fits inside the table. */
        int field(int id, int size) {
            int slot = 4 + 2 * id;
            if (slot + 2 > vsize) return 0;
            int off = u16(vtable + slot);
            if (off == 0) return 0;
            if (off + size > tsize) {
                throw new ModelFormatException(what + ": field " + id + " (" + size + " bytes at " + off
                        + ") lies outside the table's " + tsize + " bytes");
            }
            return pos + off;
        }

        boolean has(int id) { return field(id, 1) != 0; }

        long u32(int id, long def) { int p = field(id, 4); return p == 0 ? def : i32(p) & 0xFFFFFFFFL; }

        int i32f(int id, int def) { int p = field(id, 4); return p == 0 ? def : i32(p); }

        int u8(int id, int def) { int p = field(id, 1); return p == 0 ? def : b[p] & 0xFF; }

        long i64f(int id, long def) { int p = field(id, 8); return p == 0 ? def : i64(p); }

        /** A sub-table, or null when absent. */
        Table table(int id, String name) {
            int p = field(id, 4);
            return p == 0 ? null : new Table(deref(p, what + "." + name), what + "." + name);
        }

        /** Checks a vector of {@code elemSize}-byte elements; returns its element count, or -1 when absent. */
        int vector(int id, int elemSize, String name) {
            int p = field(id, 4);
            if (p == 0) return -1;
            int v = deref(p, what + "." + name);
            return vectorAt(v, elemSize, what + "." + name);
        }

        /** Absolute position of the first element of a (checked) vector field. */
        int vectorData(int id) {
            int p = field(id, 4);
            return p + i32(p) + 4;
        }

        /** Checks and reads a string field, or returns null when absent. */
        String string(int id, String name) {
            int p = field(id, 4);
            if (p == 0) return null;
            int v = deref(p, what + "." + name);
            int n = vectorAt(v, 1, what + "." + name);
            need(v + 4L + n, 1, 1, what + "." + name + " terminator");
            return new String(b, v + 4, n, java.nio.charset.StandardCharsets.UTF_8);
        }

        /** Checks every table of a vector of tables; returns them (empty when absent). */
        Table[] tables(int id, String name) {
            int n = vector(id, 4, name);
            if (n <= 0) return new Table[0];
            int data = vectorData(id);
            Table[] out = new Table[n];
            for (int i = 0; i < n; i++) out[i] = new Table(deref(data + 4 * i, what + "." + name + "[" + i + "]"), name + "[" + i + "]");
            return out;
        }

        int[] ints(int id, String name) {
            int n = vector(id, 4, name);
            if (n <= 0) return new int[0];
            int data = vectorData(id);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = i32(data + 4 * i);
            return out;
        }

        float[] floats(int id, String name) {
            int[] raw = ints(id, name);
            float[] out = new float[raw.length];
            for (int i = 0; i < raw.length; i++) out[i] = Float.intBitsToFloat(raw[i]);
            return out;
        }

        long[] longs(int id, String name) {
            int n = vector(id, 8, name);
            if (n <= 0) return new long[0];
            int data = vectorData(id);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = i64(data + 8 * i);
            return out;
        }

        /** Position and length of a byte vector, as {pos, len}, or null when absent. */
        int[] bytesRange(int id, String name) {
            int n = vector(id, 1, name);
            if (n < 0) return null;
            return new int[] {vectorData(id), n};
        }
    }

    private int vectorAt(int v, int elemSize, String what) {
        need(v, 4, 4, what + " length");
        long n = i32(v) & 0xFFFFFFFFL;
        if (n * elemSize > limit - (v + 4L)) {
            throw new ModelFormatException(what + ": vector of " + n + " elements of " + elemSize
                    + " bytes at offset " + v + " runs past the end of the " + limit + "-byte buffer");
        }
        return (int) n;
    }

    Table root(String what) {
        if (limit < 8) throw new ModelFormatException("buffer of " + limit + " bytes is too short for a flatbuffer (at least 8)");
        return new Table(deref(0, what + " root"), what);
    }
}
