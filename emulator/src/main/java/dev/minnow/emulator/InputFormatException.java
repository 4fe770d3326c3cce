package dev.minnow.emulator;

/**
 * A malformed input file (CSV stream, pipeline config, boards file): carries the file, the 1-based line and column
 * of the problem (0 when unknown) so a command can print {@code file:line:column: message}.
 */
public final class InputFormatException extends EmulatorException {
    private final String file;
    private final long line;
    private final long column;
    private final String detail;

    /** A problem at {@code file:line:column}; line or column 0 when not known. */
    public InputFormatException(String file, long line, long column, String detail) {
        super(location(file, line, column) + ": " + detail);
        this.file = file;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    /** The file (or stream name such as "stdin"). */
    public String file() { return file; }

    /** The 1-based line, 0 when unknown. */
    public long line() { return line; }

    /** The 1-based column, 0 when unknown. */
    public long column() { return column; }

    /** The message without the location. */
    public String detail() { return detail; }

    private static String location(String file, long line, long column) {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) s.append(':').append(line);
        if (line > 0 && column > 0) s.append(':').append(column);
        return s.toString();
    }
}
