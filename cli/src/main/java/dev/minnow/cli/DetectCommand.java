package dev.minnow.cli;

import dev.minnow.emulator.detect.DetectionEvent;
import dev.minnow.emulator.detect.DetectionPipeline;
import dev.minnow.emulator.detect.PipelineConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** {@code minnow detect [MODEL] --config CFG [--input CSV|-] ...}: the firmware's detection loop over a sensor CSV. */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Run the firmware's detection loop over a sensor CSV as the board would: preprocess as the "
                + "pipeline config says, window, quantize, invoke in the board's arena, dequantize, score, compare with "
                + "the threshold. Each anomalous window is a JSON line (row, line, time, window, score, threshold); "
                + "a summary follows (rows, windows, anomalies, scores, the real-time check, and with a label column "
                + "precision, recall, F1, false and missed alarm rates, ROC AUC, detection delay).",
                "The CSV is streamed, never loaded whole; a progress bar shows on a terminal.",
                "Exit 0: no anomaly and the inference fits the hop period (or the rate is unknown); 1: anomalies "
                        + "found, the inference does not fit the hop period, the model does not fit the board or the engine "
                        + "rejects it; "
                        + "2: bad input (the file, line and column of a broken CSV line), or a config without threshold.",
                BudgetOption.REFUSAL})
final class DetectCommand implements Callable<Integer> {
    @Mixin DetectorInputs inputs;

    @Option(names = "--input", paramLabel = "CSV|-", defaultValue = "-", description = "the sensor CSV, - for stdin (default)")
    String input;

    @Option(names = "--events", paramLabel = "FILE|-", defaultValue = "-", description = "where the JSON-lines events go (default - : stdout)")
    String events;

    @Option(names = "--summary", paramLabel = "FILE", description = "also write the summary as JSON into FILE")
    Path summaryFile;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "draw the score over time, the threshold and the labelled intervals")
    Path plot;

    @Option(names = "--json", description = "print the summary as JSON on stdout after the events instead of text on stderr")
    boolean json;

    @Mixin DebugOption debug;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws IOException {
        return EmulatorErrors.mapped(inputs::modelFile, () -> {
            PipelineConfig cfg = inputs.loadConfig();
            if (cfg.threshold() == null) {
                throw UserError.usage(inputs.config + " has no threshold: run minnow calibrate on normal data first, or set \"threshold\"");
            }
            DetectorInputs.Resolved d = inputs.resolve(cfg);
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            DetectionPipeline.Result r;
            try (DetectionPipeline p = DetectionPipeline.open(d.model(), cfg.withBoard(d.board().id()), d.board(), inputs.budget())) {
                EmulatorInputs.Stream in = EmulatorInputs.open(input, err);
                try (var stream = in.in(); EventSink sink = EventSink.to(events, out, in::clearProgress)) {
                    r = p.detect(stream, in.name(), sink, plot != null);
                }
            }
            DetectionPipeline.Summary s = r.summary();
            if (summaryFile != null) write(summaryFile, s.toJson() + System.lineSeparator(), "summary");
            if (plot != null) write(plot, r.svg(), "plot");
            if (json) {
                out.println(s.toJson());
                out.flush();
            } else {
                err.print(s.toText());
                err.flush();
            }
            boolean late = s.realTime() != null && !s.realTime().fits();
            return s.anomalies() > 0 || late ? Main.FAILED : 0;
        });
    }

    private static void write(Path file, String text, String what) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw EmulatorErrors.withCause(UserError.usage(file + ": cannot write the " + what + ": " + e.getMessage()), e);
        }
    }

    /** The events as JSON lines, to stdout (flushed per event, for a pipe) or to a file (buffered). */
    private static final class EventSink implements Consumer<DetectionEvent>, AutoCloseable {
        private final Writer writer;
        private final boolean flushEach;
        private final String name;
        private final Runnable beforeWrite;

        private EventSink(Writer writer, boolean flushEach, String name, Runnable beforeWrite) {
            this.writer = writer;
            this.flushEach = flushEach;
            this.name = name;
            this.beforeWrite = beforeWrite;
        }

        /** Events to {@code target} ({@code -}: stdout, where the progress bar is wiped before each line). */
        static EventSink to(String target, PrintWriter stdout, Runnable clearProgress) {
            if ("-".equals(target)) return new EventSink(stdout, true, "stdout", clearProgress);
            try {
                return new EventSink(new BufferedWriter(Files.newBufferedWriter(Path.of(target), StandardCharsets.UTF_8)), false, target, () -> {});
            } catch (IOException e) {
                throw EmulatorErrors.withCause(UserError.usage(target + ": cannot write the events: " + e.getMessage()), e);
            }
        }

        @Override public void accept(DetectionEvent e) {
            try {
                beforeWrite.run();
                writer.write(e.toJsonLine());
                writer.write('\n');
                if (flushEach) writer.flush();
            } catch (IOException x) {
                throw EmulatorErrors.withCause(UserError.usage(name + ": cannot write the events: " + x.getMessage()), x);
            }
        }

        @Override public void close() throws IOException {
            if (flushEach) writer.flush();
            else writer.close();
        }
    }
}
