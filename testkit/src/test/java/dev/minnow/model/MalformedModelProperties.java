package dev.minnow.model;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.OpKernel;
import dev.minnow.testkit.Corpus;
import dev.minnow.writer.ModelWriter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Mutated and truncated real models either load or raise {@link ModelFormatException} — never any other
 * exception or error (no IndexOutOfBounds, NullPointerException, OutOfMemoryError, StackOverflowError), and never
 * hang. When a mutated model loads, its whole view can be walked, and building an {@link Interpreter} and
 * allocating its tensors raises nothing but {@link MinnowException}s (kernels may be missing or reject the node).
 *
 * <p>Models: a handful of small corpus models (one per kind of operator table: conv, depthwise, fully connected,
 * LSTM with intermediates, SVDF with variables, reshape and strided slice options, the audio preprocessor with
 * many ops) for most tries, one larger model (person_detect, 300 KB) now and then, and two models written in the
 * test (one with signature defs). Without the corpus only the written models are used.
 *
 * <p>Mutations, one to three per try: truncation at any length; a random bit flip; a 32-bit overwrite at a
 * position holding an offset (uoffset or soffset) with a value chosen to land near, on or beyond the buffer's
 * edges; a big value in a vector's length word; a 16-bit overwrite of a vtable entry; a random 32-bit overwrite.
 */
class MalformedModelProperties {
    /** Per-try guard against hangs; a load of even the largest model takes milliseconds. */
    private static final long TIMEOUT_SECONDS = 20;

