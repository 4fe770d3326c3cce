package dev.minnow.model;

/**
 * An operator code: the builtin operator (code and schema name, e.g. 62 / "CONV_2D"... ) or, for
 * {@code CUSTOM}, the custom code string, plus the op version the converter recorded.
 */
public record OpCode(int builtinCode, String builtinName, String customCode, int version) {
    public boolean isCustom() { return customCode != null; }

    /** "CONV_2D", or "CUSTOM:name" for custom ops — the spelling the conformance corpus uses. */
    public String displayName() { return isCustom() ? "CUSTOM:" + customCode : builtinName; }

    @Override public String toString() { return displayName() + " v" + version; }
}
