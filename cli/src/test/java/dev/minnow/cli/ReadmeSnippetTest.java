package dev.minnow.cli;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.Model;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The root README stays true: its "Using the engine" program is taken from between the snippet markers, compiled
 * with the JDK's compiler against the engine's classes alone, and run as a separate java process in a directory
 * holding the corpus model the README names, as a user who pasted it would; its output must be the engine's.
 * The Maven coordinates the README gives must be this build's.
 */
class ReadmeSnippetTest {
    static final Path README = Path.of("..", "README.md");
    static final String BEGIN = "<!-- snippet:engine-usage -->", END = "<!-- /snippet:engine-usage -->";
    /** The corpus model the README tells the user to copy, and the file name the snippet loads. */
    static final String MODEL = "models/tflm-hello_world_float", FILE = "hello_world_float.tflite";

    static String snippet() throws Exception {
        String readme = Files.readString(README);
        int b = readme.indexOf(BEGIN), e = readme.indexOf(END);
        assertTrue(b >= 0 && e > b, README.toAbsolutePath() + " has no " + BEGIN + " ... " + END + " section");
        String section = readme.substring(b + BEGIN.length(), e);
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(section);
        assertTrue(m.find(), "no ```java block between the snippet markers");
        return m.group(1);
    }

    @Test
    void theReadmeProgramCompilesAgainstTheEngineAloneAndRunsUnchanged(@TempDir Path tmp) throws Exception {
        String source = snippet();
        Matcher cls = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)").matcher(source);
        assertTrue(cls.find(), "the snippet declares no public class:\n" + source);
        String name = cls.group(1);
        assertTrue(source.contains("\"" + FILE + "\""), "the snippet should load " + FILE + ", the file the README names");
        assertTrue(Files.readString(README).contains(MODEL + "/model.tflite"), "the README should name the corpus model " + MODEL);

        Path engine = Path.of(Interpreter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path src = Files.createDirectories(tmp.resolve("src")).resolve(name + ".java");
        Files.writeString(src, source);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no Java compiler in this runtime (a JDK is needed)");
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            compiled = javac.getTask(null, fm, diagnostics,
                    List.of("--release", "17", "-classpath", engine.toString(), "-d", classes.toString(), "-Xlint:all", "-Werror"),
                    null, fm.getJavaFileObjects(src)).call();
        }
        assertTrue(compiled, "the README snippet does not compile against " + engine + ":\n" + diagnostics.getDiagnostics());

        Path work = Files.createDirectories(tmp.resolve("project"));
        Files.copy(Corpus.require().resolve(MODEL).resolve("model.tflite"), work.resolve(FILE));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", classes + File.pathSeparator + engine, name)
                .directory(work.toFile()).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the snippet did not finish");
        assertEquals(0, p.exitValue(), "the README snippet failed:\n" + out);

        // its output is the engine's answer for the input it printed
        Matcher line = Pattern.compile("x = (\\S+) -> y = (\\S+) \\(arena used (\\d+) bytes\\)").matcher(out);
        assertTrue(line.find(), "unexpected output:\n" + out);
        float x = Float.parseFloat(line.group(1));
        Model model = Model.load(work.resolve(FILE));
        try (Interpreter interpreter = new Interpreter(model)) {
            float[][] y = new float[1][1];
            interpreter.run(new float[][] {{x}}, y);
            assertEquals(Float.toString(y[0][0]), line.group(2));
            assertEquals(Long.toString(interpreter.arenaUsedBytes()), line.group(3));
        }
    }

    @Test
    void theReadmeGivesThisBuildsMavenCoordinates() throws Exception {
        Properties p = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("/minnow-version.properties")) {
            p.load(in);
        }
        String readme = Files.readString(README);
        String dependency = "<dependency>\n  <groupId>dev.minnow</groupId>\n  <artifactId>minnow-engine</artifactId>\n  <version>"
                + p.getProperty("version") + "</version>\n</dependency>";
        assertTrue(readme.contains(dependency), "README should show:\n" + dependency);
    }
}
