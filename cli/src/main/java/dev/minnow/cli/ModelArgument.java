package dev.minnow.cli;

import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * The MODEL parameter of analyze, fit and export: a .tflite file, loaded as info, run and arena load theirs, with
 * their {@code --trusted} option for the budget it is allocated under.
 */
final class ModelArgument {
    @Parameters(index = "0", paramLabel = "MODEL", description = "the .tflite file")
    private Path path;

    @Mixin private BudgetOption budget;

    /** The budget the model is allocated under ({@code --trusted} or the default for untrusted models). */
    ModelBudget budget() { return budget.budget(); }

    /** The file named on the command line. */
    Path path() { return path; }

    /** The model; a missing or unreadable file exits 2, one that is not a valid model exits 1 (via {@link ModelFiles}). */
    Model load() { return ModelFiles.load(path); }
}
