package dev.minnow.cli;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import dev.minnow.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads files named on the command line and allocates models, with errors that name the path. */
final class ModelFiles {
    private ModelFiles() {}

    /** The model at {@code path}; a missing path, a directory or a malformed file is a {@link UserError}. */
    static Model load(Path path) {
        requireFile(path);
        try {
            return Model.load(path);
        } catch (ModelFormatException e) {
            throw UserError.failed(path + ": not a valid .tflite model: " + e.getMessage());
        } catch (IOException e) {
            throw UserError.usage(path + ": cannot read: " + e.getMessage());
        }
    }

    /** Fails with exit 2 unless {@code path} is a readable regular file: "not found", "is a directory", "permission denied". */
    static void requireFile(Path path) {
        if (!Files.exists(path)) throw UserError.usage(path + ": not found");
        if (Files.isDirectory(path)) throw UserError.usage(path + ": is a directory, not a file");
        if (!Files.isReadable(path)) throw UserError.usage(path + ": permission denied");
    }

    /** The bytes of a readable regular file, at most {@code limit} of them. */
    static byte[] read(Path path, long limit) {
        requireFile(path);
        try {
            long size = Files.size(path);
            if (size > limit) throw UserError.usage(path + ": " + size + " bytes is more than the " + limit + " expected");
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw UserError.usage(path + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * An interpreter with the model's tensors allocated; when the engine cannot allocate it (an op without a kernel,
     * a check TFLM's Prepare makes, an arena too small) the {@link UserError} (exit 1) says which and why.
     */
    static Interpreter allocate(Path path, Model model, InterpreterOptions options) {
        Interpreter interpreter = new Interpreter(model, options);
        try {
            interpreter.allocateTensors();
        } catch (MinnowException e) {
            interpreter.close();
            throw UserError.failed(path + ": the model cannot be allocated: " + e.getMessage()
                    + BudgetOption.hintFor(e));
        }
        return interpreter;
    }
}
