package dev.minnow.cli;

import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.model.Model;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The inputs detect and calibrate share: {@code [MODEL] --config CFG [--board B] [--boards FILE]}, where MODEL and
 * the board default to the config's {@code "model"} and {@code "board"}.
 */
final class DetectorInputs {
    @Parameters(index = "0", arity = "0..1", paramLabel = "MODEL", description = "the .tflite file (default: the config's \"model\")")
    Path model;

    @Option(names = "--config", paramLabel = "CFG", required = true, description = "the pipeline config (JSON)")
    Path config;

    @Option(names = "--board", paramLabel = "B", description = "the board (id or name); default: the config's \"board\"")
    String board;

    @Mixin BoardsOption boards;

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
        modelFile = EmulatorInputs.modelOf(model, cfg, config);
        Board b = EmulatorInputs.boardOf(board, cfg, config, boards);
        return new Resolved(modelFile, ModelFiles.load(modelFile), b);
    }

    /** The model file in use, or null while not yet known. */
    Path modelFile() { return modelFile; }
}
