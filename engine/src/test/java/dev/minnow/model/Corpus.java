package dev.minnow.model;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Locates the golden-vector corpus: system property {@code minnow.conformance} (surefire sets it to
 * ../shared/conformance). Tests that need it are skipped when it is missing, except on CI (env CI=true), where a
 * missing corpus is a failure.
 */
final class Corpus {
    private Corpus() {}

    /** The corpus directory, or null when absent (no property or no such directory). */
    static Path dirOrNull() {
        String p = System.getProperty("minnow.conformance");
        if (p == null || p.isBlank()) return null;
        Path dir = Path.of(p);
        return Files.isRegularFile(dir.resolve("index.json")) ? dir : null;
    }

    /** The corpus directory; aborts the test when absent, fails it when absent on CI. */
    static Path require() {
        Path dir = dirOrNull();
        if (dir == null) {
            String msg = "conformance corpus not found (system property minnow.conformance = "
                    + System.getProperty("minnow.conformance") + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return dir;
    }

    /** Every case directory holding a model.tflite, sorted. */
    static List<Path> caseDirs(Path corpus) {
        try (Stream<Path> s = Files.walk(corpus)) {
            return s.filter(p -> p.getFileName().toString().equals("model.tflite")).map(Path::getParent).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
