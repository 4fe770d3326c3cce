package dev.minnow.testkit;

import dev.minnow.model.DataType;
import dev.minnow.model.Quantization;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bridge to the C reference (c-reference/, built with make on first use): writes cases in its text spec format,
 * runs {@code minnow-cref} once per batch and reads back each case's output bytes or error.
 */
public final class CReference {
    private static Path binary;

    private CReference() {}

    /** A tensor of a case: role name, type, shape, quantization and bytes (null for outputs). */
    public record TensorSpec(String name, DataType type, int[] shape, Quantization quantization, byte[] data) {}

    /** A single-op case. */
    public record Case(String name, String op, Map<String, Double> attrs, List<TensorSpec> tensors) {
        String toSpec() {
            StringBuilder sb = new StringBuilder("case ").append(name).append('\n').append("op ").append(op).append('\n');
            attrs.forEach((k, v) -> sb.append("attr ").append(k).append(' ').append(v).append('\n'));
            for (TensorSpec t : tensors) {
                sb.append("tensor ").append(t.name()).append(' ');
                if (t.type() == null) { sb.append("none\n"); continue; }
                sb.append(t.type().lowerName()).append(" shape");
                for (int d : t.shape()) sb.append(' ').append(d);
                Quantization q = t.quantization() == null ? Quantization.NONE : t.quantization();
                if (q.isQuantized()) {
                    sb.append(" scale");
                    for (float s : q.scales()) sb.append(' ').append(Float.toString(s));
                    sb.append(" zp");
                    for (long z : q.zeroPoints()) sb.append(' ').append(z);
                    if (q.quantizedDimension() != 0) sb.append(" qdim ").append(q.quantizedDimension());
                }
                if (t.data() != null && t.data().length > 0) sb.append(" data ").append(HexFormat.of().formatHex(t.data()));
                sb.append('\n');
            }
            return sb.append("end\n").toString();
        }
    }

    /** The outcome of a case: output bytes (several outputs concatenated in order), or the C reference's error. */
    public record Outcome(byte[] output, String error) {}

    public static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) return binary;
        Path dir = Path.of("..", "c-reference").toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) dir = Path.of("c-reference").toAbsolutePath();
        boolean ci = "true".equals(System.getenv("CI"));
        Process make;
        try {
            make = new ProcessBuilder("make", "-s", "-C", dir.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            if (ci) throw new AssertionError("make is required in CI to build the C reference: " + e.getMessage());
            Assumptions.abort("make/gcc not available: " + e.getMessage());
            return null;
        }
        String log = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!make.waitFor(300, TimeUnit.SECONDS) || make.exitValue() != 0) {
            if (ci) throw new AssertionError("building the C reference failed:\n" + log);
            Assumptions.abort("cannot build the C reference:\n" + log);
        }
        binary = dir.resolve("build/minnow-cref");
        return binary;
    }

    /** Runs the cases in one process; outcomes by case name. */
    public static Map<String, Outcome> run(List<Case> cases) throws IOException, InterruptedException {
        Path spec = Files.createTempFile("minnow-cref", ".spec");
        try {
            StringBuilder sb = new StringBuilder();
            for (Case c : cases) sb.append(c.toSpec());
            Files.writeString(spec, sb.toString());
            Process p = new ProcessBuilder(binary().toString(), spec.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("minnow-cref timed out");
            Map<String, Outcome> results = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (line.isBlank()) continue;
                String[] parts = line.split(" ", 3);
                if (parts[0].equals("result")) {
                    results.put(parts[1], new Outcome(parts.length > 2 ? HexFormat.of().parseHex(parts[2].trim()) : new byte[0], null));
                } else if (parts[0].equals("error")) {
                    results.put(parts[1], new Outcome(null, parts.length > 2 ? parts[2] : ""));
                } else {
                    throw new AssertionError("unexpected line from minnow-cref: " + line);
                }
            }
            return results;
        } finally {
            Files.deleteIfExists(spec);
        }
    }

    public static List<TensorSpec> list(TensorSpec... t) { return new ArrayList<>(List.of(t)); }
}
