package dev.minnow.fuzz;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the engine with mutants of the corpus models ({@link ModelMutator}): each mutant is loaded, allocated,
 * invoked with deterministic inputs and its outputs read, under a deadline, with every node's writes checked
 * ({@link WriteCheckingResolver}). Only {@link MinnowException}s may escape; a hang, an {@code Error}, any other
 * exception or a stray write fails the run, and the mutant is saved under {@code target/fuzz-findings/}.
 *
 * <p>{@code mvn test} runs a short deterministic pass ({@value #DEFAULT_MUTANTS} mutants). The long run:
 * {@code mvn -o -pl testkit test -Pfuzz} (1,000,000 mutants; {@code -Dminnow.fuzz.mutants=N}, {@code -Dminnow.fuzz.seed=S},
 * {@code -Dminnow.fuzz.threads=T} change it).
 */
class ModelFuzzTest {
    static final int DEFAULT_MUTANTS = 5000;
    private static final long DEADLINE_SECONDS = 20;
    /**
     * The budget the fuzzer runs under: the default (its arena and heap limits scaled to each mutant, at most a few MiB
     * for the seeds' sizes) with fewer loop iterations, so that a looping mutant costs little.
     */
    static final ModelBudget BUDGET = ModelBudget.DEFAULT.withMaxLoopIterations(100_000);

    /** The corpus's op models and its real models up to 64 KB, in a stable order. */
    static List<byte[]> seeds() throws IOException {
        Path root = Corpus.require();
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("ops", "models")) {
            try (Stream<Path> s = Files.walk(root.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().endsWith(".tflite")).sorted().forEach(files::add);
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (Path p : files) if (Files.size(p) <= 65536) out.add(Files.readAllBytes(p));
        return out;
    }

    /** What became of one mutant. */
    enum Outcome { RAN, REJECTED_AT_LOAD, REJECTED_AT_ALLOCATE, REJECTED_AT_INVOKE, FAILED }

    /** Runs one mutant; returns its outcome or throws what must not escape. */
    static Outcome exercise(byte[] bytes, long inputSeed) {
        Model model;
        try {
            model = Model.load(bytes);
        } catch (MinnowException e) {
            return Outcome.REJECTED_AT_LOAD;
        }
        Interpreter it = new Interpreter(model, new InterpreterOptions().setBudget(BUDGET).setOpResolver(new WriteCheckingResolver()));
        try {
            it.allocateTensors();
        } catch (MinnowException e) {
            return Outcome.REJECTED_AT_ALLOCATE;
        }
        SplittableRandom r = new SplittableRandom(inputSeed);
        try {
            for (int i = 0; i < it.getInputTensorCount(); i++) {
                Tensor t = it.getInputTensor(i);
                byte[] data = new byte[t.numBytes()];
                for (int b = 0; b < data.length; b++) data[b] = (byte) r.nextInt(256);
                t.copyFrom(data); // a constant input refuses with a MinnowException
            }
            it.invoke();
            it.invoke();
        } catch (MinnowException e) {
            return Outcome.REJECTED_AT_INVOKE;
        }
        for (int i = 0; i < it.getOutputTensorCount(); i++) it.getOutputTensor(i).toByteArray();
        return Outcome.RAN;
    }

    @Test
    void mutantsOfTheCorpusModelsOnlyEverRaiseMinnowExceptions() throws Exception {
        int mutants = Integer.getInteger("minnow.fuzz.mutants", DEFAULT_MUTANTS);
        long seed = Long.getLong("minnow.fuzz.seed", 11);
        int threads = Integer.getInteger("minnow.fuzz.threads", 1);
        List<byte[]> seeds = seeds();
        assertTrue(seeds.size() > 100, "only " + seeds.size() + " seed models");
        ModelMutator mutator = new ModelMutator(seeds);
        ModelMutator.Kind[] kinds = ModelMutator.Kind.values();
        Map<ModelMutator.Kind, Integer> perKind = new EnumMap<>(ModelMutator.Kind.class);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        Map<String, String> findings = new TreeMap<>();
        Path findingsDir = Path.of("target/fuzz-findings");
        SplittableRandom master = new SplittableRandom(seed);
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread t = new Thread(runnable, "fuzz");
            t.setDaemon(true); // a hung case must not keep the JVM alive
            return t;
        });
        long start = System.nanoTime();
        int batch = 64 * threads;
        try {
            for (int done = 0; done < mutants && findings.size() < 20; ) {
                int n = Math.min(batch, mutants - done);
                List<byte[]> cases = new ArrayList<>(n);
                List<Future<Outcome>> futures = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    ModelMutator.Kind kind = kinds[master.nextInt(kinds.length)];
                    perKind.merge(kind, 1, Integer::sum);
                    byte[] m = mutator.mutate(master.nextInt(seeds.size()), kind, master.split());
                    long inputSeed = master.nextLong();
                    cases.add(m);
                    futures.add(pool.submit(() -> exercise(m, inputSeed)));
                }
                for (int k = 0; k < n; k++) {
                    String problem = null;
                    try {
                        outcomes.merge(futures.get(k).get(DEADLINE_SECONDS, TimeUnit.SECONDS), 1, Integer::sum);
                    } catch (TimeoutException e) {
                        problem = "hang: no result after " + DEADLINE_SECONDS + " s";
                        futures.get(k).cancel(true);
                        pool.shutdownNow();
                        pool = Executors.newFixedThreadPool(threads, runnable -> {
                            Thread t = new Thread(runnable, "fuzz");
                            t.setDaemon(true);
                            return t;
                        });
                    } catch (java.util.concurrent.ExecutionException e) {
                        Throwable c = e.getCause();
                        problem = c.getClass().getName() + ": " + c.getMessage() + " at " + (c.getStackTrace().length > 0 ? c.getStackTrace()[0] : "?");
                    }
                    if (problem != null) {
                        outcomes.merge(Outcome.FAILED, 1, Integer::sum);
                        String key = problem.length() > 160 ? problem.substring(0, 160) : problem;
                        if (!findings.containsKey(key)) {
                            Files.createDirectories(findingsDir);
                            Path file = findingsDir.resolve("mutant-" + seed + "-" + (done + k) + ".tflite");
                            Files.write(file, cases.get(k));
                            findings.put(key, file.toString());
                        }
                    }
                }
                done += n;
                // a timed-out case's futures after it were submitted to the old pool; they were waited for above
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf("fuzz: %d mutants in %.1f s (%.0f/s, %d threads, seed %d) from %d seed models; mutations %s; outcomes %s%n",
                total, seconds, total / seconds, threads, seed, seeds.size(), perKind, outcomes);
        StringBuilder report = new StringBuilder();
        findings.forEach((k, v) -> report.append("\n  ").append(k).append("  -> ").append(v));
        assertTrue(findings.isEmpty(), findings.size() + " distinct failures:" + report);
    }
}
