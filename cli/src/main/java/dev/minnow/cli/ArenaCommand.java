package dev.minnow.cli;

import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code minnow arena MODEL [--target mcu32|host64] [--json] [--svg FILE]}: TFLM's arena bytes for a model. */
@Command(name = "arena", mixinStandardHelpOptions = true,
        description = {"TFLM's tensor arena for a model on a target: used bytes, the smallest arena AllocateTensors "
                + "accepts, head/tail split, breakdown and the planned tensors.",
                "The model must allocate in the engine first; if it cannot (unsupported op, a check TFLM makes), "
                + "the reason is printed and no numbers. Nothing is written to disk unless --svg is given."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the model cannot be allocated, or the file is not a valid model",
                "2:bad usage, a missing or unreadable file, an SVG that cannot be written"})
final class ArenaCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the .tflite file")
    Path model;

    @Option(names = "--target", paramLabel = "TARGET", defaultValue = "mcu32",
            description = "mcu32 (32-bit ARM, the default) or host64 (x86-64)", converter = TargetConverter.class)
    Target target;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--svg", paramLabel = "FILE", description = "also draw the tensors' lifetimes over the arena as SVG into FILE")
    Path svg;

    @picocli.CommandLine.Mixin DebugOption debug;

    @picocli.CommandLine.Mixin BudgetOption budget;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws IOException {
        Model m = ModelFiles.load(model);
        ArenaReport report;
        try (Interpreter interpreter = ModelFiles.allocate(model, m, budget.apply(new InterpreterOptions().setTarget(target)))) {
            report = interpreter.arenaReport();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(ArenaRendering.json(report));
        else out.print(ArenaRendering.text(report));
        if (svg != null) {
            try {
                Files.writeString(svg, ArenaRendering.svg(report));
            } catch (IOException e) {
                throw UserError.usage(svg + ": cannot write the SVG: " + e.getMessage());
            }
            if (!json) out.println("lifetime picture: " + svg);
        }
        out.flush();
        return 0;
    }

    /** Parses --target with a message naming the accepted values. */
    static final class TargetConverter implements picocli.CommandLine.ITypeConverter<Target> {
        @Override public Target convert(String value) {
            try {
                return Target.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
