package dev.minnow.testkit;

import dev.minnow.conformance.CorpusCase;
import dev.minnow.conformance.CorpusLocation;
import dev.minnow.conformance.KnownFailures;
import org.junit.jupiter.api.Assertions;

import java.nio.file.Path;
import java.util.List;

/**
 * The golden-vector corpus for tests: located by {@link CorpusLocation} (the build sets {@code minnow.conformance}
 * to {@code ../shared/conformance}). A missing corpus fails the test with a message saying how to provide it: a
 * suite that needs the corpus never passes by skipping.
 */
public final class Corpus {
    private Corpus() {}

    /** The corpus directory; fails the calling test when it is missing. */
    public static Path require() {
        Path dir = CorpusLocation.findOrNull();
        if (dir == null) Assertions.fail(CorpusLocation.missingMessage());
        return dir;
    }

    /** Every case of the corpus, in index order. */
    public static List<CorpusCase> cases() {
        return CorpusCase.list(require()).stream().map(CorpusCase::read).toList();
    }

    /** The case's path relative to the corpus ("ops/ADD/add_int8_000"). */
    public static String relative(CorpusCase c) {
        return require().relativize(c.dir()).toString().replace('\\', '/');
    }

    /** Whether the case is listed in conformance-known-failures.txt (an op minnow does not run yet). */
    public static boolean isKnownFailure(CorpusCase c) { return KnownFailures.contains(relative(c)); }
}
