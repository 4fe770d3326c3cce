package dev.minnow.trainer;

import java.io.PrintStream;
import java.util.Locale;

/** Plain-text progress: a line per epoch, nothing redrawn (for logs and pipes). */
final class ProgressLines implements Progress {
    private final PrintStream out;
    private int epochs;

    ProgressLines(PrintStream out) { this.out = out; }

    @Override public void start(int epochs, int batches, int trainSamples, int validationSamples) {
        this.epochs = epochs;
    }

    @Override public void epoch(EpochStats s, boolean improved) {
        out.println(line(s, epochs, improved));
        out.flush();
    }

    @Override public void end(TrainingResult r) {
        out.printf(Locale.ROOT, "trained %d epochs in %.1f s%s; best epoch %d%n", r.history().size(), r.seconds(),
                r.stoppedEarly() ? " (stopped early)" : "", r.bestEpoch());
        out.flush();
    }

    static String line(EpochStats s, int epochs, boolean improved) {
        String width = Integer.toString(Integer.toString(epochs).length());
        String val = Double.isNaN(s.validationLoss()) ? "" : String.format(Locale.ROOT, " - val_loss %.6f", s.validationLoss());
        return String.format(Locale.ROOT, "epoch %" + width + "d/%d - loss %.6f%s - %.2f s%s", s.epoch(), epochs, s.loss(), val,
                s.seconds(), improved ? " *" : "");
    }
}
