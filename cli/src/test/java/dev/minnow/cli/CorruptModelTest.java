package dev.minnow.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.minnow.cli.CliTest.model;
import static dev.minnow.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Damaged model files (truncated, bytes overwritten) given to info, arena and run: each answer is an exit code of
 * 0, 1 or 2 with a one-line reason naming the file, never the internal-error path (exit 70, a stack trace).
 */
class CorruptModelTest {
    @Test
    void damagedModelsGetAReasonNotAStackTrace(@TempDir Path tmp) throws Exception {
        byte[] good = Files.readAllBytes(model("models/tflm-hello_world_int8"));
        Path input = Files.write(tmp.resolve("x.bin"), new byte[1]);
        Random rnd = new Random(20261204);
        List<String> wrong = new ArrayList<>();
        for (int trial = 0; trial < 80; trial++) {
            byte[] bad;
            if (trial % 3 == 0) {
                bad = Arrays.copyOf(good, rnd.nextInt(good.length));
            } else {
                bad = good.clone();
                for (int k = 0, n = 1 + rnd.nextInt(trial % 3 == 1 ? 2 : 16); k < n; k++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
            }
            Path file = Files.write(tmp.resolve("damaged_" + trial + ".tflite"), bad);
            for (String[] args : List.of(new String[] {"info", file.toString()}, new String[] {"arena", file.toString()},
                    new String[] {"run", file.toString(), "--input", input.toString()})) {
                CliTest.Run r = run(args);
                boolean ok = r.code() == 0 || (r.code() == 1 || r.code() == 2) && r.err().contains(file.toString());
                if (!ok || r.err().contains("internal error") || r.err().contains("\tat ")) {
                    wrong.add(String.join(" ", args) + " -> exit " + r.code() + ": " + r.err().lines().findFirst().orElse(""));
                }
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " answers without a reason:\n" + String.join("\n", wrong));
    }
}
