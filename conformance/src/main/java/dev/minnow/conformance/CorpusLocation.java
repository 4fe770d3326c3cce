package dev.minnow.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the golden-vector corpus is: the system property {@code minnow.conformance} when set (the build sets it to
 * {@code ../shared/conformance} beside the checkout), else {@code ../shared/conformance} beside the directory
 * named by {@code minnow.home} (the launcher's checkout) or the working directory.
 */
public final class CorpusLocation {
    /** The system property naming the corpus directory. */
    public static final String PROPERTY = "minnow.conformance";

    private CorpusLocation() {}

    /** The configured or default corpus directory (it may not exist). */
    public static Path configured() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p).toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("minnow.home", "."));
        return home.toAbsolutePath().normalize().resolve("../shared/conformance").normalize();
    }

    /** The corpus directory, or null when it has no index.json. */
    public static Path findOrNull() {
        Path dir = configured();
        return Files.isRegularFile(dir.resolve("index.json")) ? dir : null;
    }

    /** The corpus directory; a {@link CorpusException} saying how to provide it when it is missing. */
    public static Path require() {
        Path dir = findOrNull();
        if (dir == null) throw new CorpusException(missingMessage());
        return dir;
    }

    /** What to say when the corpus is missing. */
    public static String missingMessage() {
        return "the conformance corpus is missing: expected " + configured() + "/index.json. Put the shared/ folder "
                + "(with conformance/) beside the checkout, or pass -D" + PROPERTY + "=/path/to/conformance";
    }
}
