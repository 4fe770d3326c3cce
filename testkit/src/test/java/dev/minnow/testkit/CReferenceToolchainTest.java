package dev.minnow.testkit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C reference builds here, so the cross-checks of {@code dev.minnow.cref} really run: without make or a C
 * compiler this fails with a message saying how to get them. With {@code -Dminnow.skipCReference=true} (which also
 * excludes those tests, see testkit/pom.xml) it prints a warning and reports itself skipped, so the omission shows.
 */
class CReferenceToolchainTest {
    @Test
    void theCReferenceBuildsOrIsLeftOutExplicitly() throws Exception {
        if (Boolean.getBoolean(CReference.SKIP_PROPERTY)) {
            System.err.println("WARNING: -D" + CReference.SKIP_PROPERTY + "=true: the Java-vs-C reference cross-checks "
                    + "(dev.minnow.cref) are NOT run");
            Assumptions.abort("Java-vs-C cross-checks left out by -D" + CReference.SKIP_PROPERTY + "=true");
        }
        Path binary = CReference.binary();
        assertTrue(Files.isExecutable(binary), binary + " is not executable");
    }
}
