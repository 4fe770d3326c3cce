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
 * per iteration, warm-up included: "cpu_ns invokes allocated_bytes"): on a shared machine CPU time is the steadier
 * figure, and JMH's gc.alloc.rate.norm also counts its own threads' few kilobytes per iteration.
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

    /** Writes the CPU log for the host. */
    @TearDown(Level.Trial)
    public void writeCpuLog() throws IOException {
        String log = System.getProperty(CPU_LOG);
        if (log == null) return;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < iteration; i++) sb.append(cpuNanos[i]).append(' ').append(invokes[i]).append(' ').append(allocated[i]).append('\n');
        Files.writeString(Path.of(log), sb.toString());
    }

    /** The measured operation. */
    @Benchmark
    public void invoke() {
        run.invoke();
        count++;
    }
}
