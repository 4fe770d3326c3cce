package dev.minnow.cref;

import dev.minnow.testkit.CReference;
import dev.minnow.testkit.CrossCheck;
import dev.minnow.testkit.SpecReader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Replays the minimal cases the cross-check properties once failed on (src/test/resources/cref-regressions/*.spec). */
class CrossCheckRegressionTest {
    @TestFactory
    List<DynamicTest> regressions() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        if (!Files.isDirectory(CrossCheck.REGRESSIONS)) return tests;
        List<Path> files;
        try (Stream<Path> s = Files.list(CrossCheck.REGRESSIONS)) { files = s.filter(p -> p.toString().endsWith(".spec")).sorted().toList(); }
        for (Path f : files) {
            tests.add(DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
                CReference.Case c = SpecReader.read(Files.readString(f));
                byte[] java = CrossCheck.runJava(c);
                CReference.Outcome o = CReference.run(List.of(c)).get(c.name());
                assertNotNull(o.output(), () -> "C reference error: " + o.error());
                assertArrayEquals(o.output(), java, () -> "java " + Arrays.toString(java) + " c " + Arrays.toString(o.output()));
            }));
        }
        return tests;
    }
}
