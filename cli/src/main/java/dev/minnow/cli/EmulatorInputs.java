package dev.minnow.cli;

import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.detect.PipelineConfig;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finding what the emulator commands take: the pipeline config's model and board, the sensor stream. */
final class EmulatorInputs {
    private EmulatorInputs() {}

    /** {@code model} when given, else the model the config names beside itself; neither is a usage error. */
    static Path modelOf(Path model, PipelineConfig cfg, Path cfgFile) {
        if (model != null) return model;
        Path named = cfg.modelPath(cfgFile);
        if (named == null) {
            throw UserError.usage(cfgFile + " names no model: pass MODEL or set \"model\" in the config");
        }
        return named;
    }

    /** The board of {@code --board}, else the config's; neither is a usage error listing the known boards. */
    static Board boardOf(String boardOption, PipelineConfig cfg, Path cfgFile, BoardsOption boards) throws IOException {
        String id = boardOption != null ? boardOption : cfg.board();
        if (id == null) {
            throw UserError.usage(cfgFile + " names no board: pass --board B or set \"board\" in the config; known boards: "
                    + String.join(", ", boards.catalog().all().stream().map(Board::id).toList()));
        }
        return boards.board(id);
    }

    /** A sensor stream: {@code "-"} is stdin (named "stdin", never closed here), else the file. */
    record Stream(InputStream in, String name) {
        /** Wipes the progress bar, if one is drawn, before other output goes to the terminal. */
        void clearProgress() {
            if (in instanceof ProgressBar.Counting c) c.clear();
        }
    }

    /** Opens {@code input} ({@code -} for stdin), with a progress bar on {@code err} when a user watches a terminal. */
    static Stream open(String input, PrintWriter err) throws IOException {
        if ("-".equals(input)) {
            if (ProgressBar.terminal(0)) {
                err.println("reading the CSV from the terminal (stdin): type or paste it and end with Ctrl-D, or pass --input FILE");
                err.flush();
            }
            return new Stream(new FilterInputStream(System.in) {
                @Override public void close() {}
            }, "stdin");
        }
        Path file = Path.of(input);
        if (Files.isDirectory(file)) throw UserError.usage(file + ": is a directory, not a CSV file");
        InputStream in = Files.newInputStream(file);
        return new Stream(ProgressBar.interactive() ? new ProgressBar.Counting(in, Files.size(file), err) : in, input);
    }
}
