package dev.minnow.model;

import java.nio.charset.StandardCharsets;

/**
 * Raw navigation of a well-formed .tflite flatbuffer, for tests that corrupt one field at a known position.
 * Field ids follow schema.fbs. Only valid for unmodified, valid models.
 */
final class Fb {
    final byte[] b;

    Fb(byte[] bytes) { this.b = bytes; }

    int i32(int pos) { return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16 | b[pos + 3] << 24; }

    int u16(int pos) { return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8; }

    void put32(int pos, int v) {
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >> 8);
        b[pos + 2] = (byte) (v >> 16);
        b[pos + 3] = (byte) (v >> 24);
    }

    void put16(int pos, int v) { b[pos] = (byte) v; b[pos + 1] = (byte) (v >> 8); }

    int root() { return i32(0); }

    int vtable(int table) { return table - i32(table); }

    /** Position of the vtable slot of field {@code id} (holding the field's offset in the table). */
    int slot(int table, int id) {
        int vt = vtable(table);
        if (4 + 2 * id + 2 > u16(vt)) throw new IllegalArgumentException("field " + id + " beyond the vtable");
        return vt + 4 + 2 * id;
    }

    /** Absolute position of field {@code id}, or -1 when absent. */
    int field(int table, int id) {
        int vt = vtable(table);
        if (4 + 2 * id + 2 > u16(vt)) return -1;
        int off = u16(vt + 4 + 2 * id);
        return off == 0 ? -1 : table + off;
    }

    int deref(int pos) { return pos + i32(pos); }

    /** Position of the length word of the vector in field {@code id}. */
    int vector(int table, int id) {
        int f = field(table, id);
        if (f < 0) throw new IllegalArgumentException("vector field " + id + " absent");
        return deref(f);
    }

    int length(int vector) { return i32(vector); }

    /** Table {@code i} of a vector of tables. */
    int tableAt(int vector, int i) { return deref(vector + 4 + 4 * i); }

    int subgraph(int i) { return tableAt(vector(root(), 2), i); }

    int tensor(int sg, int i) { return tableAt(vector(subgraph(sg), 0), i); }

    int operator(int sg, int i) { return tableAt(vector(subgraph(sg), 3), i); }

    int buffer(int i) { return tableAt(vector(root(), 4), i); }

    String string(int pos) {
        int n = i32(pos);
        return new String(b, pos + 4, n, StandardCharsets.UTF_8);
    }
}
