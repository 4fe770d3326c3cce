package dev.minnow.writer;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the golden corpus is: system property minnow.conformance (the parent pom sets it). */
final class Corpus {
    private Corpus() {}

    /** The corpus root; fails under CI=true when missing, otherwise skips the calling test. */
    static Path root() {
        String p = System.getProperty("minnow.conformance");
        Path root = p == null ? null : Path.of(p);
        boolean present = root != null && Files.isRegularFile(root.resolve("index.json"));
        if (!present) {
            String msg = "conformance corpus not found at " + p + " (set -Dminnow.conformance=DIR)";
            if ("true".equals(System.getenv("CI"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return root;
    }
}
