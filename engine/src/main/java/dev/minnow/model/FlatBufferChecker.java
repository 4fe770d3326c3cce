package dev.minnow.model;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reading of a flatbuffer with the FlatBuffers verifier's rules: every offset is non-zero, below
 * 2^31 and lands inside the buffer; every table, vtable, field, vector and string lies inside the buffer and is
 * aligned; strings are zero-terminated. Nothing is read before it has been checked. On top of the verifier it
 * bounds the work a malicious buffer can cause: the number of tables visited and the number of elements decoded
 * are limited relative to the buffer's size, so shared sub-objects referenced over and over cannot blow up time
 * or memory. Every defect raises {@link ModelFormatException} naming the object path, offsets and sizes.
 */
final class FlatBufferChecker {
    /** The verifier's default table limit. */
    static final int MAX_TABLES = 1_000_000;

    private final byte[] b;
    private final int limit;
    private int tables;
    private long budget;
    private final long initialBudget;
    private long dataBudget;
    private final long initialDataBudget;

    FlatBufferChecker(byte[] bytes) {
        this.b = bytes;
        this.limit = bytes.length;
        // A well-formed model decodes each vector element about once; allow generous sharing on top.
        this.initialBudget = 8L * limit + (1 << 16);
        this.budget = initialBudget;
        // Constant data is copied per tensor; converters share (deduplicate) buffers between a few tensors.
        this.initialDataBudget = 16L * limit + (16 << 20);
        this.dataBudget = initialDataBudget;
    }

    int u16(int pos) { return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8; }

    int int32At(int pos) { return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | (b[pos + 3] & 0xFF) << 24; }

    long int64At(int pos) { return (int32At(pos) & 0xFFFFFFFFL) | ((long) int32At(pos + 4)) << 32; }

    /**
     * Counts {@code units} of decoding work (elements copied out of the buffer) against a budget proportional to
     * the buffer's size; a buffer whose objects are shared so often that decoding would explode is rejected.
     */
    void charge(long units, String what) {
        budget -= units;
        if (budget < 0) {
            throw new ModelFormatException(what + ": the model's objects are referenced so often that reading it would "
                    + "decode more than " + initialBudget + " elements from a " + limit + "-byte buffer");
        }
    }

    /**
     * Counts bytes of constant data copied out of the buffer (tensor data, metadata, custom options) against a
     * budget of 16 times the buffer's size plus 16 MiB, so buffers shared by very many tensors cannot exhaust memory.
     */
    void chargeData(long bytes, String what) {
        dataBudget -= bytes;
        if (dataBudget < 0) {
            throw new ModelFormatException(what + ": the model's buffers are shared by so many tensors that reading it would "
                    + "copy more than " + initialDataBudget + " bytes of constant data from a " + limit + "-byte buffer");
        }
    }

    private void need(long pos, long size, int align, String what) {
        if (pos < 0 || size < 0 || pos + size > limit) {
            throw new ModelFormatException(what + ": " + size + " bytes at offset " + pos + " run outside the "
                    + limit + "-byte buffer");
        }
        if (align > 1 && pos % align != 0) {
            throw new ModelFormatException(what + ": offset " + pos + " is not aligned to " + align + " bytes");
        }
    }

    /** Follows the 32-bit offset stored at {@code pos} (verifier rules: non-zero, below 2^31, in the buffer). */
    int deref(int pos, String what) {
        need(pos, 4, 4, what + " (offset field)");
        int o = int32At(pos);
        if (o == 0) throw new ModelFormatException(what + ": offset at " + pos + " is 0 (points to itself)");
        if (o < 0) {
            throw new ModelFormatException(what + ": offset " + (o & 0xFFFFFFFFL) + " at " + pos + " exceeds 2^31");
        }
        long target = (long) pos + o;
        if (target >= limit) {
            throw new ModelFormatException(what + ": offset " + o + " at " + pos + " points to " + target
                    + ", past the end of the " + limit + "-byte buffer");
        }
        return (int) target;
    }

    /** A verified table: its position, vtable, and the path used in messages. */
    final class Table {
        final int pos;
        final int vtable;
        final int vsize;
        final int tsize;
        final String what;

