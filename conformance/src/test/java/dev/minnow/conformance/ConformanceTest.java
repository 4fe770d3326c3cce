package dev.minnow.conformance;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The golden corpus as a test suite: one dynamic test per op directory and per model, with the engine's fast kernels
 * on (the default). Every case must pass except the documented known failures, which must still fail (so the list is
 * kept honest). Without the corpus the suite fails. {@link ReferenceKernelsConformanceTest} runs it with them off.
 */
class ConformanceTest {

    @TestFactory
    List<DynamicTest> corpusCases() throws IOException {
        return corpusTests(true);
    }

    /** The corpus judged with fast kernels on or off: one dynamic test per op directory and per model. */
    static List<DynamicTest> corpusTests(boolean fastKernels) throws IOException {
        Path root = CorpusLocation.require();
        ConformanceRunner.Result result = ConformanceRunner.run(root, null, fastKernels);
        ConformanceRunner.report(result, System.out, false);
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
                boolean expectedToFail = KnownFailures.contains(c.path());
                if (!c.passed() && !expectedToFail) problems.append("\n  ").append(c.path()).append(": ").append(c.detail());
                if (c.passed() && expectedToFail) problems.append("\n  ").append(c.path()).append(" passes now: remove it from conformance-known-failures.txt");
            }
            if (problems.length() > 0) fail(name + ":" + problems);
        })));
        return tests;
    }
}
