package dev.minnow.emulator.board;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The floating-point unit of a core: none, single precision, or double precision. */
public enum Fpu {
    NONE, SINGLE, DOUBLE;

    /** "none", "single" or "double". */
    @JsonValue
    public String id() { return name().toLowerCase(Locale.ROOT); }

    /** Parses "none", "single" or "double" (case ignored). */
    @JsonCreator
    public static Fpu parse(String text) {
        for (Fpu f : values()) if (f.id().equalsIgnoreCase(text.trim())) return f;
        throw new IllegalArgumentException("unknown fpu '" + text + "' (none, single or double)");
    }
}
