package dev.minnow.emulator.board;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.InputFormatException;
import dev.minnow.emulator.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The boards the emulator knows: the built-in {@code boards.json} resource, optionally extended (or overridden by
 * id) by a user's boards file of the same format: {@code {"boards": [ {...}, ... ]}}.
 */
public final class BoardCatalog {
    /** Classpath resource holding the built-in boards. */
    public static final String RESOURCE = "/dev/minnow/emulator/boards.json";

    /** The boards file format: a list of boards. */
    public record BoardsFile(List<Board> boards) {
        public BoardsFile {
            boards = boards == null ? List.of() : List.copyOf(boards);
        }
    }

    private final Map<String, Board> byId;

    private BoardCatalog(Map<String, Board> byId) { this.byId = Collections.unmodifiableMap(byId); }

    /** The built-in boards (read once). */
    public static BoardCatalog builtin() { return Shipped.CATALOG; }

    private static final class Shipped {
        static final BoardCatalog CATALOG = readBuiltin();
    }

    private static BoardCatalog readBuiltin() {
        try (InputStream in = BoardCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new EmulatorException("resource " + RESOURCE + " is missing from the emulator jar");
            return new BoardCatalog(index(parse(in, "boards.json (built in)"), "boards.json (built in)", new LinkedHashMap<>()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in boards plus those of {@code file}; a board of the file replaces a built-in one with its id. */
    public static BoardCatalog builtinPlus(Path file) throws IOException {
        return builtin().plus(file);
    }

    /** This catalog plus the boards of {@code file} (same id: the file's board wins). */
    public BoardCatalog plus(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new EmulatorException("boards file " + file + " does not exist");
        try (InputStream in = Files.newInputStream(file)) {
            Map<String, Board> merged = new LinkedHashMap<>(byId);
            List<Board> added = parse(in, file.toString());
            Map<String, Board> fresh = index(added, file.toString(), new LinkedHashMap<>());
            merged.putAll(fresh);
            return new BoardCatalog(merged);
        }
    }

    /** Every board, built-in ones first, in file order. */
    public List<Board> all() { return new ArrayList<>(byId.values()); }

    /** The board with this id or name (case ignored); throws naming the known ids when there is none. */
    public Board get(String idOrName) {
        Board b = byId.get(idOrName.toLowerCase(Locale.ROOT));
        if (b != null) return b;
        for (Board x : byId.values()) if (x.name().equalsIgnoreCase(idOrName)) return x;
        throw new EmulatorException("unknown board '" + idOrName + "'; known boards: " + String.join(", ", byId.keySet()));
    }

    /** The boards whose MLPerf Tiny results name is {@code resultsName} (case ignored). */
    public List<Board> byResultsName(String resultsName) {
        List<Board> out = new ArrayList<>();
        for (Board b : byId.values()) if (resultsName.equalsIgnoreCase(b.resultsName())) out.add(b);
        return out;
    }

    private static List<Board> parse(InputStream in, String name) throws IOException {
        try {
            BoardsFile f = Json.mapper().readValue(in, BoardsFile.class);
            return f.boards();
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String detail = e instanceof JsonMappingException m && m.getCause() instanceof IllegalArgumentException iae
                    ? iae.getMessage() : e.getOriginalMessage();
            throw new InputFormatException(name, loc == null ? 0 : Math.max(0, loc.getLineNr()),
                    loc == null ? 0 : Math.max(0, loc.getColumnNr()), detail);
        }
    }

    private static Map<String, Board> index(List<Board> boards, String name, Map<String, Board> into) {
        for (Board b : boards) {
            if (into.putIfAbsent(b.id(), b) != null) {
                throw new InputFormatException(name, 0, 0, "board id '" + b.id() + "' appears twice");
            }
        }
        return into;
    }
}
