package dev.minnow.conformance;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden corpus as a test suite: one dynamic test per op directory and per model. Every case must pass except the
 * documented known failures, which must still fail (so the list is kept honest). Without the corpus the suite fails
 * under CI=true and is skipped elsewhere.
 */
public class ConformanceTest {

    static Path corpus() {
        Path p = Path.of(System.getProperty("minnow.conformance", "../../shared/conformance"));
        if (!Files.isDirectory(p)) {
            if ("true".equals(System.getenv("CI"))) fail("conformance corpus missing at " + p.toAbsolutePath());
            Assumptions.abort("conformance corpus not found at " + p.toAbsolutePath());
        }
        return p;
    }

    /** The case path prefixes listed in conformance-known-failures.txt. */
    public static List<String> knownFailures() throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance-known-failures.txt")) {
            if (in == null) return out;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String l = line.replaceAll("#.*", "").trim();
                if (!l.isEmpty()) out.add(l);
            }
        }
        return out;
    }

    @TestFactory
    List<DynamicTest> corpusCases() throws IOException {
        Path root = corpus();
        ConformanceRunner.Result result = ConformanceRunner.run(root, null);
        ConformanceRunner.report(result, System.out, false);
        List<String> known = knownFailures();
        Map<String, List<ConformanceRunner.CaseResult>> groups = new LinkedHashMap<>();
        for (ConformanceRunner.CaseResult c : result.cases()) {
            String[] parts = c.path().split("/");
            String key = c.group().equals("ops") ? "ops/" + parts[1] : c.path();
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(c);
        }
        assertTrue(result.cases().size() > 900, "expected the full corpus, found " + result.cases().size() + " cases");
        List<DynamicTest> tests = new ArrayList<>();
        groups.forEach((name, cases) -> tests.add(DynamicTest.dynamicTest(name, () -> {
            StringBuilder problems = new StringBuilder();
            for (ConformanceRunner.CaseResult c : cases) {
                boolean expectedToFail = known.stream().anyMatch(c.path()::startsWith);
                if (!c.passed() && !expectedToFail) problems.append("\n  ").append(c.path()).append(": ").append(c.detail());
                if (c.passed() && expectedToFail) problems.append("\n  ").append(c.path()).append(" passes now: remove it from conformance-known-failures.txt");
            }
            if (problems.length() > 0) fail(name + ":" + problems);
        })));
        return tests;
    }
}
