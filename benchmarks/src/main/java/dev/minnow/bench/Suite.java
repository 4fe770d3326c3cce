package dev.minnow.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The benchmark suite in one command (benchmarks/run.sh): per-kernel benchmarks (single-op models cut from real
 * models) beside the C reference kernels and TFLM on the same op, then whole-model {@code invoke()} of every
 * runnable corpus model beside TFLM; minnow (JMH, one fork per model), the C reference and TFLM are run one after the
 * other per model, round after round, and each keeps its best. Prints Markdown tables and writes them, with a CSV of
 * every figure, to the work folder.
 */
public final class Suite {
    private Suite() {}

    /** Settings from the command line. */
    record Settings(Path corpus, Path cref, Path tflm, Path work, boolean quick, boolean kernels, boolean models,
                    Pattern filter, int rounds, JmhRun.Config jmh, double nativeSeconds, int nativeReps, List<Variant> variants,
                    List<KernelCatalog.KernelDef> nodes) {}

    /** Another minnow configuration timed in the same run: a name and the JVM flags added for its forks. */
    record Variant(String name, List<String> jvmArgs) {
        JmhRun.Config config(JmhRun.Config base) {
            List<String> args = new ArrayList<>(base.jvmArgs());
            args.addAll(jvmArgs);
            return new JmhRun.Config(base.jvm(), args, base.warmups(), base.warmupMs(), base.iterations(), base.iterationMs());
        }
    }

    /** One benchmarked model or kernel, its figures merged over rounds. */
    static final class Row {
        final String id, group, shapes;
        final SingleOpModels.Work work;
        JmhRun.Measured minnow;
        final Map<String, JmhRun.Measured> variants = new LinkedHashMap<>();
        Natives.Timing cref, tflm;
        String crefNote = "", tflmNote = "";
        Boolean crefSame, tflmSame, goldenSame;

        Row(String id, String group, String shapes, SingleOpModels.Work work) {
            this.id = id; this.group = group; this.shapes = shapes; this.work = work;
        }
    }

    private static final String USAGE = """
            usage: run.sh [--quick] [--kernels-only | --models-only | --nodes MODEL_ID...] [--filter REGEX] [--rounds N]
                          [--corpus DIR] [--cref BIN] [--tflm BIN] [--work DIR]
                          [--jvm JAVA] [--jvm-args "ARGS"] [--warmups N] [--warmup-ms MS] [--iterations N] [--iteration-ms MS]
                          [--native-seconds S] [--native-reps N] [--variant NAME="JVM ARGS"]...
              --quick         a smoke run: a few kernels and models, short iterations, one round
              --filter REGEX  only the kernels/models whose id matches (find)
              --nodes ID      instead of the kernel catalogue and the models: every operator of corpus model ID (a
                              folder of models/ or detectors/) cut out and timed as a kernel; repeatable
              --cref BIN      minnow-cref-bench (make -C c-reference bench); without it the C columns stay empty
              --tflm BIN      tflm_bench (../shared/tflm-reference); without it the TFLM columns stay empty
              --jvm JAVA      the java that runs the benchmarks (default: this one); --jvm-args its flags
              --variant N=A   also time minnow with the JVM flags A added (e.g. ref="-Dminnow.fastKernels=false",
                              vector="--add-modules jdk.incubator.vector"), in the same rounds; repeatable
            """;

