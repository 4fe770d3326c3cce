package dev.minnow.model;

/**
 * TFLite tensor element types with the schema's codes and the element sizes TFLM uses for tensor memory
 * ({@code TfLiteTypeSizeOf}); 0 marks types TFLM cannot size (string, variant, the 2-bit and 8-bit float types).
 */
public enum DataType {
    FLOAT32(0, 4), FLOAT16(1, 2), INT32(2, 4), UINT8(3, 1), INT64(4, 8), STRING(5, 0), BOOL(6, 1), INT16(7, 2),
    COMPLEX64(8, 8), INT8(9, 1), FLOAT64(10, 8), COMPLEX128(11, 16), UINT64(12, 8), RESOURCE(13, 4),
    VARIANT(14, 0), UINT32(15, 4), UINT16(16, 2), INT4(17, 1), BFLOAT16(18, 2), INT2(19, 0), UINT4(20, 0),
    FLOAT8_E4M3FN(21, 0), FLOAT8_E5M2(22, 0);

    private static final DataType[] BY_CODE = values();

    private final int code;
    private final int byteSize;

    DataType(int code, int byteSize) { this.code = code; this.byteSize = byteSize; }

    /** The schema's TensorType code. */
    public int code() { return code; }

    /**
     * Bytes per element of the tensor in memory, as TFLM sizes it (INT4 is unpacked to one byte per element);
     * 0 for types without a size.
     */
    public int byteSize() { return byteSize; }

    /**
     * Bytes a constant buffer must hold for {@code elements} elements: packed for the sub-byte types (INT4 and
     * UINT4 two per byte, INT2 four per byte), one per element for the 8-bit floats, {@link #byteSize()} times the
     * count otherwise; 0 when the type has no fixed size (string, variant).
     */
    public long storageBytes(long elements) {
        return switch (this) {
            case INT4, UINT4 -> (elements + 1) / 2;
            case INT2 -> (elements + 3) / 4;
            case FLOAT8_E4M3FN, FLOAT8_E5M2 -> elements;
            default -> elements * byteSize;
        };
    }

    /** Lower-case name as FORMAT.md and TFLite's Python API spell it ("int8", "float32"). */
    public String lowerName() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The type with this schema code, or null when the code is unknown. */
    public static DataType forCode(int code) {
        return code < 0 || code >= BY_CODE.length ? null : BY_CODE[code];
    }

    /** Largest known type code. */
    public static int maxCode() { return BY_CODE.length - 1; }

    /** The type with this schema code; throws {@link ModelFormatException} when the code is unknown. */
    public static DataType fromCode(int code) {
        DataType t = forCode(code);
        if (t == null) throw new ModelFormatException("unknown tensor type code " + code + " (known: 0.." + maxCode() + ")");
        return t;
    }
}
