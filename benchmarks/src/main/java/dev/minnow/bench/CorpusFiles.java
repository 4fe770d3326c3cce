package dev.minnow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The conformance corpus's file layout (../shared/conformance/FORMAT.md), as far as the benchmarks need it. */
public final class CorpusFiles {
    private CorpusFiles() {}

    /** A runnable corpus model: its folder's group ("models" or "detectors"), id, model file and first input set. */
    public record CorpusModel(String group, String id, Path model, Path set0) {}

    /**
     * The models of {@code models/} and {@code detectors/} that TFLM ran (those with a {@code set_0}; the cases TFLM
     * rejects have none), sorted by group then id.
     */
    public static List<CorpusModel> runnableModels(Path corpus) throws IOException {
        List<CorpusModel> all = new ArrayList<>();
        for (String group : List.of("models", "detectors")) {
            Path dir = corpus.resolve(group);
            if (!Files.isDirectory(dir)) throw new IOException("no " + group + "/ folder in the corpus at " + corpus);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path c : s.sorted().toList()) {
                    if (Files.isRegularFile(c.resolve("model.tflite")) && Files.isDirectory(c.resolve("set_0"))) {
                        all.add(new CorpusModel(group, c.getFileName().toString(), c.resolve("model.tflite"), c.resolve("set_0")));
                    }
                }
            }
        }
        return all;
    }

    /** The files {@code PREFIX_0.bin, PREFIX_1.bin, ...} of a folder, in index order (stops at the first gap). */
    public static List<Path> indexed(Path dir, String prefix) {
        List<Path> files = new ArrayList<>();
        for (int k = 0; Files.isRegularFile(dir.resolve(prefix + "_" + k + ".bin")); k++) files.add(dir.resolve(prefix + "_" + k + ".bin"));
        return files;
    }

    /** The bytes of {@code input_0.bin, input_1.bin, ...} in a folder. */
    public static List<byte[]> inputs(Path dir) throws IOException {
        List<byte[]> data = new ArrayList<>();
        for (Path p : indexed(dir, "input")) data.add(Files.readAllBytes(p));
        if (data.isEmpty()) throw new IOException("no input_0.bin in " + dir);
        return data;
    }
}
