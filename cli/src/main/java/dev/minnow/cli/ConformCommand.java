package dev.minnow.cli;

import dev.minnow.conformance.ConformanceRunner;
import dev.minnow.conformance.CorpusLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code minnow conform [DIR] [--filter TEXT] [--verbose]}: runs a golden-vector corpus. */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Run a golden-vector corpus (FORMAT.md's layout: outputs of the real TFLM interpreter) and "
                + "print per-op and per-model results, the failures and 'N passed, M failed'.",
                "Exit 0 when every case passes, 1 when any fails, 2 when DIR is not a corpus or the filter matches nothing."})
final class ConformCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "the corpus directory (default: -Dminnow.conformance, else ../shared/conformance beside the checkout)")
    Path dir;

    @Option(names = "--filter", paramLabel = "TEXT", description = "only cases whose path contains TEXT")
    String filter;

    @Option(names = {"-v", "--verbose"}, description = "also list the passing cases")
    boolean verbose;

    @picocli.CommandLine.Mixin DebugOption debug;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() {
        Path root = dir != null ? dir : CorpusLocation.configured();
        if (!Files.isDirectory(root)) {
            throw UserError.usage(root + ": no conformance corpus there (pass a directory in FORMAT.md's layout)");
        }
        ConformanceRunner.Result r = ConformanceRunner.run(root, filter);
        if (r.cases().isEmpty()) {
            throw UserError.usage(filter == null ? root + ": holds no cases (no index.json or case.json found)"
                    : "no case under " + root + " matches --filter " + filter);
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        ConformanceRunner.report(r, out, verbose);
        out.flush();
        return r.failed() == 0 ? 0 : Main.FAILED;
    }
}
