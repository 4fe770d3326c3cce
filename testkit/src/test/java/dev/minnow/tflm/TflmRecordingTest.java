package dev.minnow.tflm;

import dev.minnow.testkit.TflmCase;
import dev.minnow.testkit.TflmRecords;
import dev.minnow.testkit.TflmRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Records what the real TFLM does with every suite of {@link TflmSuites} into src/test/resources/tflm/SUITE.json,
 * which {@link TflmComparisonTest} then holds minnow to on every build. Needs tflm_run (../shared/tflm-reference), so
 * it runs only in the {@code tflm} profile:
 * {@code mvn -pl testkit test -Ptflm -Dtflm.run=/work/tflm/bin/tflm_run}; commit the resources it rewrites.
 */
@Tag("tflm")
class TflmRecordingTest {
    @Test
    void recordTflmResults() throws Exception {
        String tool = System.getProperty("tflm.run");
        if (tool == null || !Files.isExecutable(Path.of(tool))) fail("set -Dtflm.run to the tflm_run binary (got " + tool + ")");
        TflmRunner runner = new TflmRunner(Path.of(tool), Path.of("target", "tflm-record"));
        for (Map.Entry<String, List<TflmCase>> suite : TflmSuites.all().entrySet()) {
            List<TflmRecords.ModelResult> results = new ArrayList<>();
            for (TflmCase c : suite.getValue()) results.add(runner.run(c));
            Path file = Path.of("src", "test", "resources", "tflm", suite.getKey() + ".json");
            TflmRecords.write(file, suite.getKey(), "tflm_run of ../shared/tflm-reference", results);
            System.out.println("recorded " + results.size() + " models to " + file);
        }
    }
}