        Table(int pos, String what) {
            if (++tables > MAX_TABLES) throw new ModelFormatException(what + ": more than " + MAX_TABLES + " tables in the model");
            charge(1, what);
            need(pos, 4, 4, what + " table");
            long vt = (long) pos - int32At(pos);
            need(vt, 4, 2, what + " vtable");
            this.pos = pos;
            this.vtable = (int) vt;
            this.vsize = u16(vtable);
            this.tsize = u16(vtable + 2);
            this.what = what;
            if (vsize < 4 || (vsize & 1) != 0) {
                throw new ModelFormatException(what + " vtable at " + vtable + ": size " + vsize + " is invalid (even, >= 4)");
            }
            need(vtable, vsize, 2, what + " vtable");
            if (tsize < 4) throw new ModelFormatException(what + " table at " + pos + ": inline size " + tsize + " is below 4");
            need(pos, tsize, 1, what + " table body");
        }

        /**
         * Absolute position of field {@code id}, or 0 when absent; checks that its {@code size} bytes lie inside
         * the table and are aligned to {@code size} (the verifier's scalar alignment rule).
         */
        int field(int id, int size, String name) {
            int slot = 4 + 2 * id;
            if (slot + 2 > vsize) return 0;
            int off = u16(vtable + slot);
            if (off == 0) return 0;
            if (off < 4 || off + size > tsize) {
                throw new ModelFormatException(what + "." + name + ": field " + id + " (" + size + " bytes at table offset "
                        + off + ") lies outside the table's " + tsize + " bytes");
            }
            int p = pos + off;
            if (p % size != 0) {
                throw new ModelFormatException(what + "." + name + ": " + size + "-byte field at offset " + p
                        + " is not aligned to " + size + " bytes");
            }
            return p;
        }

        boolean bool(int id, String name, boolean def) { int p = field(id, 1, name); return p == 0 ? def : b[p] != 0; }

        int u8(int id, String name, int def) { int p = field(id, 1, name); return p == 0 ? def : b[p] & 0xFF; }

        int i8(int id, String name, int def) { int p = field(id, 1, name); return p == 0 ? def : b[p]; }

        int i32(int id, String name, int def) { int p = field(id, 4, name); return p == 0 ? def : int32At(p); }

        long u32(int id, String name, long def) {
            int p = field(id, 4, name);
            return p == 0 ? def : int32At(p) & 0xFFFFFFFFL;
        }

        long i64(int id, String name, long def) { int p = field(id, 8, name); return p == 0 ? def : int64At(p); }

        /** Reads a scalar of the given kind as the boxed type {@link BuiltinOptions} documents. */
        Object scalar(int id, String name, OptionsLayout.Kind kind, Object def) {
            int p = field(id, kind.size, name);
            if (p == 0) return def;
            return switch (kind) {
                case BOOL -> b[p] != 0;
                case I8 -> (int) b[p];
                case U8 -> b[p] & 0xFF;
                case I16 -> (int) (short) u16(p);
                case U16 -> u16(p);
                case I32 -> int32At(p);
                case U32 -> int32At(p) & 0xFFFFFFFFL;
                case I64, U64 -> int64At(p);
                case F32 -> Float.intBitsToFloat(int32At(p));
                case F64 -> Double.longBitsToDouble(int64At(p));
                default -> throw new IllegalArgumentException(kind + " is not a scalar");
            };
        }

        /** A sub-table, or null when absent. */
        Table table(int id, String name) {
            int p = field(id, 4, name);
            return p == 0 ? null : new Table(deref(p, what + "." + name), what + "." + name);
        }

        /** Checks a vector of {@code elemSize}-byte elements; returns its position, or -1 when absent. */
        int vector(int id, int elemSize, String name) {
            int p = field(id, 4, name);
            if (p == 0) return -1;
            int v = deref(p, what + "." + name);
            checkVector(v, elemSize, what + "." + name);
            return v;
        }

        /** Element count of a vector field (0 when absent), after checking it. */
        int vectorLength(int id, int elemSize, String name) {
            int v = vector(id, elemSize, name);
            return v < 0 ? 0 : int32At(v);
        }

