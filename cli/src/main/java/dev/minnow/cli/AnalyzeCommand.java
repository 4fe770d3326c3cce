package dev.minnow.cli;

import dev.minnow.emulator.Json;
import dev.minnow.emulator.analysis.ModelAnalysis;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.cost.LatencyEstimate;
import dev.minnow.emulator.cost.LatencyEstimator;
import dev.minnow.model.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code minnow analyze MODEL [--board B [--stack S]] [--json]}: per-layer work, totals, arena, and an estimate. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Per operator of a model: op, activation inputs and outputs (type and shape), parameters, weight "
                + "bytes, activation bytes, MACs and element ops; the totals; TFLM's arena on a 32-bit MCU.",
                "With --board, also the latency and energy estimate on that board with its error band and per-op costs.",
                "Exit 0; 1 on a model the engine rejects (not a valid model, an op or check it cannot run); 2 on a missing "
                        + "model file, an unknown board or stack.",
                BudgetOption.REFUSAL})
final class AnalyzeCommand implements Callable<Integer> {
    @Mixin ModelArgument model;

    @Option(names = "--board", paramLabel = "B", description = "estimate latency and energy on this board (id or name)")
    String board;

    @Option(names = "--stack", paramLabel = "S",
            description = "the inference stack of the estimate (tflm-ref, tflm-cmsis-nn, x-cube-ai-9, ...; default: the board's usual one)")
    String stack;

    @Option(names = "--json", description = "print {\"analysis\": ..., \"estimate\": ...} as JSON instead of text")
    boolean json;

    @Mixin BoardsOption boards;

    @Mixin DebugOption debug;

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override public Integer call() throws IOException {
        if (stack != null && board == null) throw UserError.usage("--stack " + stack + " needs --board B: a stack's speed is estimated on a board");
        return EmulatorErrors.mapped(model::path, () -> {
            Model m = model.load();
            ModelAnalysis analysis = ModelAnalysis.of(m, model.budget());
            LatencyEstimate estimate = null;
            if (board != null) {
                Board b = boards.board(board);
                estimate = LatencyEstimator.shipped().estimate(m, b, stack);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> both = new LinkedHashMap<>();
                both.put("analysis", analysis);
                if (estimate != null) both.put("estimate", estimate);
                out.println(Json.pretty(both));
            } else {
                out.print(analysis.toText());
                if (estimate != null) out.print(System.lineSeparator() + estimate.toText());
            }
            out.flush();
            return 0;
        });
    }
}
