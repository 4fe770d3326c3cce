package dev.minnow.conformance;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.util.List;

/**
 * The golden corpus with the fast kernels forced off ({@code InterpreterOptions.setUseFastKernels(false)}): the
 * reference loops alone must pass it as {@link ConformanceTest} requires with them on.
 */
class ReferenceKernelsConformanceTest {

    @TestFactory
    List<DynamicTest> corpusCasesWithReferenceKernels() throws IOException {
        return ConformanceTest.corpusTests(false);
    }
}
