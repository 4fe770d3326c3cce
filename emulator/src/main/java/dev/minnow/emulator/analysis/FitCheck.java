package dev.minnow.emulator.analysis;

import dev.minnow.emulator.EngineAccess;
import dev.minnow.emulator.board.Board;
import dev.minnow.interpreter.ModelBudget;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Does a model fit a board? Flash: the model's bytes + TFLM's runtime + the code of each distinct op the model uses
 * ({@link CodeSizeTable}) + the board's flash reserve. SRAM: TFLM's exact minimum arena on a 32-bit MCU, rounded up
 * to 16 bytes as the firmware declares it, + the board's SRAM reserve.
 */
public final class FitCheck {
    private final CodeSizeTable sizes;

    /** A check with the given code-size table. */
    public FitCheck(CodeSizeTable sizes) { this.sizes = sizes; }

    /** A check with the shipped code-size table. */
    public static FitCheck shipped() { return new FitCheck(CodeSizeTable.load()); }

    /** The report for one board, the model allocated under the default budget for untrusted models. */
    public FitReport check(Model model, Board board) {
        return check(model, board, ModelBudget.DEFAULT);
    }

    /**
     * The report for one board, the arena computed here with the model allocated under {@code budget} (see
     * {@link #check(Model, long, Board)} to reuse it).
     */
    public FitReport check(Model model, Board board, ModelBudget budget) {
        return check(model, EngineAccess.minimumArenaBytes(model, budget), board);
    }

    /** The report for one board given the model's minimum arena. */
    public FitReport check(Model model, long minimumArena, Board board) {
        Set<String> ops = new LinkedHashSet<>();
        for (OperatorInfo op : model.mainSubgraph().operators()) ops.add(op.opCode().displayName());
        List<FitReport.KernelSize> kernels = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        long kernelBytes = 0;
        for (String op : ops) {
            boolean measured = sizes.measured(op);
            long b = sizes.kernelBytes(op);
            kernels.add(new FitReport.KernelSize(op, b, measured));
            kernelBytes += b;
            if (!measured) notes.add(op + " is not in the code-size table: charged as the largest kernel, " + b + " B");
        }
        long flashNeed = model.sizeBytes() + sizes.runtimeBytes() + kernelBytes + board.flashReserve();
        long arena = EngineAccess.alignArena(minimumArena);
        long sramNeed = arena + board.sramReserve();
        FitReport.Verdict flash = board.flashBytes() == null ? FitReport.Verdict.UNKNOWN
                : flashNeed <= board.flashBytes() ? FitReport.Verdict.FITS : FitReport.Verdict.DOES_NOT_FIT;
        FitReport.Verdict sram = board.sramBytes() == null ? FitReport.Verdict.UNKNOWN
                : sramNeed <= board.sramBytes() ? FitReport.Verdict.FITS : FitReport.Verdict.DOES_NOT_FIT;
        if (board.flashBytes() == null) notes.add(board.name() + " states no flash size");
        if (board.sramBytes() == null) notes.add(board.name() + " states no SRAM size");
        return new FitReport(board.id(), board.name(), model.sizeBytes(), sizes.runtimeBytes(), kernels, board.flashReserve(),
                flashNeed, board.flashBytes(), flash, minimumArena, arena, board.sramReserve(), sramNeed, board.sramBytes(), sram, notes);
    }

    /** Reports for many boards (the arena computed once), the model allocated under the default budget. */
    public List<FitReport> checkAll(Model model, List<Board> boards) {
        return checkAll(model, boards, ModelBudget.DEFAULT);
    }

    /** Reports for many boards (the arena computed once), the model allocated under {@code budget}. */
    public List<FitReport> checkAll(Model model, List<Board> boards, ModelBudget budget) {
        long minimum = EngineAccess.minimumArenaBytes(model, budget);
        List<FitReport> out = new ArrayList<>();
        for (Board b : boards) out.add(check(model, minimum, b));
        return out;
    }
}
