package dev.minnow.conformance;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.UnsupportedOpException;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.ops.Ops;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.Tensor;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs a golden-vector corpus in the layout of {@code shared/conformance/FORMAT.md}: every case's model is loaded and
 * allocated, every input set is invoked on a fresh interpreter and every sequence on one interpreter frame by frame,
 * and the outputs must equal TFLM's byte for byte. Cases TFLM rejected must be rejected with a
 * {@link MinnowException} (at allocation, or at invoke where TFLM failed there).
 */
public final class ConformanceRunner {
    /**
     * Whether any of the case's ops has a float kernel that calls the C math library (its descriptor says so). Their
     * float outputs may match within 2 ulp instead of exactly; such cases are counted and reported apart. (minnow
     * reproduces glibc's float functions, so these are expected to be exact; the tolerance only keeps a future libm
     * difference visible rather than fatal.)
     */
    static boolean callsLibm(List<String> ops) {
        for (String op : ops) {
            OpDescriptor d = Ops.all().get(op);
            if (d != null && d.callsLibm()) return true;
        }
        return false;
    }

    /** The outcome of one case. */
    public record CaseResult(String path, String group, List<String> ops, boolean passed, boolean withinUlp, String detail) {}

    /** The outcome of a run. */
    public record Result(List<CaseResult> cases) {
        public long passed() { return cases.stream().filter(CaseResult::passed).count(); }
        public long failed() { return cases.size() - passed(); }
        public long passedWithinUlp() { return cases.stream().filter(c -> c.passed() && c.withinUlp()).count(); }
        public String summary() { return passed() + " passed, " + failed() + " failed"; }
    }

    private ConformanceRunner() {}

    /** Runs every case under {@code root} whose path contains {@code filter} (null or empty: all), fast kernels on. */
    public static Result run(Path root, String filter) {
        return run(root, filter, true);
    }

    /**
     * Runs every case under {@code root} whose path contains {@code filter} (null or empty: all), with the engine's
     * fast kernels on or forced off ({@code InterpreterOptions.setUseFastKernels}).
     */
    public static Result run(Path root, String filter, boolean fastKernels) {
        List<CaseResult> results = new ArrayList<>();
        for (Path dir : CorpusCase.list(root)) {
            String rel = root.relativize(dir).toString().replace('\\', '/');
            if (filter != null && !filter.isEmpty() && !rel.contains(filter)) continue;
            results.add(runCase(dir, rel, fastKernels));
        }
        return new Result(results);
    }

