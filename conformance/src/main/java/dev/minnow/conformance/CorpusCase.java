package dev.minnow.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * One case of a golden-vector corpus: its {@code case.json} (see the corpus's FORMAT.md) and its directory. Fields
 * the format does not list are ignored.
 *
 * @param dir      the case directory (holding model.tflite, case.json and the input/output sets)
 * @param id       the case id
 * @param group    "models", "ops" or "detectors"
 * @param ops      builtin operator names the model uses ("CUSTOM:code" for custom ops)
 * @param expect   "ok" or "error"
 * @param error    TFLM's message for rejected cases, null otherwise
 * @param stage    where TFLM failed: "allocate", "invoke" or "crash"; null for accepted cases
 * @param arena    TFLM's arena bytes, null when the case records none
 * @param sets     input sets, each one invoke on a freshly allocated interpreter
 * @param sequences state-carrying sequences (frames invoked in a row on one interpreter)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CorpusCase(@JsonProperty("dir") Path dir, String id, String group, List<String> ops, String expect,
                         String error, String stage, Arena arena, List<TensorSpec> inputs, List<TensorSpec> outputs,
                         List<InputSet> sets, List<Sequence> sequences) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    public CorpusCase {
        ops = ops == null ? List.of() : List.copyOf(ops);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        sets = sets == null ? List.of() : List.copyOf(sets);
        sequences = sequences == null ? List.of() : List.copyOf(sequences);
    }

    /** TFLM's arena numbers: arena_used_bytes per target and the smallest arena AllocateTensors accepts (null: not recorded). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Arena(Long host64, Long mcu32, @JsonProperty("min_host64") Long minHost64,
                        @JsonProperty("min_mcu32") Long minMcu32) {}

    /** A model input or output as the corpus describes it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TensorSpec(String name, String type, int[] shape, double[] scale,
                             @JsonProperty("zero_point") long[] zeroPoint) {}

    /** One input set: input files and the outputs TFLM produced, relative to the case directory. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record InputSet(String id, List<String> inputs, List<String> outputs) {}

    /** A sequence: each file holds {@code frames} tensors back to back. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Sequence(String id, int frames, List<String> inputs, List<String> outputs) {}

    /** Whether TFLM rejected the model. */
    public boolean expectsError() { return "error".equals(expect); }

    /** The case's model file. */
    public Path model() { return dir.resolve("model.tflite"); }

    /** Reads {@code dir/case.json}; a missing or malformed file raises a {@link CorpusException} naming it. */
    public static CorpusCase read(Path dir) {
        Path file = dir.resolve("case.json");
        try {
            CorpusCase c = JSON.readerFor(CorpusCase.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(Files.readAllBytes(file));
            if (c.expect() == null) throw new CorpusException(file + ": no \"expect\" field");
            return new CorpusCase(dir, c.id, c.group, c.ops, c.expect, c.error, c.stage, c.arena, c.inputs, c.outputs,
                    c.sets, c.sequences);
        } catch (NoSuchFileException e) {
            throw new CorpusException(file + ": not found");
        } catch (JacksonException e) {
            throw new CorpusException(file + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CorpusException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The case directories listed by {@code root/index.json} (or, without one, every directory holding a case.json), in order. */
    public static List<Path> list(Path root) {
        if (!Files.isDirectory(root)) throw new CorpusException("no conformance corpus at " + root.toAbsolutePath() + ": not a directory");
        Path index = root.resolve("index.json");
        try {
            if (Files.isRegularFile(index)) {
                List<IndexEntry> entries = JSON.readerForListOf(IndexEntry.class).readValue(Files.readAllBytes(index));
                return entries.stream().map(e -> {
                    if (e.path() == null) throw new CorpusException(index + ": an entry has no \"path\"");
                    return root.resolve(e.path());
                }).toList();
            }
            try (var s = Files.walk(root)) {
                return s.filter(p -> p.getFileName().toString().equals("case.json")).map(Path::getParent).sorted().toList();
            }
        } catch (JacksonException e) {
            throw new CorpusException(index + ": malformed JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CorpusException("cannot read the corpus at " + root.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record IndexEntry(String path) {}
}
