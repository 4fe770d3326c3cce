package dev.minnow.trainer;

import java.io.PrintStream;

/**
 * Receives a training's progress. {@link #auto()} draws a progress bar on a terminal and prints one plain line per
 * epoch when standard output is not one (piped or redirected).
 */
public interface Progress {
    /** Training starts: {@code batches} updates per epoch over {@code trainSamples}, {@code validationSamples} held out. */
    default void start(int epochs, int batches, int trainSamples, int validationSamples) { }

    /** Batch {@code batch} (1-based) of epoch {@code epoch} is done; {@code meanLoss} is the epoch's mean so far. */
    default void batch(int epoch, int batch, double meanLoss) { }

    /** An epoch ended; {@code improved} tells whether its monitored loss is the best so far. */
    default void epoch(EpochStats stats, boolean improved) { }

    /** Training ended. */
    default void end(TrainingResult result) { }

    /** Reports nothing. */
    static Progress quiet() { return new Progress() { }; }

    /** One plain line per epoch and a summary line, to {@code out}. */
    static Progress lines(PrintStream out) { return new ProgressLines(out); }

    /** A progress bar redrawn in place (carriage returns) with the loss, and a line per finished epoch, to {@code out}. */
    static Progress bar(PrintStream out) { return new ProgressBar(out); }

    /** A bar on standard output when it is a terminal ({@code System.console() != null}), plain lines otherwise. */
    static Progress auto() { return System.console() != null ? bar(System.out) : lines(System.out); }
}
