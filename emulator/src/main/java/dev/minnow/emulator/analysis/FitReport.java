package dev.minnow.emulator.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.minnow.emulator.Json;

import java.util.List;
import java.util.Locale;

/**
 * Whether a model fits a board, memory by memory, with every term of the sums.
 *
 * @param board              board id
 * @param boardName          board name
 * @param modelBytes         the model flatbuffer (stored in flash as a const array)
 * @param runtimeFlashBytes  TFLM's runtime code
 * @param kernels            each op's kernel code
 * @param flashReserveBytes  the board's reserve (bootloader, startup, HAL, OS)
 * @param flashNeededBytes   model + runtime + kernels + reserve
 * @param flashBytes         the board's flash, null when not stated
 * @param flash              the flash verdict
 * @param minimumArenaBytes  TFLM's exact minimum arena on a 32-bit MCU
 * @param arenaBytes         the arena the firmware declares: the minimum rounded up to 16 bytes
 * @param sramReserveBytes   the board's reserve (stacks, heap, runtime statics)
 * @param sramNeededBytes    arena + reserve
 * @param sramBytes          the board's SRAM, null when not stated
 * @param sram               the SRAM verdict
 * @param notes              assumptions (kernels not in the code-size table)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FitReport(String board, String boardName, long modelBytes, long runtimeFlashBytes, List<KernelSize> kernels,
                        long flashReserveBytes, long flashNeededBytes, Long flashBytes, Verdict flash,
                        long minimumArenaBytes, long arenaBytes, long sramReserveBytes, long sramNeededBytes, Long sramBytes,
                        Verdict sram, List<String> notes) {

    /** One memory's verdict. */
    public enum Verdict { FITS, DOES_NOT_FIT, UNKNOWN }

    /** One op's kernel code, and whether the size was measured or charged as the largest kernel. */
    public record KernelSize(String op, long bytes, boolean measured) {}

    public FitReport {
        kernels = List.copyOf(kernels);
        notes = List.copyOf(notes);
    }

    /** True when both memories fit (an unknown memory does not count as a misfit). */
    public boolean fits() { return flash != Verdict.DOES_NOT_FIT && sram != Verdict.DOES_NOT_FIT; }

    /** Throws {@link DoesNotFitException} for the first memory that does not fit (flash first, as flashing fails first). */
    public FitReport requireFits() {
        if (flash == Verdict.DOES_NOT_FIT) throw new DoesNotFitException(board, "flash", flashNeededBytes, flashBytes);
        if (sram == Verdict.DOES_NOT_FIT) throw new DoesNotFitException(board, "SRAM", sramNeededBytes, sramBytes);
        return this;
    }

    /** Kernel code in total. */
    public long kernelBytes() { return kernels.stream().mapToLong(KernelSize::bytes).sum(); }

    /** Free flash after the model (negative when short), null when unknown. */
    public Long flashFree() { return flashBytes == null ? null : flashBytes - flashNeededBytes; }

    /** Free SRAM after arena and reserve (negative when short), null when unknown. */
    public Long sramFree() { return sramBytes == null ? null : sramBytes - sramNeededBytes; }

    /** The report with every term. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "board %s (%s): %s%n", boardName, board, fits() ? (flash == Verdict.UNKNOWN || sram == Verdict.UNKNOWN
                ? "fits where known" : "fits") : "DOES NOT FIT"));
        s.append(String.format(Locale.ROOT, "flash  %s: needs %,d B = model %,d + TFLM runtime %,d + kernels %,d + reserve %,d; board %s%n",
                flash, flashNeededBytes, modelBytes, runtimeFlashBytes, kernelBytes(), flashReserveBytes, avail(flashBytes, flashFree())));
        for (KernelSize k : kernels) {
            s.append(String.format(Locale.ROOT, "         %-34s %,8d B%s%n", k.op(), k.bytes(), k.measured() ? "" : "  (not measured: largest kernel)"));
        }
        s.append(String.format(Locale.ROOT, "SRAM   %s: needs %,d B = arena %,d (TFLM minimum %,d, 16-byte aligned) + reserve %,d; board %s%n",
                sram, sramNeededBytes, arenaBytes, minimumArenaBytes, sramReserveBytes, avail(sramBytes, sramFree())));
        for (String n : notes) s.append("note: ").append(n).append('\n');
        return s.toString();
    }

    private static String avail(Long total, Long free) {
        if (total == null) return "size not stated";
        return String.format(Locale.ROOT, "%,d B, %s %,d B", total, free >= 0 ? "free" : "short by", Math.abs(free));
    }

    /** The report as indented JSON. */
    public String toJson() { return Json.pretty(this); }

    /** A table over several boards, one line each. */
    public static String table(List<FitReport> reports) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-28s %-14s %13s %13s %13s %13s%n", "board", "verdict",
                "flash need", "flash free", "SRAM need", "SRAM free"));
        for (FitReport r : reports) {
            s.append(String.format(Locale.ROOT, "%-28s %-14s %,13d %13s %,13d %13s%n", r.board(), r.fits() ? "fits" : "DOES NOT FIT",
                    r.flashNeededBytes(), free(r.flashFree()), r.sramNeededBytes(), free(r.sramFree())));
        }
        return s.toString();
    }

    private static String free(Long v) { return v == null ? "unknown" : String.format(Locale.ROOT, "%,d", v); }
}
