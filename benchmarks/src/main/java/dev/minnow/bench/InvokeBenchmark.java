package dev.minnow.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One {@code invoke()} of a model on fixed inputs: a corpus model on its {@code set_0}, or a single-op model cut from
 * one (see {@link SingleOpModels}). {@code model} is the .tflite file, {@code inputs} the folder holding
 * {@code input_0.bin, input_1.bin, ...}. Besides JMH's wall-clock score, each iteration's thread-CPU time and the bytes
 * the benchmark thread allocated are written to the file named by the system property {@value #CPU_LOG} (one line
 * per iteration, warm-up included: "cpu_ns invokes allocated_bytes"), then one line "alloc BYTES INVOKES" from last
 * runs of invokes with nothing but them between two readings of the thread's allocation counter. On a shared
 * machine CPU time is the steadier figure; JMH's gc.alloc.rate.norm counts JMH's own threads too, and an iteration's
 * own bytes include JMH's per-iteration bookkeeping on the benchmark thread, so only the last line says exactly what
 * an invoke allocates.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InvokeBenchmark {
    /** System property: where the forked VM writes each iteration's "cpu_ns invokes allocated_bytes" line. */
    public static final String CPU_LOG = "minnow.bench.cpuLog";
    private static final int MAX_ITERATIONS = 1024;

    /** The .tflite file. */
    @Param("")
    public String model;

    /** The folder with input_k.bin. */
    @Param("")
    public String inputs;

    private EngineRun run;
    private final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long[] cpuNanos = new long[MAX_ITERATIONS];
    private final long[] invokes = new long[MAX_ITERATIONS];
    private final long[] allocated = new long[MAX_ITERATIONS];
    private int iteration;
    private long count;
    private long cpuStart;
    private long allocatedStart;

    /** Loads the model and its inputs. */
    @Setup(Level.Trial)
    public void load() throws IOException {
        run = EngineRun.open(Files.readAllBytes(Path.of(model)), CorpusFiles.inputs(Path.of(inputs)));
    }

    /** Starts the iteration's CPU clock (runs on the benchmark thread, outside the timed loop). */
    @Setup(Level.Iteration)
    public void startIteration() {
        count = 0;
        allocatedStart = threads.getCurrentThreadAllocatedBytes();
        cpuStart = threads.getCurrentThreadCpuTime();
    }

    /** Stops it; nothing is allocated here, so gc.alloc.rate.norm stays the invoke's own. */
    @TearDown(Level.Iteration)
    public void endIteration() {
        long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
        long bytes = threads.getCurrentThreadAllocatedBytes() - allocatedStart;
        if (iteration < MAX_ITERATIONS) {
            cpuNanos[iteration] = cpu;
            allocated[iteration] = bytes;
            invokes[iteration] = count;
            iteration++;
        }
    }

    /**
     * After the last iteration (on the benchmark thread, warm): three runs of half as many invokes as that iteration
     * ran, each with only the loop between two readings of the thread's allocated bytes, keeping the least (the JVM
     * now and then puts a few dozen bytes on the thread, which a real per-invoke allocation would not hide behind);
     * then writes the log for the host.
     */
    @TearDown(Level.Trial)
    public void finish() throws IOException {
        long n = Math.max(1, iteration > 0 ? invokes[iteration - 1] / 2 : 1);
        long bytes = Long.MAX_VALUE;
        for (int r = 0; r < 3; r++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (long i = 0; i < n; i++) run.invoke();
            bytes = Math.min(bytes, threads.getCurrentThreadAllocatedBytes() - before);
        }
        String log = System.getProperty(CPU_LOG);
        if (log == null) return;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < iteration; i++) sb.append(cpuNanos[i]).append(' ').append(invokes[i]).append(' ').append(allocated[i]).append('\n');
        sb.append("alloc ").append(bytes).append(' ').append(n).append('\n');
        Files.writeString(Path.of(log), sb.toString());
    }

    /** The measured operation. */
    @Benchmark
    public void invoke() {
        run.invoke();
        count++;
    }
}
