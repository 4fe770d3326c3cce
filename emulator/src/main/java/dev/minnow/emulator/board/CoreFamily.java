package dev.minnow.emulator.board;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** The CPU core families boards are built on; the cost model keeps one speed factor per family. */
public enum CoreFamily {
    CORTEX_M0("Cortex-M0"),
    CORTEX_M0_PLUS("Cortex-M0+"),
    CORTEX_M3("Cortex-M3"),
    CORTEX_M4("Cortex-M4"),
    CORTEX_M4F("Cortex-M4F"),
    CORTEX_M7("Cortex-M7"),
    CORTEX_M33("Cortex-M33"),
    CORTEX_M55("Cortex-M55"),
    CORTEX_M85("Cortex-M85"),
    RISC_V("RISC-V"),
    RISC_V_VECTOR("RISC-V RVV"),
    XTENSA_LX6("Xtensa LX6"),
    XTENSA_LX7("Xtensa LX7"),
    RENESAS_RXV2("Renesas RXv2"),
    RENESAS_RH850("Renesas RH850");

    private final String display;

    CoreFamily(String display) { this.display = display; }

    /** The name boards files and reports use, e.g. "Cortex-M4F". */
    @JsonValue
    public String displayName() { return display; }

    /** The family named {@code text} (display name or enum name, case and spacing ignored). */
    @JsonCreator
    public static CoreFamily parse(String text) {
        String key = normalise(text);
        for (CoreFamily f : values()) {
            if (normalise(f.display).equals(key) || normalise(f.name()).equals(key)) return f;
        }
        StringBuilder known = new StringBuilder();
        for (CoreFamily f : values()) known.append(known.length() == 0 ? "" : ", ").append(f.display);
        throw new IllegalArgumentException("unknown core family '" + text + "' (known: " + known + ")");
    }

    private static String normalise(String s) {
        return s.toLowerCase(Locale.ROOT).replace("plus", "+").replaceAll("[^a-z0-9+]", "");
    }

    @Override public String toString() { return display; }
}