    /**
     * One case, under the engine's default budget for untrusted models on purpose (no setBudget): the corpus is the
     * evidence that the default, scaled to each file, admits real models (ModelBudgetTest checks the margin).
     */
    static CaseResult runCase(Path dir, String rel, boolean fast) {
        String group = rel.startsWith("ops/") ? "ops" : rel.startsWith("detectors/") ? "detectors" : "models";
        List<String> ops = List.of();
        try {
            CorpusCase c = CorpusCase.read(dir);
            ops = c.ops();
            boolean libm = callsLibm(ops);
            if (c.expectsError()) return runReject(c, rel, group, "invoke".equals(c.stage()), String.valueOf(c.error()), fast);
            Model model = Model.load(Files.readAllBytes(c.model()));
            boolean ulp = false;
            for (CorpusCase.InputSet set : c.sets()) {
                Interpreter interp = new Interpreter(model, new InterpreterOptions().setUseFastKernels(fast));
                interp.allocateTensors();
                for (int k = 0; k < set.inputs().size(); k++) interp.getInputTensor(k).copyFrom(Files.readAllBytes(dir.resolve(set.inputs().get(k))));
                interp.invoke();
                for (int k = 0; k < set.outputs().size(); k++) {
                    Compare cmp = compare(interp.getOutputTensor(k), Files.readAllBytes(dir.resolve(set.outputs().get(k))), libm);
                    if (!cmp.equal) return new CaseResult(rel, group, ops, false, false, set.id() + " output " + k + ": " + cmp.detail);
                    ulp |= cmp.withinUlp;
                }
            }
            for (CorpusCase.Sequence seq : c.sequences()) {
                Interpreter interp = new Interpreter(model, new InterpreterOptions().setUseFastKernels(fast));
                interp.allocateTensors();
                byte[][] in = new byte[seq.inputs().size()][];
                for (int k = 0; k < in.length; k++) in[k] = Files.readAllBytes(dir.resolve(seq.inputs().get(k)));
                byte[][] out = new byte[seq.outputs().size()][];
                for (int k = 0; k < out.length; k++) out[k] = Files.readAllBytes(dir.resolve(seq.outputs().get(k)));
                for (int f = 0; f < seq.frames(); f++) {
                    for (int k = 0; k < in.length; k++) {
                        Tensor t = interp.getInputTensor(k);
                        t.copyFrom(Arrays.copyOfRange(in[k], f * t.numBytes(), (f + 1) * t.numBytes()));
                    }
                    interp.invoke();
                    for (int k = 0; k < out.length; k++) {
                        Tensor t = interp.getOutputTensor(k);
                        Compare cmp = compare(t, Arrays.copyOfRange(out[k], f * t.numBytes(), (f + 1) * t.numBytes()), libm);
                        if (!cmp.equal) {
                            return new CaseResult(rel, group, ops, false, false, seq.id() + " frame " + f + " output " + k + ": " + cmp.detail);
                        }
                        ulp |= cmp.withinUlp;
                    }
                }
            }
            return new CaseResult(rel, group, ops, true, ulp, ulp ? "within 2 ulp" : "exact");
        } catch (MinnowException e) {
            return new CaseResult(rel, group, ops, false, false, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (CorpusException e) {
            return new CaseResult(rel, group, ops, false, false, "bad case: " + e.getMessage());
        } catch (IOException e) {
            return new CaseResult(rel, group, ops, false, false, "cannot read case: " + e);
        } catch (Throwable e) {
            return new CaseResult(rel, group, ops, false, false, "BUG: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /**
     * A rejected case passes when loading, allocation or (for invoke-stage errors) the invoke throws a MinnowException.
     * Refusing an op no kernel handles only counts where TFLM failed for the same reason (it had no registration).
     */
    private static CaseResult runReject(CorpusCase c, String rel, String group, boolean atInvoke, String tflmError, boolean fast) {
        List<String> ops = c.ops();
        try {
            Model model = Model.load(Files.readAllBytes(c.model()));
            Interpreter interp = new Interpreter(model, new InterpreterOptions().setUseFastKernels(fast));
            interp.allocateTensors();
            if (atInvoke) {
                // TFLM failed while running; the corpus keeps no inputs for these, so feed the lowest values of the
                // input types (the errors are data-dependent range checks).
                for (int k = 0; k < interp.getInputTensorCount(); k++) {
                    Tensor t = interp.getInputTensor(k);
                    byte[] b = new byte[t.numBytes()];
                    Arrays.fill(b, (byte) 0x80);
                    t.copyFrom(b);
                }
                interp.invoke();
            }
            return new CaseResult(rel, group, ops, false, false, "TFLM rejects this model, minnow accepted it");
        } catch (UnsupportedOpException e) {
            if (tflmError.contains("Failed to get registration")) return new CaseResult(rel, group, ops, true, false, "rejected: " + e.getMessage());
            // Refusing an op we have no kernel for says nothing about whether we would reject the model for TFLM's reason.
            return new CaseResult(rel, group, ops, false, false, "rejected only because the op is unsupported ("
                    + e.getMessage() + "); TFLM's reason: " + tflmError);
        } catch (MinnowException e) {
            return new CaseResult(rel, group, ops, true, false, "rejected: " + e.getMessage());
        } catch (IOException e) {
            return new CaseResult(rel, group, ops, false, false, "cannot read case: " + e);
        } catch (Throwable e) {
            return new CaseResult(rel, group, ops, false, false, "BUG: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    record Compare(boolean equal, boolean withinUlp, String detail) {}

    /** Byte comparison; float32 outputs of libm ops may also match within 2 ulp. */
    static Compare compare(Tensor t, byte[] expected, boolean libm) {
        byte[] actual = t.toByteArray();
        if (Arrays.equals(actual, expected)) return new Compare(true, false, "");
        if (actual.length != expected.length) {
            return new Compare(false, false, "size " + actual.length + " bytes, expected " + expected.length);
        }
        DataType type = t.dataType();
        int elem = Math.max(1, type.byteSize());
        int first = 0;
        while (first < actual.length && actual[first] == expected[first]) first++;
        int index = first / elem;
        if (libm && type == DataType.FLOAT32 && withinUlp(actual, expected, 2)) return new Compare(true, true, "");
        return new Compare(false, false, "first difference at element " + index + " of " + (expected.length / elem)
                + ": expected " + decode(type, expected, index) + ", got " + decode(type, actual, index));
    }

    static boolean withinUlp(byte[] a, byte[] b, int ulps) {
        ByteBuffer x = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN), y = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= a.length; i += 4) {
            int p = x.getInt(i), q = y.getInt(i);
            if (p == q) continue;
            float fp = Float.intBitsToFloat(p), fq = Float.intBitsToFloat(q);
            if (Float.isNaN(fp) || Float.isNaN(fq)) return false;
            long op = p < 0 ? -(p & 0x7FFFFFFFL) : p, oq = q < 0 ? -(q & 0x7FFFFFFFL) : q;
            if (Math.abs(op - oq) > ulps) return false;
        }
        return true;
    }

    static String decode(DataType type, byte[] data, int index) {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        return switch (type) {
            case FLOAT32 -> Float.toString(b.getFloat(4 * index));
            case INT32 -> Integer.toString(b.getInt(4 * index));
            case INT16 -> Short.toString(b.getShort(2 * index));
            case INT64 -> Long.toString(b.getLong(8 * index));
            case UINT8, BOOL -> Integer.toString(data[index] & 0xFF);
            default -> Byte.toString(data[index]);
        };
    }

    /** Prints the per-op and per-model tables, the failures, the ulp line (when needed) and the summary line last. */
    public static void report(Result r, PrintStream out, boolean verbose) {
        Map<String, long[]> perOp = new TreeMap<>(), perModel = new TreeMap<>();
        for (CaseResult c : r.cases()) {
            String[] parts = c.path().split("/");
            Map<String, long[]> table = c.group().equals("ops") ? perOp : perModel;
            String key = c.group().equals("ops") ? parts[1] : c.path();
            long[] v = table.computeIfAbsent(key, k -> new long[2]);
            v[c.passed() ? 0 : 1]++;
        }
        out.println("op                              passed  failed");
        perOp.forEach((k, v) -> out.printf(Locale.ROOT, "%-32s%6d  %6d%n", k, v[0], v[1]));
        out.println();
        out.println("model                                             result");
        perModel.forEach((k, v) -> out.printf(Locale.ROOT, "%-50s%s%n", k, v[1] == 0 ? "pass" : "FAIL"));
        List<CaseResult> failures = r.cases().stream().filter(c -> !c.passed()).toList();
        if (!failures.isEmpty()) {
            out.println();
            out.println("failures:");
            for (CaseResult c : failures) out.println("  " + c.path() + ": " + c.detail());
        }
        if (verbose) {
            out.println();
            for (CaseResult c : r.cases()) if (c.passed()) out.println("  ok " + c.path() + " (" + c.detail() + ")");
        }
        out.println();
        long k = r.passedWithinUlp();
        if (k > 0) out.println("ulp: " + k + " of the passed cases matched within 2 ulp, not exactly");
        out.println(r.summary());
    }
}
