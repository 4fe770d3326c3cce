package dev.minnow.cli;

import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import picocli.CommandLine.Option;

/**
 * The {@code --trusted} option of the commands that allocate a model: without it the engine's default budget for
 * untrusted models applies (arena, prepare-time heap and planned buffers scaled to the file's size).
 */
final class BudgetOption {
    /** The hint an over-budget error ends with. */
    static final String HINT = "; if the model comes from a trusted source, pass --trusted";

    @Option(names = "--trusted", description = "the model comes from a trusted source: lift the default budget for "
            + "untrusted models (arena and prepare-time heap scaled to the file's size) to fixed limits (64 MiB arena, "
            + "64 MiB prepare-time heap, 20,000 planned buffers)")
    boolean trusted;

    /** {@code options} with the trusted budget when {@code --trusted} was given. */
    InterpreterOptions apply(InterpreterOptions options) {
        return trusted ? options.setBudget(ModelBudget.TRUSTED) : options;
    }
}
