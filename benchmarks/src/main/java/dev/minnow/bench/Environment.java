package dev.minnow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** The machine and the settings a run used, for the report's header. */
final class Environment {
    private Environment() {}

    static String describe(Suite.Settings s) {
        StringBuilder sb = new StringBuilder();
        sb.append("- CPU: ").append(cpu()).append('\n');
        sb.append("- host JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append("; benchmark JVM: ").append(s.jmh().jvm() == null ? "the same" : s.jmh().jvm())
                .append(", flags: ").append(s.jmh().jvmArgs().isEmpty() ? "none (defaults)" : String.join(" ", s.jmh().jvmArgs())).append('\n');
        sb.append(String.format(Locale.ROOT, "- minnow: JMH, 1 fork per model per round, %d x %d ms warm-up, %d x %d ms measured; best iteration%n",
                s.jmh().warmups(), s.jmh().warmupMs(), s.jmh().iterations(), s.jmh().iterationMs()));
        sb.append(String.format(Locale.ROOT, "- C reference (%s) and TFLM (%s): best of %d repetitions of >= %.2f s each%n",
                s.cref() == null ? "not run" : s.cref(), s.tflm() == null ? "not run" : s.tflm(), s.nativeReps(), s.nativeSeconds()));
        for (Suite.Variant v : s.variants()) {
            sb.append("- minnow configuration '").append(v.name()).append("': the benchmark JVM's flags plus ")
                    .append(String.join(" ", v.jvmArgs())).append('\n');
        }
        sb.append("- rounds: ").append(s.rounds()).append(" (minnow, C, TFLM one after the other per model; best over rounds)\n");
        sb.append("- C compiler: ").append(firstLine(List.of("cc", "--version"))).append('\n');
        return sb.toString();
    }

    private static String cpu() {
        String lscpu = output(List.of("lscpu"));
        String model = "?", cpus = "?", l2 = "", l3 = "";
        boolean avx512 = false;
        for (String line : lscpu.split("\n")) {
            String[] kv = line.split(":", 2);
            if (kv.length < 2) continue;
            String k = kv[0].trim(), v = kv[1].trim();
            switch (k) {
                case "Model name" -> model = v;
                case "CPU(s)" -> cpus = v;
                case "L2 cache" -> l2 = ", L2 " + v;
                case "L3 cache" -> l3 = ", L3 " + v;
                case "Flags" -> avx512 = v.contains("avx512f");
                default -> { }
            }
        }
        return model + ", " + cpus + " CPUs" + l2 + l3 + (avx512 ? ", AVX-512" : "");
    }

    private static String firstLine(List<String> cmd) {
        String out = output(cmd).strip();
        int nl = out.indexOf('\n');
        return out.isEmpty() ? "?" : nl < 0 ? out : out.substring(0, nl);
    }

    private static String output(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
