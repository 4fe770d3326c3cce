package dev.minnow.model;

/**
 * The wire layout of one builtin options table: its schema name and fields (id, type, default). The layouts
 * themselves are generated from {@code schema.fbs} into {@link OptionsSchema}; the model reader uses them to
 * verify and decode options tables without handing unverified bytes to generated FlatBuffers accessors.
 */
record OptionsLayout(String name, Field[] fields) {

    /** The wire type of a field. Vector kinds ({@code V_*}) hold an offset to a vector of the element kind. */
    enum Kind {
        BOOL(1), I8(1), U8(1), I16(2), U16(2), I32(4), U32(4), I64(8), U64(8), F32(4), F64(8), STRING(4),
        V_BOOL(1), V_I8(1), V_U8(1), V_I16(2), V_U16(2), V_I32(4), V_U32(4), V_I64(8), V_U64(8), V_F32(4), V_F64(8);

        /** Bytes of the inline field for scalars, bytes per element for vectors. */
        final int size;

        Kind(int size) { this.size = size; }

        boolean isVector() { return name().startsWith("V_"); }
    }

    /**
     * One field: the camel-case name flatc gives its Java accessor, its field id, kind, and the schema default
     * (an Integer, Long, Float, Double or Boolean for scalars, null otherwise). Deprecated fields keep their id
     * and are verified but not exposed.
     */
    record Field(String name, int id, Kind kind, Object defaultValue, boolean deprecated) {}

    static Field f(String name, int id, Kind kind, Object defaultValue) {
        return new Field(name, id, kind, defaultValue, false);
    }

    static Field f(String name, int id, Kind kind, Object defaultValue, boolean deprecated) {
        return new Field(name, id, kind, defaultValue, deprecated);
    }

    static OptionsLayout t(String name, Field... fields) {
        return new OptionsLayout(name, fields);
    }
}
