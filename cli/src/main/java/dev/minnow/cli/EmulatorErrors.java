package dev.minnow.cli;

import dev.minnow.MinnowException;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.analysis.DoesNotFitException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The exit codes of the emulator commands, the scheme of every command (README, emulator/Commands.md): a model that
 * does not fit its board or that the engine rejects (not a valid model, an op or check it cannot run) is the model
 * or the check failing (exit 1; a model over the default budget for untrusted models says to pass {@code --trusted},
 * which every command that runs through here takes); a malformed CSV, config or boards file, an unknown board or stack and a model that
 * does not match the config are bad input (exit 2). The library's messages already name the file, line and column
 * or the numbers, so they are passed on as they are.
 */
final class EmulatorErrors {
    private EmulatorErrors() {}

    /** A command body that may throw the emulator's exceptions or an I/O error. */
    @FunctionalInterface
    interface Body {
        /** Runs the command and returns its exit code. */
        int run() throws IOException;
    }

    /**
     * Runs {@code body}, turning the emulator's and engine's exceptions into {@link UserError}s with the right code;
     * an engine exception (the model has an op or tensor it cannot run) is prefixed with the model file
     * {@code model} supplies, when it supplies one.
     */
    static int mapped(Supplier<Path> model, Body body) throws IOException {
        try {
            return body.run();
        } catch (DoesNotFitException e) {
            throw withCause(UserError.failed(e.getMessage()), e);
        } catch (EmulatorException e) {
            throw withCause(engineRejected(e) ? UserError.failed(e.getMessage() + BudgetOption.hintFor(e)) : UserError.usage(e.getMessage()), e);
        } catch (MinnowException e) {
            Path file = model.get();
            throw withCause(UserError.failed((file == null ? e.getMessage() : file + ": " + e.getMessage()) + BudgetOption.hintFor(e)), e);
        }
    }

    /** Whether the emulator passes on the engine's refusal of the model (its cause is the engine's exception). */
    private static boolean engineRejected(EmulatorException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MinnowException && !(c instanceof EmulatorException)) return true;
        }
        return false;
    }

    /** {@code error} with {@code cause} attached, so {@code --debug} shows where the library failed. */
    static UserError withCause(UserError error, Throwable cause) {
        error.initCause(cause);
        return error;
    }
}
