package dev.minnow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the native timers: the C reference's {@code minnow-cref-bench} and TFLM's {@code tflm_bench}. */
public final class Natives {
    private Natives() {}

    /** Best wall-clock and thread-CPU nanoseconds per run. */
    public record Timing(double wallNs, double cpuNs) {
        /** The better of two timings, field by field. */
        Timing best(Timing other) {
            return other == null ? this : new Timing(Math.min(wallNs, other.wallNs), Math.min(cpuNs, other.cpuNs));
        }
    }

    /** A native run: its timing and the outputs of its first run (concatenated), or the error it reported. */
    public record NativeRun(Timing timing, byte[] output, String error) {
        static NativeRun failed(String error) { return new NativeRun(null, null, error); }
    }

    private static final Pattern CREF_BENCH = Pattern.compile("bench (\\S+) n=\\d+ best_ns=([0-9.]+) best_cpu_ns=([0-9.]+)");
    private static final Pattern TFLM_BENCH = Pattern.compile("best_us=([0-9.]+) best_cpu_us=([0-9.]+)");

    /** Times the one case of {@code spec} with {@code minnow-cref-bench}. */
    public static NativeRun crefBench(Path binary, Path spec, double seconds, int reps) throws IOException, InterruptedException {
        Result r = run(List.of(binary.toString(), "-t", Double.toString(seconds), "-r", Integer.toString(reps), spec.toString()));
        byte[] output = null;
        Timing timing = null;
        for (String line : r.stdout.split("\n")) {
            if (line.startsWith("result ")) {
                String[] parts = line.split(" ", 3);
                output = HexFormat.of().parseHex(parts.length > 2 ? parts[2].trim() : "");
            } else if (line.startsWith("error ")) {
                return NativeRun.failed("C reference: " + line.substring(6));
            }
            Matcher m = CREF_BENCH.matcher(line);
            if (m.find()) timing = new Timing(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
        }
        if (timing == null) return NativeRun.failed("minnow-cref-bench exited " + r.exit + ": " + r.stdout + r.stderr);
        return new NativeRun(timing, output, null);
    }

    /** Times a model with {@code tflm_bench} on the given input files; its first invoke's outputs come back concatenated. */
    public static NativeRun tflmBench(Path binary, Path model, List<Path> inputs, Path work, double seconds, int reps)
            throws IOException, InterruptedException {
        Files.createDirectories(work);
        for (Path old : CorpusFiles.indexed(work, "tflm_output")) Files.delete(old);
        String prefix = work.resolve("tflm_output_").toString();
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), model.toString()));
        for (Path p : inputs) { cmd.add("-i"); cmd.add(p.toString()); }
        cmd.addAll(List.of("-o", prefix, "-t", Double.toString(seconds), "-r", Integer.toString(reps), "-a", Integer.toString(64 << 20)));
        Result r = run(cmd);
        Matcher m = TFLM_BENCH.matcher(r.stdout);
        if (r.exit != 0 || !m.find()) return NativeRun.failed("tflm_bench exited " + r.exit + ": " + (r.stderr + r.stdout).trim());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Path p : CorpusFiles.indexed(work, "tflm_output")) out.writeBytes(Files.readAllBytes(p));
        return new NativeRun(new Timing(Double.parseDouble(m.group(1)) * 1000, Double.parseDouble(m.group(2)) * 1000), out.toByteArray(), null);
    }

    private record Result(int exit, String stdout, String stderr) {}

    private static Result run(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile("minnow-bench", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Result(-1, out, "timed out");
            }
            return new Result(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
