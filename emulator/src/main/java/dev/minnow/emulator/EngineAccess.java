package dev.minnow.emulator;

import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.ops.Ops;
import dev.minnow.runtime.OpDescriptor;
import dev.minnow.runtime.WorkCount;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The few calls the emulator makes into the engine's model and arena API, kept in one place (the interpreter side
 * lives in {@link dev.minnow.emulator.detect.ModelRunner}).
 */
public final class EngineAccess {
    /** Alignment TFLM wants for the arena buffer and uses for its head and tail (MicroArenaBufferAlignment). */
    public static final int ARENA_ALIGNMENT = 16;

    private EngineAccess() {}

    /** Loads and verifies a model; a missing file or malformed flatbuffer fails naming the file. */
    public static Model load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new EmulatorException("model file " + file + " does not exist");
        try {
            return Model.load(file);
        } catch (dev.minnow.MinnowException e) {
            throw new EmulatorException(file + ": " + e.getMessage(), e);
        }
    }

    /** {@link #mcu32Arena(Model, ModelBudget)} under the default budget for untrusted models. */
    public static ArenaReport mcu32Arena(Model model) {
        return mcu32Arena(model, ModelBudget.DEFAULT);
    }

    /**
     * TFLM's arena numbers for the model on a 32-bit microcontroller, from an interpreter that allocated it under
     * {@code budget} (so a model the engine cannot run fails here, naming the op or check, and a model over the budget
     * with a {@link dev.minnow.BudgetExceededException} naming the limit).
     */
    public static ArenaReport mcu32Arena(Model model, ModelBudget budget) {
        try (Interpreter interpreter = new Interpreter(model, new InterpreterOptions().setTarget(Target.MCU32).setBudget(budget))) {
            interpreter.allocateTensors();
            return interpreter.arenaReport();
        }
    }

    /** The exact smallest arena TFLM's AllocateTensors accepts on a 32-bit microcontroller (default budget). */
    public static long minimumArenaBytes(Model model) {
        return minimumArenaBytes(model, ModelBudget.DEFAULT);
    }

    /** The exact smallest arena TFLM's AllocateTensors accepts on a 32-bit microcontroller, allocated under {@code budget}. */
    public static long minimumArenaBytes(Model model, ModelBudget budget) {
        return mcu32Arena(model, budget).minimumArenaBytes();
    }

    /**
     * The work (multiply-accumulates, element operations) of one operator as the engine's op table counts it: the
     * reference kernels' loops, taps in padding skipped. An op minnow does not run fails naming it.
     */
    public static WorkCount work(OperatorInfo op, SubgraphInfo graph) {
        OpDescriptor d = Ops.find(op.opCode());
        if (d == null) throw new EmulatorException(op.opCode().displayName() + " (node " + op.index() + ") is not supported by minnow");
        try {
            return d.work().of(op, graph);
        } catch (RuntimeException e) {
            throw new EmulatorException(op.opCode().displayName() + " (node " + op.index() + ") has tensors its work cannot be counted from: " + e, e);
        }
    }

    /** {@code bytes} rounded up to the arena alignment, the size a firmware declares. */
    public static long alignArena(long bytes) {
        return (bytes + ARENA_ALIGNMENT - 1) / ARENA_ALIGNMENT * ARENA_ALIGNMENT;
    }
}
