package dev.minnow.cli;

import dev.minnow.model.Model;
import dev.minnow.model.ModelFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a model named on the command line, with errors that name the path. */
final class ModelFiles {
    private ModelFiles() {}

    /** The model at {@code path}; a missing path, a directory or a malformed file is a {@link UserError}. */
    static Model load(Path path) {
        if (!Files.exists(path)) throw UserError.usage(path + ": not found");
        if (Files.isDirectory(path)) throw UserError.usage(path + ": is a directory, not a .tflite model file");
        if (!Files.isReadable(path)) throw UserError.usage(path + ": permission denied");
        try {
            return Model.load(path);
        } catch (ModelFormatException e) {
            throw UserError.failed(path + ": not a valid .tflite model: " + e.getMessage());
        } catch (IOException e) {
            throw UserError.usage(path + ": cannot read: " + e.getMessage());
        }
    }
}