    /** Runs the suite; see {@link #USAGE}. */
    public static void main(String[] args) throws Exception {
        Settings s = parse(args);
        Files.createDirectories(s.work());
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        StringBuilder report = new StringBuilder();
        report.append("minnow benchmarks ").append(stamp).append(s.quick() ? " (quick)" : "").append('\n')
                .append(Environment.describe(s)).append('\n');
        List<Row> kernelRows = s.kernels() ? runKernels(s) : List.of();
        List<Row> modelRows = s.models() ? runModels(s) : List.of();
        if (!kernelRows.isEmpty()) report.append(Tables.kernels(kernelRows)).append('\n');
        if (!modelRows.isEmpty()) report.append(Tables.models(modelRows)).append('\n');
        if (!s.variants().isEmpty()) {
            List<String> names = s.variants().stream().map(Variant::name).toList();
            if (!kernelRows.isEmpty()) report.append(Tables.variants("Kernels", kernelRows, names)).append('\n');
            if (!modelRows.isEmpty()) report.append(Tables.variants("Whole models", modelRows, names)).append('\n');
        }
        System.out.println(report);
        Path md = s.work().resolve("results-" + stamp + ".md");
        Files.writeString(md, report);
        Path csv = s.work().resolve("results-" + stamp + ".csv");
        Files.writeString(csv, Tables.csv(kernelRows, modelRows));
        System.err.println("wrote " + md + " and " + csv);
    }

