package dev.minnow.cli;

import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The {@code --boards FILE} option of the emulator commands: the built-in boards plus (or replaced by) a user's. */
final class BoardsOption {
    @Option(names = "--boards", paramLabel = "FILE",
            description = "extra boards (the format of the built-in boards.json; a board with a built-in id replaces it)")
    Path file;

    /** The built-in catalog, plus the boards of {@code --boards} when given. */
    BoardCatalog catalog() throws IOException {
        return catalog(file);
    }

    /** The built-in catalog, plus the boards of {@code extra} when not null. */
    static BoardCatalog catalog(Path extra) throws IOException {
        return extra == null ? BoardCatalog.builtin() : BoardCatalog.builtinPlus(extra);
    }

    /** The board with this id or name; an unknown one fails listing the known ids. */
    Board board(String idOrName) throws IOException {
        return catalog().get(idOrName);
    }
}
