package dev.minnow.emulator.board;

import dev.minnow.emulator.EmulatorException;
import dev.minnow.emulator.InputFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoardCatalogTest {

    @Test
    void builtInBoardsIncludeTheIssuesList() {
        BoardCatalog c = BoardCatalog.builtin();
        for (String id : List.of("arduino-nano-33-ble-sense", "nucleo-l4r5zi", "disco-f746ng", "nucleo-h7a3zi-q",
                "raspberry-pi-pico", "esp32-s3-devkitc-1")) {
            c.get(id);
        }
        Board nano = c.get("Arduino Nano 33 BLE Sense");
        assertEquals("nRF52840", nano.mcu());
        assertEquals(CoreFamily.CORTEX_M4F, nano.core());
        assertEquals(Fpu.SINGLE, nano.fpu());
        assertEquals(256L * 1024, nano.sramBytes());
        Board pico = c.get("raspberry-pi-pico");
        assertEquals(CoreFamily.CORTEX_M0_PLUS, pico.core());
        assertEquals(Fpu.NONE, pico.fpu());
        assertEquals(Board.DEFAULT_SRAM_RESERVE_BYTES, pico.sramReserve());
        assertEquals(CoreFamily.XTENSA_LX7, c.get("esp32-s3-devkitc-1").core());
        assertEquals("Cortex-M33 + MVP", c.get("xg24-dk2601b").coreClass());
    }

    @Test
    void userBoardsExtendAndOverride(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("mine.json");
        Files.writeString(f, """
                {"boards": [
                  {"id": "my-m55", "name": "My M55 board", "mcu": "X", "core": "cortex-m55", "clockMhz": 400,
                   "flashBytes": 4194304, "sramBytes": 1048576, "fpu": "double"},
                  {"id": "raspberry-pi-pico", "name": "Pico at 250 MHz", "mcu": "RP2040", "core": "Cortex-M0+", "clockMhz": 250,
                   "flashBytes": 2097152, "sramBytes": 270336, "fpu": "none", "sramReserveBytes": 4096}
                ]}
                """);
        BoardCatalog c = BoardCatalog.builtinPlus(f);
        assertEquals(CoreFamily.CORTEX_M55, c.get("my-m55").core());
        assertEquals(250.0, c.get("raspberry-pi-pico").clockMhz());
        assertEquals(4096, c.get("raspberry-pi-pico").sramReserve());
        assertEquals(BoardCatalog.builtin().all().size() + 1, c.all().size());
    }

    @Test
    void badBoardsFilesAreNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"boards\": [\n  {\"id\": \"x\", \"name\": \"X\", \"core\": \"Cortex-M99\", \"clockMhz\": 1}\n]}");
        InputFormatException e = assertThrows(InputFormatException.class, () -> BoardCatalog.builtinPlus(f));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("unknown core family 'Cortex-M99'"), e.getMessage());
        Files.writeString(f, "{\"boards\": [{\"id\": \"x\", \"name\": \"X\", \"core\": \"Cortex-M4\", \"clockMhz\": 0}]}");
        e = assertThrows(InputFormatException.class, () -> BoardCatalog.builtinPlus(f));
        assertTrue(e.getMessage().contains("clockMhz must be > 0, got 0.0"), e.getMessage());
        Files.writeString(f, "{\"boards\": [{\"id\": \"x\", \"name\": \"X\", \"core\": \"Cortex-M4\", \"clockMhz\": 1, \"ram\": 5}]}");
        e = assertThrows(InputFormatException.class, () -> BoardCatalog.builtinPlus(f));
        assertTrue(e.getMessage().contains("\"ram\""), e.getMessage());
        Files.writeString(f, "{\"boards\": [{\"id\": \"x\", \"name\": \"X\", \"core\": \"Cortex-M4\", \"clockMhz\": 1},"
                + " {\"id\": \"x\", \"name\": \"Y\", \"core\": \"Cortex-M4\", \"clockMhz\": 2}]}");
        e = assertThrows(InputFormatException.class, () -> BoardCatalog.builtinPlus(f));
        assertTrue(e.getMessage().contains("'x' appears twice"), e.getMessage());
        Files.writeString(f, "{\"boards\": [");
        assertThrows(InputFormatException.class, () -> BoardCatalog.builtinPlus(f));
        EmulatorException u = assertThrows(EmulatorException.class, () -> BoardCatalog.builtin().get("nucleo-x"));
        assertTrue(u.getMessage().startsWith("unknown board 'nucleo-x'; known boards: arduino-nano-33-ble-sense, "), u.getMessage());
        assertThrows(EmulatorException.class, () -> BoardCatalog.builtinPlus(dir.resolve("none.json")));
    }
}
