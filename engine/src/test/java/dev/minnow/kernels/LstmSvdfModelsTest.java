package dev.minnow.kernels;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus's real models that use LSTM or SVDF. A model counts only once every op it needs has a kernel;
 * the others are listed as skipped.
 */
class LstmSvdfModelsTest {
    private static final String[] MODELS = {
        "models/tflm-mnist_lstm_float", "models/tflm-mnist_lstm_int8", "models/tflm-dtln_noise_suppression",
        "models/tflm-keyword_scrambled", "models/tflm-keyword_scrambled_8bit",
        "detectors/lstm_forecaster_f32", "detectors/lstm_forecaster_i8", "detectors/lstm_forecaster_i8_intio",
        "detectors/lstm_forecaster_3ch_f32", "detectors/lstm_forecaster_3ch_i8", "detectors/lstm_forecaster_3ch_i8_intio",
    };

    @Test
    void models() throws Exception {
        Path corpus = GoldenCases.corpus();
        Assumptions.assumeTrue(corpus != null, "conformance corpus not found");
        List<String> failures = new ArrayList<>();
        int passed = 0, skipped = 0;
        for (String m : MODELS) {
            Path dir = corpus.resolve(m);
            if (!Files.isDirectory(dir)) continue;
            List<String> missing = missingOps(Files.readString(dir.resolve("case.json")));
            if (!missing.isEmpty()) {
                skipped++;
                System.out.println("  SKIP " + m + ": no kernel for " + missing);
                continue;
            }
            String r = GoldenCases.run(dir);
            if (r == null) passed++;
            else failures.add(m + ": " + r);
        }
        System.out.printf("LSTM/SVDF models: %d passed / %d failed / %d skipped%n", passed, failures.size(), skipped);
        failures.forEach(f -> System.out.println("  FAIL " + f));
        assertTrue(failures.isEmpty(), failures.toString());
    }

    static List<String> missingOps(String json) {
        Matcher ops = Pattern.compile("\"ops\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        List<String> missing = new ArrayList<>();
        if (!ops.find()) return missing;
        Matcher name = Pattern.compile("\"([A-Z0-9_]+)\"").matcher(ops.group(1));
        while (name.find()) {
            if (!Registry.builtins().containsKey(name.group(1))) missing.add(name.group(1));
        }
        return missing;
    }
}
