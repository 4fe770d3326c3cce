package dev.minnow.cli;

import dev.minnow.emulator.analysis.FitCheck;
import dev.minnow.emulator.analysis.FitReport;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.emulator.export.FirmwareExporter;
import dev.minnow.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code minnow export MODEL --board B --out DIR [--config CFG] [--name SKETCH]}: the firmware to flash. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write what a firmware engineer compiles for the board: model_data.h/.cc (the model as a 16-byte "
                + "aligned C array with its length), detector_config.h (kTensorArenaSize = TFLM's minimum arena rounded "
                + "up to 16, and with --config the preprocessing, window, score and threshold) and SKETCH.ino (the "
                + "Arduino/TFLM sketch: a MicroMutableOpResolver registering exactly the model's ops, the interpreter, "
                + "and the detection loop).",
                "Exit 0; 1 when the model does not fit the board (the firmware could not be flashed) or the engine "
                        + "rejects it; 2 on bad input "
                        + "(a config without threshold, an op TFLM cannot register, a sketch name that is not a C identifier).",
                BudgetOption.REFUSAL})
final class ExportCommand implements Callable<Integer> {
    @Mixin ModelArgument model;

    @Option(names = "--board", paramLabel = "B", required = true, description = "the board (id or name)")
    String board;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "the directory to write (created if needed)")
    Path out;

    @Option(names = "--config", paramLabel = "CFG", description = "the pipeline config of a detector (calibrated: it needs a threshold)")
    Path config;

    @Option(names = "--name", paramLabel = "SKETCH", defaultValue = "detector", description = "the sketch's name, a C identifier (default detector)")
    String name;

    @Mixin BoardsOption boards;

    @Mixin DebugOption debug;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws IOException {
        return EmulatorErrors.mapped(model::path, () -> {
            PipelineConfig cfg = config == null ? null : PipelineConfig.load(config);
            if (cfg != null && cfg.threshold() == null) {
                throw UserError.usage(config + " has no threshold: run minnow calibrate on normal data before exporting the detector");
            }
            Model m = model.load();
            Board b = boards.board(board);
            byte[] bytes = Files.readAllBytes(model.path());
            if (Files.exists(out) && !Files.isDirectory(out)) throw UserError.usage(out + ": exists and is not a directory");
            FitReport fit = FitCheck.shipped().check(m, b, model.budget()).requireFits();
            FirmwareExporter.Result r = FirmwareExporter.export(m, bytes, b, fit, cfg, name, out);
            PrintWriter o = spec.commandLine().getOut();
            for (Path f : r.files()) o.println("wrote " + f);
            o.println(String.format(Locale.ROOT, "kTensorArenaSize %,d bytes (TFLM's minimum arena on %s, 16-byte aligned)",
                    r.arenaBytes(), b.name()));
            o.println("MicroMutableOpResolver<" + r.resolverSize() + ">: " + String.join(" ", r.resolverCalls()));
            o.flush();
            return 0;
        });
    }
}
