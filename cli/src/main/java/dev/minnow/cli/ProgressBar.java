package dev.minnow.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A progress bar on stderr for long reads, driven by the bytes read of the input file: only when a user watches
 * (a console, and stderr a terminal), never when output is piped or the input is stdin.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    private ProgressBar() {}

    /** True when the JVM has a console and stderr (fd 2) is a terminal. */
    static boolean interactive() {
        return System.console() != null && terminal(2);
    }

    /**
     * Whether file descriptor {@code fd} is a terminal, as Linux's /proc shows it; elsewhere, whether the JVM has a
     * console (Java 17 has one only when stdin and stdout are terminals; Java 22 and later have one always, so /proc
     * is asked first).
     */
    static boolean terminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** The line drawn for {@code done} of {@code total} bytes. */
    static String line(long done, long total) {
        double f = total <= 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(f * WIDTH);
        return String.format(Locale.ROOT, "[%s%s] %3.0f%%  %,.1f of %,.1f MB", "#".repeat(filled), " ".repeat(WIDTH - filled),
                100 * f, done / 1e6, total / 1e6);
    }

    /** An input stream that counts what is read and redraws the bar at most five times a second. */
    static final class Counting extends FilterInputStream {
        private final long total;
        private final PrintWriter err;
        private long done;
        private long lastDraw;
        private int lastWidth;

        Counting(InputStream in, long total, PrintWriter err) {
            super(in);
            this.total = total;
            this.err = err;
        }

        @Override public int read() throws IOException {
            int b = super.read();
            if (b >= 0) advance(1);
            return b;
        }

        @Override public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) advance(n);
            return n;
        }

        @Override public long skip(long n) throws IOException {
            long s = super.skip(n);
            advance(s);
            return s;
        }

        private void advance(long n) {
            done += n;
            long now = System.nanoTime();
            if (now - lastDraw >= REDRAW_NANOS) {
                lastDraw = now;
                String l = line(done, total);
                lastWidth = l.length();
                err.print("\r" + l);
                err.flush();
            }
        }

        /** Wipes the bar (before other output goes to the same terminal); the next read draws it again. */
        void clear() {
            if (lastWidth > 0) {
                err.print("\r" + " ".repeat(lastWidth) + "\r");
                err.flush();
                lastWidth = 0;
                lastDraw = 0;
            }
        }

        @Override public void close() throws IOException {
            super.close();
            clear();
        }
    }
}
