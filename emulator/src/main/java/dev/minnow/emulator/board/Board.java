package dev.minnow.emulator.board;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A development board as data: its MCU and core, clock, memories, FPU, how much SRAM and flash the firmware around
 * the model takes, and which inference stacks it has published measurements with.
 *
 * @param id                short unique id used on the command line, e.g. "nucleo-l4r5zi"
 * @param name              the board's name, e.g. "NUCLEO-L4R5ZI"
 * @param mcu               the microcontroller part, e.g. "STM32L4R5ZIT6"
 * @param core              core family
 * @param accelerator       on-chip NN accelerator the published numbers used, null when none
 * @param clockMhz          core clock in MHz the estimates use
 * @param flashBytes        on-chip (or board) flash for code and model, null when not stated
 * @param sramBytes         SRAM, null when not stated
 * @param fpu               floating-point unit
 * @param sramReserveBytes  SRAM the firmware needs beside the tensor arena (stacks, heap, runtime statics);
 *                          null means {@link #DEFAULT_SRAM_RESERVE_BYTES}
 * @param flashReserveBytes flash the firmware needs beside the model and TFLM (bootloader, startup, HAL, libc, OS);
 *                          null means {@link #DEFAULT_FLASH_RESERVE_BYTES}
 * @param stacks            ids of the cost model's stacks this board has published results with (may be empty)
 * @param resultsName       the board's name in MLPerf Tiny's results.csv, null when it has none
 * @param notes             provenance of the numbers
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Board(String id, String name, String mcu, CoreFamily core, String accelerator, Double clockMhz,
                    Long flashBytes, Long sramBytes, Fpu fpu, Long sramReserveBytes, Long flashReserveBytes,
                    List<String> stacks, String resultsName, String notes) {

    /** SRAM reserve when a board states none: 4 KiB main stack, 4 KiB heap, 8 KiB runtime statics and drivers. */
    public static final long DEFAULT_SRAM_RESERVE_BYTES = 16 * 1024;
    /** Flash reserve when a board states none: vector table, startup, HAL/BSP, libc and printf, serial driver. */
    public static final long DEFAULT_FLASH_RESERVE_BYTES = 32 * 1024;

    public Board {
        require(id != null && id.matches("[a-z0-9][a-z0-9._-]*"), "board id '" + id + "' must be lower-case letters, digits, '.', '_' or '-'");
        require(name != null && !name.isBlank(), "board '" + id + "' needs a name");
        require(core != null, "board '" + id + "' needs a core");
        require(clockMhz != null && clockMhz > 0 && Double.isFinite(clockMhz), "board '" + id + "': clockMhz must be > 0, got " + clockMhz);
        require(flashBytes == null || flashBytes > 0, "board '" + id + "': flashBytes must be > 0, got " + flashBytes);
        require(sramBytes == null || sramBytes > 0, "board '" + id + "': sramBytes must be > 0, got " + sramBytes);
        require(sramReserveBytes == null || sramReserveBytes >= 0, "board '" + id + "': sramReserveBytes must be >= 0, got " + sramReserveBytes);
        require(flashReserveBytes == null || flashReserveBytes >= 0, "board '" + id + "': flashReserveBytes must be >= 0, got " + flashReserveBytes);
        mcu = mcu == null ? "" : mcu;
        fpu = fpu == null ? Fpu.NONE : fpu;
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
    }

    /** SRAM reserved beside the arena: the board's value or the documented default. */
    public long sramReserve() { return sramReserveBytes != null ? sramReserveBytes : DEFAULT_SRAM_RESERVE_BYTES; }

    /** Flash reserved beside model and TFLM: the board's value or the documented default. */
    public long flashReserve() { return flashReserveBytes != null ? flashReserveBytes : DEFAULT_FLASH_RESERVE_BYTES; }

    /** "Cortex-M33" or "Cortex-M33 + MVP": the core class the cost model keys its factor by. */
    public String coreClass() { return accelerator == null ? core.displayName() : core.displayName() + " + " + accelerator; }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
