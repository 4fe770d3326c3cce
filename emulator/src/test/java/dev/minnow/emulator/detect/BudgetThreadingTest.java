package dev.minnow.emulator.detect;

import dev.minnow.BudgetExceededException;
import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.analysis.FitCheck;
import dev.minnow.emulator.analysis.ModelAnalysis;
import dev.minnow.emulator.board.Board;
import dev.minnow.emulator.board.BoardCatalog;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The budget a caller passes reaches every interpreter the emulator allocates (the arena report behind fit and
 * analyze, and the detector's runner): a budget whose arena limit is below a 1,200-byte tensor refuses the model
 * naming that limit, where the default budget accepts it.
 */
class BudgetThreadingTest {
    private static final ModelBudget TIGHT = ModelBudget.TRUSTED.withMaxArenaBytes(1000);

    @Test
    void everyAllocationTakesTheCallersBudget() {
        Model model = TestModels.scaledIdentity(300, 1f);   // float [1, 300] in and out: 1,200-byte tensors
        Board board = BoardCatalog.builtin().get("nucleo-l4r5zi");
        long minimum = EngineAccess.minimumArenaBytes(model);
        assertEquals(minimum, EngineAccess.minimumArenaBytes(model, ModelBudget.TRUSTED), "the budget does not change the figures");

        refusedByArenaLimit(assertThrows(BudgetExceededException.class, () -> EngineAccess.mcu32Arena(model, TIGHT)));
        refusedByArenaLimit(assertThrows(BudgetExceededException.class, () -> FitCheck.shipped().check(model, board, TIGHT)));
        refusedByArenaLimit(assertThrows(BudgetExceededException.class, () -> FitCheck.shipped().checkAll(model, List.of(board), TIGHT)));
        refusedByArenaLimit(assertThrows(BudgetExceededException.class, () -> ModelAnalysis.of(model, TIGHT)));
        EmulatorException e = assertThrows(EmulatorException.class, () -> new ModelRunner(model, 8192, TIGHT));
        refusedByArenaLimit(assertInstanceOf(BudgetExceededException.class, e.getCause()));

        assertEquals(minimum, FitCheck.shipped().check(model, board, ModelBudget.DEFAULT).minimumArenaBytes());
        assertEquals(minimum, ModelAnalysis.of(model, ModelBudget.DEFAULT).arena().minimumArenaBytes());
        try (ModelRunner r = new ModelRunner(model, 8192, ModelBudget.DEFAULT)) {
            float[] x = new float[300];
            x[7] = 2.5f;
            r.run(x);
            assertEquals(2.5f, r.output(0)[7]);
        }
    }

    private static void refusedByArenaLimit(BudgetExceededException e) {
        assertEquals("arena bytes", e.resource());
        assertEquals(1200, e.requested());
        assertEquals(1000, e.limit());
        assertTrue(e.getMessage().contains("over the budget's limit of 1000"), e.getMessage());
    }
}
