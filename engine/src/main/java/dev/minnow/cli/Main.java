package dev.minnow.cli;

import dev.minnow.arena.ArenaCommand;
import dev.minnow.conformance.ConformanceRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code minnow} command line: {@code conform}, {@code arena}, {@code help}. */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: minnow <command> [arguments]
              conform [DIR] [--filter TEXT] [--verbose]
                  run the golden-vector corpus (default: ../shared/conformance beside the checkout) and print
                  per-op and per-model results, failures, and 'N passed, M failed'
              arena MODEL.tflite [--target mcu32|host64] [--json] [--svg FILE]
                  TFLM's arena bytes for a model on a target: used, minimum, head/tail, planned tensors
              help
                  this text
            """;

    public static void main(String[] args) { System.exit(run(args, System.out, System.err)); }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "conform" -> conform(rest, out, err);
            case "arena" -> ArenaCommand.run(rest, out, err);
            default -> {
                err.println("unknown command '" + args[0] + "'");
                err.print(USAGE);
                yield 2;
            }
        };
    }

    static int conform(String[] args, PrintStream out, PrintStream err) {
        Path dir = null;
        String filter = null;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--filter" -> {
                    if (++i >= args.length) { err.println("--filter needs a value"); return 2; }
                    filter = args[i];
                }
                case "--verbose", "-v" -> verbose = true;
                default -> {
                    if (args[i].startsWith("--") || dir != null) { err.println("unexpected argument " + args[i]); return 2; }
                    dir = Path.of(args[i]);
                }
            }
        }
        if (dir == null) dir = defaultCorpus();
        if (!Files.isDirectory(dir)) {
            err.println("no conformance corpus at " + dir.toAbsolutePath() + " (pass a directory in FORMAT.md's layout)");
            return 2;
        }
        try {
            ConformanceRunner.Result r = ConformanceRunner.run(dir, filter);
            ConformanceRunner.report(r, out, verbose);
            return r.failed() == 0 ? 0 : 1;
        } catch (IOException e) {
            err.println("cannot read the corpus: " + e.getMessage());
            return 2;
        }
    }

    /** -Dminnow.conformance, else ../shared/conformance beside the checkout (-Dminnow.home, set by the launcher). */
    static Path defaultCorpus() {
        String p = System.getProperty("minnow.conformance");
        if (p != null) return Path.of(p);
        Path home = Path.of(System.getProperty("minnow.home", "."));
        return home.toAbsolutePath().normalize().resolve("../shared/conformance").normalize();
    }
}
