package dev.minnow.cli;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import picocli.CommandLine.Option;

/**
 * The {@code --trusted} option of the commands that allocate a model (run, arena, info, convert, and through
 * {@link ModelArgument} and {@link DetectorInputs} analyze, fit, export, detect, calibrate): without it the engine's
 * default budget for untrusted models applies (arena, prepare-time heap and planned buffers scaled to the file's size).
 */
final class BudgetOption {
    /** The hint an over-budget error ends with. */
    private static final String HINT = "; if the model comes from a trusted source, pass --trusted";

    /** The help paragraph of the commands that take the option through {@link ModelArgument} or {@link DetectorInputs}. */
    static final String REFUSAL = "A model over the default budget for untrusted models (arena and prepare-time heap scaled "
            + "to the file's size) is refused with exit 1, naming the amount and the limit; --trusted lifts it.";

    @Option(names = "--trusted", description = "the model comes from a trusted source: lift the default budget for "
            + "untrusted models (arena and prepare-time heap scaled to the file's size) to fixed limits (64 MiB arena, "
            + "64 MiB prepare-time heap, 20,000 planned buffers)")
    boolean trusted;

    /** {@code options} with the trusted budget when {@code --trusted} was given. */
    InterpreterOptions apply(InterpreterOptions options) {
        return options.setBudget(budget());
    }

    /** The budget models are allocated under: {@link ModelBudget#TRUSTED} with {@code --trusted}, else the default. */
    ModelBudget budget() {
        return trusted ? ModelBudget.TRUSTED : ModelBudget.DEFAULT;
    }

    /** The hint for a refusal caused (anywhere in its chain) by the budget, else "". */
    static String hintFor(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof dev.minnow.BudgetExceededException) return HINT;
        }
        return "";
    }
}
