package dev.minnow.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every UNIDIRECTIONAL_SEQUENCE_LSTM and SVDF case of the golden corpus, byte for byte. */
class LstmSvdfConformanceTest {
    private static void runOp(String op) throws IOException {
        Path corpus = GoldenCases.corpus();
        Assumptions.assumeTrue(corpus != null, "conformance corpus not found");
        List<String> failures = new ArrayList<>();
        List<Path> cases = GoldenCases.cases(corpus.resolve("ops").resolve(op));
        for (Path c : cases) {
            String r = GoldenCases.run(c);
            if (r != null) failures.add(c.getFileName() + ": " + r);
        }
        System.out.printf("%s: %d passed / %d failed of %d%n", op, cases.size() - failures.size(), failures.size(), cases.size());
        failures.forEach(f -> System.out.println("  FAIL " + f));
        assertTrue(failures.isEmpty(), op + ": " + failures.size() + " failures: " + failures);
    }

    @Test void lstm() throws IOException { runOp("UNIDIRECTIONAL_SEQUENCE_LSTM"); }

    @Test void svdf() throws IOException { runOp("SVDF"); }
}
