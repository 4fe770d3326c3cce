package dev.minnow.emulator.cost;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The cost model's assumptions, as data ({@code cost-model-spec.json}): the stacks and core classes and how
 * results.csv's columns map to them, the priors, the ridge weights, and which corpus model stands for each MLPerf
 * Tiny benchmark. {@link CostModelFitter} turns it and the published rows into a {@link CostModel}.
 *
 * @param referenceCore       core class whose factor is 1 (coefficients are cycles on it)
 * @param referenceStack      stack whose factor is 1
 * @param ridge               weights of the prior terms of the least-squares fit
 * @param kindPriors          prior cycles per unit of each work kind on the reference core and stack
 * @param cores               core classes: their results.csv pattern and CoreMark/MHz (the prior of their factor)
 * @param coremarkSource      where the CoreMark/MHz figures come from
 * @param stacks              inference stacks: id, name, results.csv pattern, description
 * @param floatStackPattern   results.csv software_stack text marking a float32 submission
 * @param softFloatFactor     assumed cost multiplier of float MACs on a core without an FPU (results.csv has no
 *                            such row; libgcc's soft-float multiply and add take tens of cycles where an FPU takes 1-3)
 * @param benchmarks          the model file (in the conformance corpus) each benchmark and type is measured with
 */
public record CostModelSpec(String referenceCore, String referenceStack, Ridge ridge, Map<WorkKind, Double> kindPriors,
                            List<CoreClass> cores, String coremarkSource, List<Stack> stacks,
                            String floatStackPattern, double softFloatFactor, List<Benchmark> benchmarks) {

    /** Resource holding the shipped spec. */
    public static final String RESOURCE = "/dev/minnow/emulator/cost-model-spec.json";

    /** Ridge weights (1/sigma^2 in log space) of the priors. */
    public record Ridge(double kindDeltas, double coreFactors, double stackFactors, double kindCoefficients) {}

    /** A core class: "Cortex-M4F" or "Cortex-M33 + MVP". */
    public record CoreClass(String name, String pattern, double coremarkPerMhz) {}

    /** An inference stack. */
    public record Stack(String id, String name, String pattern, String description) {}

    /** The model standing for a benchmark in one arithmetic type; {@code asInteger} prices a float file as int8. */
    public record Benchmark(String benchmark, String type, String model, boolean asInteger, String note) {}

    public CostModelSpec {
        cores = List.copyOf(cores);
        stacks = List.copyOf(stacks);
        benchmarks = List.copyOf(benchmarks);
        kindPriors = Map.copyOf(kindPriors);
        for (WorkKind k : WorkKind.values()) {
            if (!kindPriors.containsKey(k)) throw new IllegalArgumentException("kindPriors lacks " + k);
        }
    }

    /** The shipped spec. */
    public static CostModelSpec load() { return Json.resource(RESOURCE, CostModelSpec.class); }

    /** A spec from a file of the same format (to try other assumptions). */
    public static CostModelSpec load(java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return Json.mapper().readValue(in, CostModelSpec.class);
        }
    }

    /** The core class of a results.csv {@code core} value. */
    public String coreClassOf(String resultsCore) {
        for (CoreClass c : cores) {
            if (c.pattern() != null && Pattern.compile(c.pattern()).matcher(resultsCore).find()) return c.name();
        }
        throw new EmulatorException("no core class matches results.csv core '" + resultsCore + "'");
    }

    /** The stack id of a results.csv {@code software_stack} value (first matching pattern). */
    public String stackOf(String softwareStack) {
        for (Stack s : stacks) {
            if (s.pattern() != null && Pattern.compile(s.pattern()).matcher(softwareStack).find()) return s.id();
        }
        throw new EmulatorException("no stack matches results.csv software_stack '" + softwareStack + "'");
    }

    /** The core class named {@code name}, or its base core (before " + ") when the class itself is not listed. */
    public CoreClass coreClass(String name) {
        for (CoreClass c : cores) if (c.name().equals(name)) return c;
        String base = name.contains(" + ") ? name.substring(0, name.indexOf(" + ")) : name;
        for (CoreClass c : cores) if (c.name().equals(base)) return new CoreClass(name, null, c.coremarkPerMhz());
        throw new EmulatorException("unknown core class '" + name + "'");
    }

    /** The benchmark's model entry for a type ("int8" or "float32"). */
    public Benchmark benchmark(String benchmark, String type) {
        for (Benchmark b : benchmarks) if (b.benchmark().equals(benchmark) && b.type().equals(type)) return b;
        throw new EmulatorException("no model for benchmark " + benchmark + " " + type);
    }
}
