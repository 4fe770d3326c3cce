package dev.minnow.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sensor stream detect and calibrate read: a file or stdin, with a progress bar on a terminal. */
final class EmulatorInputs {
    private EmulatorInputs() {}

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
