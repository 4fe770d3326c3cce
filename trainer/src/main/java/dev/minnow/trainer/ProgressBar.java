package dev.minnow.trainer;

import java.io.PrintStream;
import java.util.Locale;

/** A terminal progress bar: the current epoch's bar and running loss redrawn in place, a kept line per epoch. */
final class ProgressBar implements Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintStream out;
    private int epochs;
    private int batches;
    private long lastDraw;

    ProgressBar(PrintStream out) { this.out = out; }

    @Override public void start(int epochs, int batches, int trainSamples, int validationSamples) {
        this.epochs = epochs;
        this.batches = batches;
        out.printf(Locale.ROOT, "training on %d samples, validating on %d%n", trainSamples, validationSamples);
    }

    @Override public void batch(int epoch, int batch, double meanLoss) {
        long now = System.nanoTime();
        if (batch != batches && now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        int done = (int) ((long) WIDTH * batch / batches);
        String bar = "=".repeat(Math.max(0, done - 1)) + (done > 0 && done < WIDTH ? ">" : done == WIDTH ? "=" : "")
                + ".".repeat(WIDTH - done);
        out.printf(Locale.ROOT, "\repoch %d/%d [%s] %d/%d - loss %.6f ", epoch, epochs, bar, batch, batches, meanLoss);
        out.flush();
    }

    @Override public void epoch(EpochStats s, boolean improved) {
        out.print("\r\033[K");
        out.println(ProgressLines.line(s, epochs, improved));
        out.flush();
    }

    @Override public void end(TrainingResult r) {
        out.printf(Locale.ROOT, "trained %d epochs in %.1f s%s; best epoch %d%n", r.history().size(), r.seconds(),
                r.stoppedEarly() ? " (stopped early)" : "", r.bestEpoch());
        out.flush();
    }
}