    private static final List<Subject> SUBJECTS = subjects();
    private static final ExecutorService RUNNER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "malformed-model-runner", 16L << 20);
        t.setDaemon(true);
        return t;
    });
    private static long loaded, rejected, allocated, skipped;
    /** Largest total of run-time tensor bytes for which a loaded mutant is also run through the interpreter. */
    private static final long MAX_INTERPRETER_BYTES = 64L << 20;

    /** A model and the positions worth corrupting in it. */
    record Subject(String name, byte[] bytes, int[] offsetPositions, int[] lengthPositions, int[] vtableEntries, int weight) {
        @Override public String toString() { return name + " (" + bytes.length + " bytes)"; }
    }

    enum Kind { TRUNCATE, FLIP_BIT, OFFSET_OVERWRITE, BIG_LENGTH, VTABLE_ENTRY, RANDOM_WORD }

    record Mutation(Kind kind, int where, int value) {
        byte[] apply(Subject s, byte[] b) {
            int n = b.length;
            switch (kind) {
                case TRUNCATE -> { return Arrays.copyOf(b, Math.floorMod(where, n + 1)); }
                case FLIP_BIT -> { if (n > 0) b[Math.floorMod(where, n)] ^= (byte) (1 << Math.floorMod(value, 8)); }
                case OFFSET_OVERWRITE -> put32(b, pick(s.offsetPositions, where), offsetValue(value, pick(s.offsetPositions, where), n));
                case BIG_LENGTH -> put32(b, pick(s.lengthPositions, where), bigValue(value, n));
                case VTABLE_ENTRY -> put16(b, pick(s.vtableEntries, where), value & 0xFFFF);
                case RANDOM_WORD -> { if (n >= 4) put32(b, Math.floorMod(where, n - 3), value); }
            }
            return b;
        }

        private static int pick(int[] positions, int where) {
            return positions.length == 0 ? -1 : positions[Math.floorMod(where, positions.length)];
        }

        /** Offsets near the interesting edges: 0, self, misaligned, end of buffer, beyond it, negative, 2^31. */
        private static int offsetValue(int v, int pos, int n) {
            int small = v >> 8;
            return switch (Math.floorMod(v, 9)) {
                case 0 -> 0;
                case 1 -> n - pos + Math.floorMod(small, 16) - 8;
                case 2 -> -pos + Math.floorMod(small, 64);
                case 3 -> 0x7FFFFFFF - Math.floorMod(small, 8);
                case 4 -> 0x80000000 + Math.floorMod(small, 8);
                case 5 -> Math.floorMod(small, 8) - 4;
                case 6 -> (small | 1) & 0xFFF;
                case 7 -> -Math.floorMod(small, n + 1);
                default -> small;
            };
        }

        /** Vector lengths from plausible-but-wrong to absurd. */
        private static int bigValue(int v, int n) {
            return switch (Math.floorMod(v, 7)) {
                case 0 -> 0x7FFFFFFF;
                case 1 -> 0xFFFFFFFF;
                case 2 -> 0x40000000;
                case 3 -> n / 4 + Math.floorMod(v >> 8, 8);
                case 4 -> n;
                case 5 -> 0x20000000 + (v >> 8);
                default -> Math.floorMod(v >> 8, 1 << 20);
            };
        }
    }

    record Case(Subject subject, List<Mutation> mutations) {
        @Override public String toString() { return subject + " " + mutations; }
    }

    @Provide
    Arbitrary<Case> mutatedModels() {
        int totalWeight = SUBJECTS.stream().mapToInt(Subject::weight).sum();
        Arbitrary<Subject> subject = Arbitraries.integers().between(0, totalWeight - 1).map(w -> {
            for (Subject s : SUBJECTS) {
                if (w < s.weight) return s;
                w -= s.weight;
            }
            throw new AssertionError();
        });
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(Kind.values()),
                Arbitraries.integers(),
                Arbitraries.integers()).as(Mutation::new);
        return Combinators.combine(subject, mutation.list().ofMinSize(1).ofMaxSize(3)).as(Case::new);
    }

    @Property(tries = 10_000)
    void mutatedModelsLoadOrRaiseModelFormatException(@ForAll("mutatedModels") Case c) throws Exception {
        byte[] bytes = c.subject.bytes.clone();
        for (Mutation m : c.mutations) bytes = m.apply(c.subject, bytes);
        byte[] input = bytes;
        Future<Throwable> result = RUNNER.submit(() -> exercise(input));
        Throwable problem;
        try {
            problem = result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            fail("loading did not finish within " + TIMEOUT_SECONDS + " s: " + c);
            return;
        } catch (ExecutionException e) {
            problem = e.getCause();
        }
        if (problem != null) {
            StringWriter trace = new StringWriter();
            problem.printStackTrace(new PrintWriter(trace));
            fail(c + " raised " + problem + "\n" + trace);
        }
    }

    /**
     * A case the property found (stop 29's CI check): an offset zeroed and a shape vector's length set to 2^31 - 1
     * leave a depthwise layer whose fast kernel sized arrays by a dimension no tensor bounds, and allocating them ran
     * out of heap; it must load and run, or be rejected, with a minnow exception.
     */
    @Example
    void depthwiseWithAnAbsurdDimension() {
        Subject s = SUBJECTS.stream().filter(x -> x.name().equals("dw_i8_large_000")).findFirst().orElseThrow();
        byte[] bytes = s.bytes().clone();
        for (Mutation m : List.of(new Mutation(Kind.OFFSET_OVERWRITE, -3349, 0), new Mutation(Kind.BIG_LENGTH, -2530, 0))) {
            bytes = m.apply(s, bytes);
        }
        Throwable problem = exercise(bytes);
        if (problem != null) {
            StringWriter trace = new StringWriter();
            problem.printStackTrace(new PrintWriter(trace));
            fail("raised " + problem + "\n" + trace);
        }
    }

    /** Loads and uses the bytes; returns the first unacceptable throwable, or null. */
    private static Throwable exercise(byte[] bytes) {
        Model model;
        try {
            model = Model.load(bytes);
        } catch (ModelFormatException expected) {
            if (expected.getMessage() == null || expected.getMessage().isEmpty()) return new AssertionError("empty message", expected);
            // A cause means the reader's safety net caught an exception its own checks should have prevented.
            if (expected.getCause() != null) return new AssertionError("a check is missing", expected);
            rejected++;
            return null;
        } catch (Throwable t) {
            return t;
        }
        loaded++;
        try {
            walk(model);
        } catch (Throwable t) {
            return new AssertionError("walking the view of a loaded model failed", t);
        }
        // Mutated shapes can ask for arenas of up to 2 GiB; allocating those takes seconds, so the interpreter is
        // exercised only below a size that keeps tries fast (the interpreter reports a heap too small for its
        // arena as a MinnowException, so larger models could only be slower, not escape).
        long runTimeBytes = 0;
        for (TensorInfo t : model.mainSubgraph().tensors()) if (!t.isConstant()) runTimeBytes += t.byteSize();
        if (runTimeBytes > MAX_INTERPRETER_BYTES) {
            skipped++;
            return null;
        }
        try {
            new Interpreter(model).allocateTensors();
        } catch (MinnowException expected) {
            // kernels may be missing or reject the node
        } catch (Throwable t) {
            return new AssertionError("the interpreter raised a non-minnow exception on a loaded model", t);
        }
        // With kernels that accept any node, allocation plans the arena for whatever shapes the mutation left.
        try {
            Interpreter permissive = new Interpreter(model, new InterpreterOptions().setOpResolver(code -> OpDescriptor.custom("any", ACCEPT_ANY)));
            permissive.allocateTensors();
            permissive.invoke();
            allocated++;
        } catch (MinnowException expected) {
            // e.g. an arena too large, a dynamic output shape
        } catch (Throwable t) {
            return new AssertionError("the interpreter with permissive kernels raised a non-minnow exception", t);
        }
        return null;
    }

    /** A kernel that looks at every input, output and intermediate of its node and accepts it. */
    private static final OpKernel ACCEPT_ANY = node -> {
        for (int i = 0; i < node.inputCount(); i++) node.input(i);
        for (int i = 0; i < node.outputCount(); i++) node.output(i);
        for (int i = 0; i < node.intermediateCount(); i++) node.intermediate(i);
        return () -> { };
    };

    /** Touches every part of the view. */
    private static void walk(Model m) {
        m.toString();
        m.metadata().values().forEach(v -> { if (v == null) throw new AssertionError("null metadata"); });
        m.signatureDefs().forEach(SignatureDef::toString);
        for (OpCode c : m.opCodes()) c.displayName();
        for (SubgraphInfo g : m.subgraphs()) {
            for (int i : g.inputs()) g.tensor(i);
            for (int i : g.outputs()) g.tensor(i);
            for (TensorInfo t : g.tensors()) {
                t.toString();
                t.constantData();
                if (t.elementCount() < 0 || t.byteSize() < 0) throw new AssertionError("negative size " + t);
                Quantization q = t.quantization();
                for (int ch = 0; ch < q.channelCount(); ch++) { q.scale(ch); q.zeroPoint(ch); }
            }
            for (OperatorInfo op : g.operators()) {
                op.toString();
                op.options().toString();
                op.builtinOptions2().toString();
                for (int i : op.inputs()) if (i >= 0) g.tensor(i);
                for (int i : op.outputs()) g.tensor(i);
                for (int i : op.intermediates()) if (i >= 0) g.tensor(i);
            }
        }
    }

    @AfterContainer
    static void report() {
        System.out.println("MalformedModelProperties: " + loaded + " mutated models loaded, " + rejected + " rejected, "
                + allocated + " allocated and invoked with permissive kernels, " + skipped
                + " not run (over " + (MAX_INTERPRETER_BYTES >> 20) + " MiB of tensors)");
    }

    // ---- subjects ----

    private static List<Subject> subjects() {
        List<Subject> out = new ArrayList<>();
        out.add(subject("built: FULLY_CONNECTED + RESHAPE", ModelFormatTest.builtModel(), 10));
        out.add(subject("built: signature defs", ModelFormatTest.tinyModel(0, 0, 0, 0, 0), 5));
        Path corpus = Corpus.require();
        for (String id : List.of("models/tflm-hello_world_int8", "models/tflm-simple_add_model", "models/seanet-quantize0",
                "models/tflm-audio_preprocessor_int8", "models/tflm-mnist_lstm_int8")) {
            addIfPresent(out, corpus.resolve(id), 8);
        }
        for (String op : List.of("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "UNIDIRECTIONAL_SEQUENCE_LSTM", "SVDF",
                "RESHAPE", "STRIDED_SLICE", "CONCATENATION", "TRANSPOSE_CONV")) {
            Path dir = corpus.resolve("ops").resolve(op);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> cases = Files.list(dir)) {
                cases.filter(p -> Files.exists(p.resolve("model.tflite"))).sorted()
                        .filter(p -> p.getFileName().toString().contains("int8") || p.getFileName().toString().contains("i8"))
                        .findFirst().ifPresent(p -> addIfPresent(out, p, 6));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        addIfPresent(out, corpus.resolve("models/tflm-person_detect"), 3);
        return out;
    }

    private static void addIfPresent(List<Subject> out, Path caseDir, int weight) {
        Path file = caseDir.resolve("model.tflite");
        if (!Files.exists(file)) return;
        try {
            out.add(subject(caseDir.getFileName().toString(), Files.readAllBytes(file), weight));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Finds the positions worth corrupting in a valid model: 4-aligned words that look like offsets (their value
     * added to their position lands inside the buffer), the words those offsets point to (vector lengths or table
     * soffsets), and the entries of the vtables the soffsets point to.
     */
    static Subject subject(String name, byte[] b, int weight) {
        Model.load(b);   // the subject must be valid
        Fb fb = new Fb(b);
        List<Integer> offsets = new ArrayList<>(), targets = new ArrayList<>(), vtables = new ArrayList<>();
        for (int p = 0; p + 4 <= b.length; p += 4) {
            long target = p + (long) fb.i32(p);
            if (target > p && target + 4 <= b.length && target % 4 == 0) {
                offsets.add(p);
                targets.add((int) target);
                long vt = target - fb.i32((int) target);
                if (vt >= 0 && vt + 4 <= b.length && vt % 2 == 0) {
                    int vsize = fb.u16((int) vt);
                    for (int e = 0; e < vsize && vt + e + 2 <= b.length && e < 64; e += 2) vtables.add((int) vt + e);
                }
            }
        }
        return new Subject(name, b, ints(offsets), ints(targets), ints(vtables.stream().distinct().toList()), weight);
    }

    private static int[] ints(List<Integer> l) { return l.stream().mapToInt(Integer::intValue).toArray(); }

    private static void put32(byte[] b, int pos, int v) {
        if (pos < 0 || pos + 4 > b.length) return;
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >> 8);
        b[pos + 2] = (byte) (v >> 16);
        b[pos + 3] = (byte) (v >> 24);
    }

    private static void put16(byte[] b, int pos, int v) {
        if (pos < 0 || pos + 2 > b.length) return;
        b[pos] = (byte) v;
        b[pos + 1] = (byte) (v >> 8);
    }
}
