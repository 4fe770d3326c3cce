package dev.minnow.arena;

import dev.minnow.MinnowException;
import dev.minnow.model.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code minnow arena MODEL.tflite [--target mcu32|host64] [--json] [--svg FILE]}: TFLM's arena numbers for a model. */
public final class ArenaCommand {
    private ArenaCommand() {}

    public static final String USAGE = "usage: minnow arena MODEL.tflite [--target mcu32|host64] [--json] [--svg FILE]";

    /** Runs the command; returns the process exit code (0 ok, 1 bad model, 2 usage). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path modelPath = null, svg = null;
        Target target = Target.MCU32;
        boolean json = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--target" -> {
                    if (++i >= args.length) { err.println("--target needs a value\n" + USAGE); return 2; }
                    try { target = Target.parse(args[i]); } catch (IllegalArgumentException e) { err.println(e.getMessage()); return 2; }
                }
                case "--json" -> json = true;
                case "--svg" -> {
                    if (++i >= args.length) { err.println("--svg needs a file\n" + USAGE); return 2; }
                    svg = Path.of(args[i]);
                }
                default -> {
                    if (args[i].startsWith("--") || modelPath != null) { err.println("unexpected argument " + args[i] + "\n" + USAGE); return 2; }
                    modelPath = Path.of(args[i]);
                }
            }
        }
        if (modelPath == null) { err.println(USAGE); return 2; }
        try {
            ArenaReport report = ArenaReport.of(Model.load(modelPath), target);
            if (svg == null) svg = Path.of(modelPath.getFileName().toString().replaceFirst("\\.tflite$", "") + "-arena-" + target.id() + ".svg");
            Files.writeString(svg, report.toSvg());
            if (json) out.println(report.toJson());
            else {
                out.print(report.toText());
                out.println("lifetime picture: " + svg);
            }
            return 0;
        } catch (IOException e) {
            err.println("cannot read or write: " + e.getMessage());
            return 1;
        } catch (MinnowException e) {
            err.println(modelPath + ": " + e.getMessage());
            return 1;
        }
    }

    public static void main(String[] args) { System.exit(run(args, System.out, System.err)); }
}
