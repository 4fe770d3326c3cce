package dev.minnow;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's packages form layers, each importing only its own and lower layers (so no package cycle):
 * model, then the arena accounting, the runtime contract, the kernels, the op table, the interpreter — with the
 * leaf helpers (root exceptions, util, math) below all of them. The engine imports nothing outside the JDK.
 */
class LayeringTest {
    private static final List<List<String>> LAYERS = List.of(
            List.of("dev.minnow", "dev.minnow.util"),
            List.of("dev.minnow.math", "dev.minnow.math.fft"),
            List.of("dev.minnow.model"),
            List.of("dev.minnow.arena"),
            List.of("dev.minnow.runtime"),
            List.of("dev.minnow.kernels"),
            List.of("dev.minnow.kernels.signal"),
            List.of("dev.minnow.ops"),
            List.of("dev.minnow.interpreter"));

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z][\\w.*]*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.minnow(?:\\.[a-z]\\w*)*)\\.[A-Z]");

    static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) if (LAYERS.get(i).contains(pkg)) return i;
        return -1;
    }

    @Test
    void everyPackageImportsOnlyItsOwnAndLowerLayers() throws IOException {
        Map<String, TreeSet<String>> uses = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(Path.of("src/main/java"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                String src = Files.readString(f);
                Matcher pm = PACKAGE.matcher(src);
                assertTrue(pm.find(), f + " has no package");
                String pkg = pm.group(1);
                int own = layer(pkg);
                if (own < 0) problems.add(f + ": package " + pkg + " is in no layer");
                List<String> used = new ArrayList<>();
                Matcher im = IMPORT.matcher(src);
                while (im.find()) used.add(im.group(1));
                Matcher qm = QUALIFIED.matcher(src.replaceAll("(?m)^(package|import) .*$", ""));
                while (qm.find()) used.add(qm.group(1));
                for (String dep : used) {
                    // the JDK's incubating Vector API (kernels.Vector*), loaded only when the JVM has the module
                    if (dep.startsWith("java.") || dep.equals("jdk.incubator.vector")) continue;
                    if (!dep.startsWith("dev.minnow")) {
                        problems.add(f + ": imports " + dep + " (the engine depends on the JDK only)");
                        continue;
                    }
                    int l = layer(dep);
                    if (l < 0) problems.add(f + ": uses " + dep + ", which is in no layer");
                    else if (l > own) problems.add(f + ": " + pkg + " (layer " + own + ") uses " + dep + " (layer " + l + ")");
                    if (!dep.equals(pkg)) uses.computeIfAbsent(pkg, k -> new TreeSet<>()).add(dep);
                }
            }
        }
        assertTrue(files > 80, "found only " + files + " source files under src/main/java");
        uses.forEach((k, v) -> System.out.println("layering: " + k + " -> " + v));
        assertEquals(List.of(), problems);
    }
}
