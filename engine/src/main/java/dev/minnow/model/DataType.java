package dev.minnow.model;

/** TFLite tensor element types, with the schema's codes and element sizes in bytes (0 where not fixed). */
public enum DataType {
    FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), STRING(5, 0), BOOL(6, 1), INT16(7, 2),
    COMPLEX64(8, 8), INT8(9, 1), FLOAT64(10, 8), COMPLEX128(11, 16), UINT64(12, 8), RESOURCE(13, 0),
    VARIANT(14, 0), UINT32(15, 4), UINT16(16, 2), INT4(17, 0), BFLOAT16(18, 2);

    private static final DataType[] BY_CODE = values();

    private final int code;
    private final int byteSize;

    DataType(int code, int byteSize) { this.code = code; this.byteSize = byteSize; }

    /** The schema's TensorType code. */
    public int code() { return code; }

    /** Bytes per element; 0 for types without a fixed element size (string, resource, variant, int4). */
    public int byteSize() { return byteSize; }

    /** Lower-case name as FORMAT.md and TFLite's Python API spell it ("int8", "float32"). */
    public String lowerName() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static DataType fromCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new ModelFormatException("unknown tensor type code " + code + " (known: 0.." + (BY_CODE.length - 1) + ")");
        }
        return BY_CODE[code];
    }
}