        /** Checks and reads a string field, or returns null when absent. */
        String string(int id, String name) {
            int p = field(id, 4, name);
            if (p == 0) return null;
            return stringAt(deref(p, what + "." + name), what + "." + name);
        }

        /** Checks every table of a vector of tables; returns them (empty when absent). */
        Table[] tables(int id, String name) {
            int v = vector(id, 4, name);
            if (v < 0) return new Table[0];
            int n = int32At(v);
            charge(n, what + "." + name);
            Table[] out = new Table[n];
            for (int i = 0; i < n; i++) {
                String w = what + "." + name + "[" + i + "]";
                out[i] = new Table(deref(v + 4 + 4 * i, w), w);
            }
            return out;
        }

        int[] ints(int id, String name) {
            int v = vector(id, 4, name);
            if (v < 0) return new int[0];
            int n = int32At(v);
            charge(n, what + "." + name);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = int32At(v + 4 + 4 * i);
            return out;
        }

        /** A vector of unsigned 32-bit values, widened. */
        long[] uints(int id, String name) {
            int[] raw = ints(id, name);
            long[] out = new long[raw.length];
            for (int i = 0; i < raw.length; i++) out[i] = raw[i] & 0xFFFFFFFFL;
            return out;
        }

        float[] floats(int id, String name) {
            int[] raw = ints(id, name);
            float[] out = new float[raw.length];
            for (int i = 0; i < raw.length; i++) out[i] = Float.intBitsToFloat(raw[i]);
            return out;
        }

        long[] longs(int id, String name) {
            int v = vector(id, 8, name);
            if (v < 0) return new long[0];
            int n = int32At(v);
            charge(n, what + "." + name);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) out[i] = int64At(v + 4 + 8 * i);
            return out;
        }

        double[] doubles(int id, String name) {
            long[] raw = longs(id, name);
            double[] out = new double[raw.length];
            for (int i = 0; i < raw.length; i++) out[i] = Double.longBitsToDouble(raw[i]);
            return out;
        }

        /** A vector of 16-bit values, sign- or zero-extended. */
        int[] shorts(int id, String name, boolean signed) {
            int v = vector(id, 2, name);
            if (v < 0) return new int[0];
            int n = int32At(v);
            charge(n, what + "." + name);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                int x = u16(v + 4 + 2 * i);
                out[i] = signed ? (short) x : x;
            }
            return out;
        }

        /** A copy of a byte vector, or null when absent. */
        byte[] bytes(int id, String name) {
            int v = vector(id, 1, name);
            if (v < 0) return null;
            int n = int32At(v);
            charge(n, what + "." + name);
            return java.util.Arrays.copyOfRange(b, v + 4, v + 4 + n);
        }

        /** Position and length of a byte vector's data as {pos, len}, or null when absent; copies nothing. */
        int[] bytesRange(int id, String name) {
            int v = vector(id, 1, name);
            return v < 0 ? null : new int[] {v + 4, int32At(v)};
        }
    }

    /** Checks a vector's length word and extent; returns the element count. */
    private int checkVector(int v, int elemSize, String what) {
        need(v, 4, 4, what + " (vector length)");
        long n = int32At(v) & 0xFFFFFFFFL;
        if (n * elemSize > limit - (v + 4L)) {
            throw new ModelFormatException(what + ": vector of " + n + " elements of " + elemSize
                    + " bytes at offset " + v + " runs past the end of the " + limit + "-byte buffer");
        }
        return (int) n;
    }

    private String stringAt(int v, String what) {
        int n = checkVector(v, 1, what);
        long end = v + 4L + n;
        if (end >= limit) {
            throw new ModelFormatException(what + ": string of " + n + " bytes at offset " + v + " has no terminator inside the "
                    + limit + "-byte buffer");
        }
        if (b[(int) end] != 0) {
            throw new ModelFormatException(what + ": string of " + n + " bytes at offset " + v + " is not zero-terminated");
        }
        charge(n, what);
        return new String(b, v + 4, n, StandardCharsets.UTF_8);
    }

    /** Checks the buffer's size and returns the root table. */
    Table root(String what) {
        if (limit < 8) throw new ModelFormatException("buffer of " + limit + " bytes is too short for a flatbuffer (at least 8)");
        return new Table(deref(0, what + " root"), what);
    }
}
