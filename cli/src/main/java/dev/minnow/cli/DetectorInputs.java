package dev.minnow.cli;

import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The inputs detect and calibrate share: {@code [MODEL] --config CFG [--board B] [--boards FILE] [--trusted]}, where
 * MODEL and the board default to the config's {@code "model"} and {@code "board"}.
 */
final class DetectorInputs {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "the .tflite file (default: the config's \"model\")")
    Path model;

    @Option(names = "--config", paramLabel = "CFG", required = true, description = "the pipeline config (JSON)")
    Path config;

    @Option(names = "--board", paramLabel = "B", description = "the board (id or name); default: the config's \"board\"")
    String board;

    @Mixin BoardsOption boards;

    @Mixin BudgetOption budget;

    /** The budget the model is allocated under ({@code --trusted} or the default for untrusted models). */
    ModelBudget budget() { return budget.budget(); }

    /** The model file in use, once {@link #resolve} has found it (null before: messages then name no model). */
    private Path modelFile;

    /** The model, its file and the board the detector runs with. */
    record Resolved(Path modelFile, Model model, Board board) {}

    /** The pipeline config of {@code --config}. */
    PipelineConfig loadConfig() throws IOException {
        return PipelineConfig.load(config);
    }

    /** MODEL or the config's model, loaded, and {@code --board} or the config's board; a missing one is a usage error. */
    Resolved resolve(PipelineConfig cfg) throws IOException {
        modelFile = modelOf(cfg);
        Board b = boardOf(cfg);
        return new Resolved(modelFile, ModelFiles.load(modelFile), b);
    }

    /** The model file in use, or null while not yet known. */
    Path modelFile() { return modelFile; }

    /** MODEL when given, else the model the config names beside itself; neither is a usage error. */
    private Path modelOf(PipelineConfig cfg) {
        if (model != null) return model;
        Path named = cfg.modelPath(config);
        if (named == null) {
            throw UserError.usage(config + " names no model: pass MODEL or set \"model\" in the config");
        }
        return named;
    }

    /** The board of {@code --board}, else the config's; neither is a usage error listing the known boards. */
    private Board boardOf(PipelineConfig cfg) throws IOException {
        String id = board != null ? board : cfg.board();
        if (id == null) {
            throw UserError.usage(config + " names no board: pass --board B or set \"board\" in the config; known boards: "
                    + String.join(", ", boards.catalog().all().stream().map(Board::id).toList()));
        }
        return boards.board(id);
    }
}
