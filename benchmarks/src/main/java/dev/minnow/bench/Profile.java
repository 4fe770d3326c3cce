package dev.minnow.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where an {@code invoke()} spends its time: runs {@link InvokeBenchmark} on one corpus model (or a kernel's
 * single-op model left by a suite run) in a JMH fork with Java Flight Recorder on, then prints the methods that
 * the execution samples land in (self time), the kernels they fall under (inclusive), and where the allocation
 * samples come from.
 * <pre>benchmarks/profile.sh MODEL_ID_OR_DIR [SECONDS]</pre>
 */
public final class Profile {
    private Profile() {}

    /** args: corpus folder, a corpus model id (or a folder with model.tflite and input_k.bin), seconds to sample. */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Profile CORPUS MODEL_ID|DIR [SECONDS]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        String what = args[1];
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path model, inputs;
        if (Files.isDirectory(Path.of(what))) {
            model = Path.of(what).resolve("model.tflite");
            inputs = Path.of(what);
        } else {
            CorpusFiles.CorpusModel m = CorpusFiles.runnableModels(corpus).stream().filter(c -> c.id().equals(what)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no runnable corpus model " + what + " in " + corpus));
            model = m.model();
            inputs = m.set0();
        }
        Path jfr = Files.createTempFile("minnow-profile", ".jfr");
        new Runner(new OptionsBuilder()
                .include("^" + Pattern.quote(InvokeBenchmark.class.getName() + ".invoke") + "$")
                .param("model", model.toString()).param("inputs", inputs.toString())
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(seconds).measurementTime(TimeValue.seconds(1))
                // JFR starts after the fork's setup and warm-up (about 4 s), so the samples are of steady-state invokes
                .jvmArgsAppend(forkArgs(jfr))
                .verbosity(VerboseMode.SILENT).build()).runSingle();
        report(jfr, model);
        Files.deleteIfExists(jfr);
    }

    /** The fork's JVM arguments: JFR, plus MINNOW_PROFILE_JVM_ARGS (e.g. "--add-modules jdk.incubator.vector"). */
    private static String[] forkArgs(Path jfr) {
        List<String> args = new ArrayList<>();
        String extra = System.getenv("MINNOW_PROFILE_JVM_ARGS");
        if (extra != null && !extra.isBlank()) args.addAll(List.of(extra.trim().split("\\s+")));
        args.add("-XX:StartFlightRecording=delay=5s,settings=profile,filename=" + jfr);
        return args.toArray(new String[0]);
    }

    private static void report(Path jfr, Path model) throws IOException {
        Map<String, Integer> self = new HashMap<>(), lines = new HashMap<>(), kernels = new HashMap<>(), allocSites = new HashMap<>();
        Map<String, Long> allocBytes = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty() || !onBenchmarkThread(e)) continue;
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                self.merge(frameName(st.getFrames().get(0)), 1, Integer::sum);
                lines.merge(frameName(st.getFrames().get(0)) + ":" + st.getFrames().get(0).getLineNumber(), 1, Integer::sum);
                kernels.merge(kernelOf(st.getFrames()), 1, Integer::sum);
            } else if (type.equals("jdk.ObjectAllocationSample")) {
                String site = allocationSite(st.getFrames()) + " (" + e.getClass("objectClass").getName() + ")";
                allocSites.merge(site, 1, Integer::sum);
                allocBytes.merge(site, e.getLong("weight"), Long::sum);
            }
        }
        System.out.printf(Locale.ROOT, "%s: %d execution samples on the benchmark thread%n%n", model, samples);
        System.out.println("self time by method:");
        print(self, samples, 20);
        System.out.println("\nself time by source line:");
        print(lines, samples, 20);
        System.out.println("\ninclusive time by kernel (first dev.minnow.kernels frame from the top):");
        print(kernels, samples, 20);
        System.out.println("\nallocation samples on the benchmark thread after warm-up (site, class: samples, sampled bytes):");
        if (allocSites.isEmpty()) System.out.println("  none");
        allocSites.entrySet().stream().sorted((a, b) -> Long.compare(allocBytes.get(b.getKey()), allocBytes.get(a.getKey()))).limit(15)
                .forEach(en -> System.out.printf(Locale.ROOT, "  %s: %d, %d B%n", en.getKey(), en.getValue(), allocBytes.get(en.getKey())));
    }

    private static boolean onBenchmarkThread(RecordedEvent e) {
        var thread = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread("eventThread");
        return thread != null && thread.getJavaName() != null && thread.getJavaName().contains("jmh-worker");
    }

    private static String frameName(RecordedFrame f) {
        return f.getMethod().getType().getName().replace("dev.minnow.", "") + "." + f.getMethod().getName();
    }

    private static String kernelOf(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String type = f.getMethod().getType().getName();
            if (type.startsWith("dev.minnow.kernels.")) {
                String simple = type.substring("dev.minnow.kernels.".length());
                int inner = simple.indexOf('$');
                return inner < 0 ? simple : simple.substring(0, inner);
            }
        }
        return "(outside the kernels)";
    }

    private static String allocationSite(List<RecordedFrame> frames) {
        List<String> names = new ArrayList<>();
        for (RecordedFrame f : frames) {
            names.add(frameName(f) + ":" + f.getLineNumber());
            if (f.getMethod().getType().getName().startsWith("dev.minnow.") && names.size() >= 2) break;
        }
        return String.join(" <- ", names.subList(0, Math.min(names.size(), 4)));
    }

    private static void print(Map<String, Integer> counts, int total, int limit) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(limit).forEach(en -> sorted.put(en.getKey(), en.getValue()));
        sorted.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * v / Math.max(1, total), k));
    }
}
