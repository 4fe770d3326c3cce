package dev.minnow.cli;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.minnow.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --trusted}: a small model whose activations exceed the default budget is refused with the way out named. */
class TrustedOptionTest {
    /** A 400-byte model whose ADD writes 3.2 MB: over the default arena limit for its size (2 MiB + 64 B per byte). */
    private static Path bigActivation(Path dir) throws Exception {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {800_000}, null);
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        return Files.write(dir.resolve("big.tflite"), b.setInputs(x).setOutputs(o).build());
    }

    @Test
    void aModelOverTheDefaultBudgetIsRefusedWithTheLimitAndTheFlagNamedAndRunsWithTrusted(@TempDir Path tmp) throws Exception {
        Path model = bigActivation(tmp);
        for (String command : new String[] {"arena", "info"}) {
            CliTest.Run r = run(command, model.toString());
            assertEquals(1, r.code(), command + ": " + r.out() + r.err());
            for (String w : new String[] {"3200000", "arena bytes", "withMaxArenaBytes", "--trusted"}) {
                assertTrue(r.err().contains(w), command + ": '" + w + "' not in " + r.err());
            }
            CliTest.Run trusted = run(command, "--trusted", model.toString());
            assertEquals(0, trusted.code(), command + " --trusted: " + trusted.err());
        }
    }
}
