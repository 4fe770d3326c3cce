package dev.minnow.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code minnow skab}: a clear error without data; with the data beside the checkout, one file end to end. */
class SkabCommandTest {
    static Path skabDir() {
        return Path.of(System.getProperty("minnow.conformance", "../shared/conformance")).resolveSibling("data").resolve("skab");
    }

    @Test
    void aMissingDataDirectoryExitsTwoSayingWhatIsExpected(@TempDir Path tmp) {
        CliTest.Run r = CliTest.run("skab", tmp.resolve("nowhere").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nowhere") && r.err().contains("valve1"), r.err());
        CliTest.Run models = CliTest.run("skab", tmp.toString(), "--models", "lstm,gpt");
        assertEquals(2, models.code());
        assertTrue(models.err().contains("gpt"), models.err());
    }

    @Test
    void oneFileRunsTheProtocolWithTheInt8ModelOnTheBoard() {
        Path dir = skabDir();
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("valve1")), "SKAB data not at " + dir);
        CliTest.Run r = CliTest.run("skab", dir.toString(), "--files", "1", "--models", "lstm", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| LSTM forecaster"), r.out());
        assertTrue(r.out().contains("Published leaderboard") && r.out().contains("| Conv-AE | 0.78"), r.out());
        String row = r.out().lines().filter(l -> l.startsWith("| LSTM forecaster")).findFirst().orElseThrow();
        String[] cells = row.split("\\|");
        double f1 = Double.parseDouble(cells[2].trim());
        double far = Double.parseDouble(cells[3].trim());
        double mar = Double.parseDouble(cells[4].trim());
        assertTrue(f1 >= 0 && f1 <= 1 && far >= 0 && far <= 100 && mar >= 0 && mar <= 100, row);
        assertTrue(cells[9].trim().matches("[0-9,]+ B"), "arena " + cells[9]);
    }
}
