package dev.minnow.emulator;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the shared golden corpus and data live for tests ({@code -Dminnow.conformance}, default ../shared). */
public final class Corpus {
    private Corpus() {}

    /** The conformance corpus directory. */
    public static Path conformance() {
        String p = System.getProperty("minnow.conformance");
        Path dir = p != null ? Path.of(p) : Path.of("..", "shared", "conformance");
        assertTrue(Files.isDirectory(dir), "conformance corpus not found at " + dir.toAbsolutePath()
                + " (pass -Dminnow.conformance=DIR)");
        return dir;
    }

    /** shared/ (the corpus's parent). */
    public static Path shared() { return conformance().toAbsolutePath().normalize().getParent(); }

    /** A model file of the corpus, e.g. model("models/mlperftiny-kws_ref_model"). */
    public static Path model(String caseDir) { return conformance().resolve(caseDir).resolve("model.tflite"); }

    /** MLPerf Tiny's results.csv. */
    public static Path mlperfResults() { return shared().resolve("data/mlperf-tiny/results.csv"); }
}
