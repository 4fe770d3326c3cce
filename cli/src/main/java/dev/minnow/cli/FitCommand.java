package dev.minnow.cli;

import dev.minnow.emulator.Json;
import dev.minnow.emulator.analysis.FitCheck;
import dev.minnow.emulator.analysis.FitReport;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.cost.LatencyEstimator;
import dev.minnow.model.Model;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code minnow fit MODEL --board B | --all-boards [--json]}: does the model fit a board's flash and SRAM. */
@Command(name = "fit", mixinStandardHelpOptions = true,
        description = {"Whether a model fits a board: flash = model + TFLM runtime + the kernels it uses + the board's "
                + "reserve; SRAM = TFLM's exact minimum arena on a 32-bit MCU (16-byte aligned) + the board's reserve. "
                + "Every term is printed, with the free or missing bytes, and the inference estimate on that board.",
                "--all-boards prints one line per board instead.",
                "Exit 0 when it fits (or a board's memory size is not stated); 1 when it does not fit, naming the "
                        + "memory and by how many bytes, or the engine rejects the model; 2 on bad input (--all-boards: "
                        + "the table is the answer, exit 0).",
                BudgetOption.REFUSAL})
final class FitCommand implements Callable<Integer> {
    @Mixin ModelArgument model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    /** One board, or all of them. */
    static final class Which {
        @Option(names = "--board", paramLabel = "B", required = true, description = "the board (id or name)")
        String board;

        @Option(names = "--all-boards", required = true, description = "a table over every known board")
        boolean all;
    }

    @Option(names = "--json", description = "print the report (or the list of reports) as JSON")
    boolean json;

    @Mixin BoardsOption boards;

    @Mixin DebugOption debug;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws IOException {
        return EmulatorErrors.mapped(model::path, () -> {
            Model m = model.load();
            PrintWriter out = spec.commandLine().getOut();
            if (which.all) {
                List<FitReport> reports = FitCheck.shipped().checkAll(m, boards.catalog().all(), model.budget());
                out.print(json ? Json.pretty(reports) + System.lineSeparator() : FitReport.table(reports));
                out.flush();
                return 0;
            }
            Board b = boards.board(which.board);
            FitReport report = FitCheck.shipped().check(m, b, model.budget());
            if (json) {
                out.println(report.toJson());
            } else {
                out.print(report.toText());
                String[] estimate = LatencyEstimator.shipped().estimate(m, b, null).toText().split("\\R");
                out.println("inference estimate (minnow analyze MODEL --board " + b.id() + " for the energy and per-op costs):");
                for (int i = 0; i < Math.min(3, estimate.length); i++) out.println("  " + estimate[i]);
            }
            out.flush();
            report.requireFits();
            return 0;
        });
    }
}