    private static List<Row> runKernels(Settings s) throws Exception {
        List<KernelCatalog.KernelDef> defs = new ArrayList<>();
        for (KernelCatalog.KernelDef d : s.nodes().isEmpty() ? KernelCatalog.ALL : s.nodes()) {
            if ((!s.quick() || d.quick() || !s.nodes().isEmpty()) && s.filter().matcher(d.id()).find()) defs.add(d);
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, Path> dirs = new LinkedHashMap<>();
        Map<String, byte[]> javaOutputs = new LinkedHashMap<>();
        for (KernelCatalog.KernelDef d : defs) {   // cut the models once; all sides read the same files
            SingleOpModels.SingleOp op = SingleOpModels.slice(s.corpus().resolve(d.caseDir()).resolve("model.tflite"), d.op(), d.occurrence(), d.id());
            Path dir = s.work().resolve("kernels").resolve(d.id());
            Files.createDirectories(dir);
            Files.write(dir.resolve("model.tflite"), op.model());
            for (int k = 0; k < op.inputs().size(); k++) Files.write(dir.resolve("input_" + k + ".bin"), op.inputs().get(k));
            if (op.cSpec() != null) Files.writeString(dir.resolve("case.spec"), op.cSpec());
            else Files.deleteIfExists(dir.resolve("case.spec"));
            rows.put(d.id(), new Row(d.id(), d.op(), op.shapes(), op.work()));
            dirs.put(d.id(), dir);
            javaOutputs.put(d.id(), concat(EngineRun.open(op.model(), op.inputs()).runOnce()));
        }
        for (int round = 1; round <= s.rounds(); round++) {
            int i = 0;
            for (KernelCatalog.KernelDef d : defs) {
                Row row = rows.get(d.id());
                Path dir = dirs.get(d.id());
                progress("kernel", ++i, defs.size(), round, s.rounds(), d.id());
                row.minnow = JmhRun.measure(s.jmh(), dir.resolve("model.tflite"), dir, dir.resolve("jmh")).best(row.minnow);
                for (Variant v : s.variants()) {
                    row.variants.put(v.name(), JmhRun.measure(v.config(s.jmh()), dir.resolve("model.tflite"), dir,
                            dir.resolve("jmh-" + v.name())).best(row.variants.get(v.name())));
                }
                if (s.cref() != null && Files.exists(dir.resolve("case.spec"))) {
                    Natives.NativeRun c = Natives.crefBench(s.cref(), dir.resolve("case.spec"), s.nativeSeconds(), s.nativeReps());
                    if (c.error() != null) row.crefNote = c.error();
                    else {
                        row.cref = c.timing().best(row.cref);
                        row.crefSame = Arrays.equals(c.output(), javaOutputs.get(d.id()));
                    }
                } else if (s.cref() != null) {
                    row.crefNote = "not in the C reference";
                }
                if (s.tflm() != null) {
                    Natives.NativeRun t = Natives.tflmBench(s.tflm(), dir.resolve("model.tflite"), CorpusFiles.indexed(dir, "input"),
                            dir.resolve("tflm"), s.nativeSeconds(), s.nativeReps());
                    if (t.error() != null) row.tflmNote = t.error();
                    else {
                        row.tflm = t.timing().best(row.tflm);
                        row.tflmSame = Arrays.equals(t.output(), javaOutputs.get(d.id()));
                    }
                }
                System.err.println("    " + Tables.summary(row));
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static List<Row> runModels(Settings s) throws Exception {
        List<CorpusFiles.CorpusModel> models = new ArrayList<>();
        for (CorpusFiles.CorpusModel m : CorpusFiles.runnableModels(s.corpus())) {
            if (s.quick() && !KernelCatalog.QUICK_MODELS.contains(m.id())) continue;
            if (s.filter().matcher(m.id()).find()) models.add(m);
        }
        Map<String, Row> rows = new LinkedHashMap<>();
        Map<String, byte[]> javaOutputs = new LinkedHashMap<>();
        for (CorpusFiles.CorpusModel m : models) {
            Row row = new Row(m.id(), m.group(), "", new SingleOpModels.Work(SingleOpModels.modelMacs(m.model()), "MAC"));
            byte[] java = concat(EngineRun.open(Files.readAllBytes(m.model()), CorpusFiles.inputs(m.set0())).runOnce());
            ByteArrayOutputStream golden = new ByteArrayOutputStream();
            for (Path p : CorpusFiles.indexed(m.set0(), "output")) golden.writeBytes(Files.readAllBytes(p));
            row.goldenSame = Arrays.equals(java, golden.toByteArray());
            javaOutputs.put(m.id(), java);
            rows.put(m.id(), row);
        }
        for (int round = 1; round <= s.rounds(); round++) {
            int i = 0;
            for (CorpusFiles.CorpusModel m : models) {
                Row row = rows.get(m.id());
                Path work = s.work().resolve("models").resolve(m.id());
                progress("model", ++i, models.size(), round, s.rounds(), m.id());
                row.minnow = JmhRun.measure(s.jmh(), m.model(), m.set0(), work.resolve("jmh")).best(row.minnow);
                for (Variant v : s.variants()) {
                    row.variants.put(v.name(), JmhRun.measure(v.config(s.jmh()), m.model(), m.set0(),
                            work.resolve("jmh-" + v.name())).best(row.variants.get(v.name())));
                }
                if (s.tflm() != null) {
                    Natives.NativeRun t = Natives.tflmBench(s.tflm(), m.model(), CorpusFiles.indexed(m.set0(), "input"),
                            work.resolve("tflm"), s.nativeSeconds(), s.nativeReps());
                    if (t.error() != null) row.tflmNote = t.error();
                    else {
                        row.tflm = t.timing().best(row.tflm);
                        row.tflmSame = Arrays.equals(t.output(), javaOutputs.get(m.id()));
                    }
                }
                System.err.println("    " + Tables.summary(row));
            }
        }
        return new ArrayList<>(rows.values());
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static void progress(String what, int i, int n, int round, int rounds, String id) {
        System.err.printf(Locale.ROOT, "[%s %d/%d, round %d/%d] %s%n", what, i, n, round, rounds, id);
    }

    private static Settings parse(String[] args) throws IOException {
        Path corpus = Path.of(System.getProperty("minnow.conformance", "../shared/conformance"));
        Path cref = null, tflm = null, work = Path.of("benchmarks", "target", "bench");
        boolean quick = false, kernels = true, models = true;
        Pattern filter = Pattern.compile("");
        Integer rounds = null, warmups = null, warmupMs = null, iterations = null, iterationMs = null, nativeReps = null;
        Double nativeSeconds = null;
        String jvm = null;
        List<String> jvmArgs = List.of();
        List<Variant> variants = new ArrayList<>();
        List<String> nodeModels = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--kernels-only" -> models = false;
                case "--models-only" -> kernels = false;
                case "--nodes" -> nodeModels.add(value(args, ++i, a));
                case "--filter" -> filter = Pattern.compile(value(args, ++i, a));
                case "--rounds" -> rounds = positive(args, ++i, a);
                case "--corpus" -> corpus = Path.of(value(args, ++i, a));
                case "--cref" -> cref = executable(value(args, ++i, a), a);
                case "--tflm" -> tflm = executable(value(args, ++i, a), a);
                case "--work" -> work = Path.of(value(args, ++i, a));
                case "--jvm" -> jvm = executable(value(args, ++i, a), a).toString();
                case "--jvm-args" -> jvmArgs = List.of(value(args, ++i, a).trim().split("\\s+")).stream().filter(x -> !x.isEmpty()).toList();
                case "--warmups" -> warmups = positive(args, ++i, a);
                case "--warmup-ms" -> warmupMs = positive(args, ++i, a);
                case "--iterations" -> iterations = positive(args, ++i, a);
                case "--iteration-ms" -> iterationMs = positive(args, ++i, a);
                case "--native-seconds" -> nativeSeconds = Double.parseDouble(value(args, ++i, a));
                case "--native-reps" -> nativeReps = positive(args, ++i, a);
                case "--variant" -> {
                    String v = value(args, ++i, a);
                    int eq = v.indexOf('=');
                    if (eq <= 0 || !v.substring(0, eq).matches("[A-Za-z0-9_.-]+")) {
                        throw new IllegalArgumentException("--variant takes NAME=\"JVM ARGS\" (a name of letters, digits, _ . -), got " + v);
                    }
                    variants.add(new Variant(v.substring(0, eq),
                            List.of(v.substring(eq + 1).trim().split("\\s+")).stream().filter(x -> !x.isEmpty()).toList()));
                }
                case "-h", "--help" -> { System.out.print(USAGE); System.exit(0); }
                default -> throw new IllegalArgumentException("unknown argument " + a + "\n" + USAGE);
            }
        }
        if (!kernels && !models) throw new IllegalArgumentException("--kernels-only and --models-only exclude each other");
        if (!nodeModels.isEmpty() && !kernels) throw new IllegalArgumentException("--nodes times kernels: it excludes --models-only");
        if (!Files.isDirectory(corpus.resolve("models"))) {
            throw new IOException("no conformance corpus at " + corpus.toAbsolutePath() + " (pass --corpus DIR or -Dminnow.conformance=DIR)");
        }
        List<KernelCatalog.KernelDef> nodes = new ArrayList<>();
        for (String id : nodeModels) nodes.addAll(KernelCatalog.nodesOf(corpus, caseDir(corpus, id)));
        if (!nodes.isEmpty()) models = false;
        JmhRun.Config jmh = new JmhRun.Config(jvm, jvmArgs, or(warmups, quick ? 3 : 4), or(warmupMs, quick ? 200 : 500),
                or(iterations, quick ? 3 : 5), or(iterationMs, quick ? 200 : 500));
        return new Settings(corpus, cref, tflm, work.toAbsolutePath(), quick, kernels, models, filter, or(rounds, quick ? 1 : 2), jmh,
                nativeSeconds != null ? nativeSeconds : quick ? 0.2 : 0.5, or(nativeReps, quick ? 3 : 5), List.copyOf(variants),
                List.copyOf(nodes));
    }

    /** The corpus folder ({@code models/ID} or {@code detectors/ID}) of runnable model {@code id}, or an error listing them. */
    static String caseDir(Path corpus, String id) throws IOException {
        List<CorpusFiles.CorpusModel> all = CorpusFiles.runnableModels(corpus);
        for (CorpusFiles.CorpusModel m : all) {
            if (m.id().equals(id) || (m.group() + "/" + m.id()).equals(id)) return m.group() + "/" + m.id();
        }
        throw new IllegalArgumentException("--nodes " + id + ": no runnable model of that id in " + corpus.toAbsolutePath()
                + "; the ids: " + String.join(", ", all.stream().map(CorpusFiles.CorpusModel::id).toList()));
    }

    private static int or(Integer v, int fallback) { return v != null ? v : fallback; }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static int positive(String[] args, int i, String option) {
        String v = value(args, i, option);
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " takes a positive integer, got " + v);
    }

    private static Path executable(String path, String option) {
        Path p = Path.of(path).toAbsolutePath();
        if (!Files.isExecutable(p)) throw new IllegalArgumentException(option + ": " + p + " is not an executable file");
        return p;
    }
}
