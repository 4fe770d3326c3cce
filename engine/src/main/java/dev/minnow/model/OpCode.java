package dev.minnow.model;

/**
 * An operator code: the builtin operator or, for {@code CUSTOM}, the custom code string, plus the op version the
 * converter recorded.
 *
 * @param builtinCode the schema's BuiltinOperator value, e.g. 3 for CONV_2D (the larger of builtin_code and
 *                    deprecated_builtin_code, as TFLM reads it)
 * @param builtinName the schema name, e.g. "CONV_2D"; "BUILTIN_&lt;code&gt;" for codes this schema does not know
 * @param customCode  the custom op's name for {@code CUSTOM} ("" when the model stores none), null otherwise
 * @param version     the operator version (1 when absent)
 */
public record OpCode(int builtinCode, String builtinName, String customCode, int version) {
    /** The schema's operator for {@link #builtinCode()}, or null for a code this schema does not know. */
    public BuiltinOperator builtin() { return BuiltinOperator.forCode(builtinCode); }

    /** True for {@code CUSTOM} operators, which are resolved by {@link #customCode()}. */
    public boolean isCustom() { return customCode != null; }

    /** "CONV_2D", or "CUSTOM:name" for custom ops — the spelling the conformance corpus uses. */
    public String displayName() { return isCustom() ? "CUSTOM:" + customCode : builtinName; }

    @Override public String toString() { return displayName() + " v" + version; }
}
