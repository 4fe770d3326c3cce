package dev.minnow.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus cases minnow does not pass yet ({@code conformance-known-failures.txt}: one case path prefix per line,
 * the reason after '#'). The corpus tests expect exactly these to fail, so the list only shrinks.
 */
public final class KnownFailures {
    private static final List<String> PREFIXES = load();

    private KnownFailures() {}

    /** The listed case path prefixes, e.g. "ops/ADD_N/". */
    public static List<String> prefixes() { return PREFIXES; }

    /** Whether the case at corpus-relative {@code path} ("ops/ADD_N/add_n_int8_000") is listed. */
    public static boolean contains(String path) {
        for (String p : PREFIXES) if (path.startsWith(p)) return true;
        return false;
    }

    private static List<String> load() {
        List<String> out = new ArrayList<>();
        try (InputStream in = KnownFailures.class.getResourceAsStream("/conformance-known-failures.txt")) {
            if (in == null) return List.of();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.replaceAll("#.*", "").trim();
                if (!l.isEmpty()) out.add(l);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }
}
