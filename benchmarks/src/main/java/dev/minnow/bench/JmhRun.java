package dev.minnow.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Runs {@link InvokeBenchmark} for one model in one forked JVM (JMH, with its GC profiler) and reads the figures back. */
final class JmhRun {
    private JmhRun() {}

    /** How to run JMH: fork JVM and its flags, warm-up and measurement iterations. */
    record Config(String jvm, List<String> jvmArgs, int warmups, int warmupMs, int iterations, int iterationMs) {}

    /**
     * One model's figures: the best measurement iteration's wall-clock and thread-CPU ns per invoke; JMH's
     * gc.alloc.rate.norm (bytes allocated per invoke by all the fork's threads over the measurement iterations, JMH's
     * own included) and the bytes an invoke itself allocates (on the benchmark thread, warm, see
     * {@link InvokeBenchmark#finish()}); the larger of each over rounds.
     */
    record Measured(Natives.Timing timing, double gcAllocRateNorm, double invokeBytes) {
        Measured best(Measured other) {
            return other == null ? this : new Measured(timing.best(other.timing), Math.max(gcAllocRateNorm, other.gcAllocRateNorm),
                    Math.max(invokeBytes, other.invokeBytes));
        }
    }

    static Measured measure(Config config, Path model, Path inputs, Path work) throws IOException, RunnerException {
        Files.createDirectories(work);
        Path cpuLog = work.resolve("cpu.log");
        Files.deleteIfExists(cpuLog);
        List<String> jvmArgs = new ArrayList<>(config.jvmArgs());
        jvmArgs.add("-D" + InvokeBenchmark.CPU_LOG + "=" + cpuLog);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(InvokeBenchmark.class.getName() + ".invoke") + "$")
                .param("model", model.toString())
                .param("inputs", inputs.toString())
                .forks(1)
                .threads(1)
                .warmupIterations(config.warmups())
                .warmupTime(TimeValue.milliseconds(config.warmupMs()))
                .measurementIterations(config.iterations())
                .measurementTime(TimeValue.milliseconds(config.iterationMs()))
                .addProfiler(GCProfiler.class)
                .jvmArgs(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (config.jvm() != null) options.jvm(config.jvm());
        RunResult result = new Runner(options.build()).runSingle();
        double bestWall = Double.MAX_VALUE;
        for (BenchmarkResult br : result.getBenchmarkResults()) {
            BenchmarkParams params = br.getParams();
            if (params.getTimeUnit() != java.util.concurrent.TimeUnit.NANOSECONDS) throw new IllegalStateException("expected ns/op");
            for (IterationResult ir : br.getIterationResults()) bestWall = Math.min(bestWall, ir.getPrimaryResult().getScore());
        }
        Result<?> alloc = result.getSecondaryResults().get("gc.alloc.rate.norm");
        double bestCpu = Double.MAX_VALUE;
        List<String> lines = Files.readAllLines(cpuLog);
        int iterations = config.warmups() + config.iterations();
        if (lines.size() != iterations + 1 || !lines.get(iterations).startsWith("alloc ")) {
            throw new IllegalStateException("expected " + iterations + " iterations and an alloc line in " + cpuLog + ", found " + lines);
        }
        for (String line : lines.subList(config.warmups(), iterations)) {
            String[] f = line.trim().split(" ");
            long invokes = Long.parseLong(f[1]);
            if (invokes > 0) bestCpu = Math.min(bestCpu, Long.parseLong(f[0]) / (double) invokes);
        }
        String[] a = lines.get(iterations).trim().split(" ");
        return new Measured(new Natives.Timing(bestWall, bestCpu), alloc == null ? Double.NaN : alloc.getScore(),
                Long.parseLong(a[1]) / (double) Long.parseLong(a[2]));
    }
}
