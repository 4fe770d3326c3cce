package dev.minnow.tflm;

import dev.minnow.MinnowException;
import dev.minnow.arena.ArenaReport;
import dev.minnow.arena.Target;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.interpreter.InterpreterOptions;
import dev.minnow.model.Model;
import dev.minnow.runtime.Tensor;
import dev.minnow.testkit.TflmCase;
import dev.minnow.testkit.TflmRecords;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * minnow against the real TFLM on the models of {@link TflmSuites}, whose TFLM results {@link TflmRecordingTest}
 * recorded: the same model bytes, the same outputs byte for byte on every run and frame, and TFLM's host64
 * arena_used_bytes and minimum arena. Runs without a TFLM build.
 */
class TflmComparisonTest {
    @TestFactory
    Stream<DynamicTest> minnowMatchesTheRecordedTflmResults() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, List<TflmCase>> suite : TflmSuites.all().entrySet()) {
            Map<String, TflmRecords.ModelResult> recorded = TflmRecords.load(suite.getKey());
            assertEquals(suite.getValue().size(), recorded.size(), suite.getKey() + ": recorded models");
            for (TflmCase c : suite.getValue()) {
                tests.add(DynamicTest.dynamicTest(suite.getKey() + "/" + c.name(), () -> check(c, recorded.get(c.name()))));
            }
        }
        return tests.stream();
    }

    private static void check(TflmCase c, TflmRecords.ModelResult tflm) {
        assertNotNull(tflm, c.name() + " has no recorded TFLM result: run TflmRecordingTest");
        assertEquals(tflm.sha256(), TflmRecords.sha256(c.model()), c.name() + ": the model changed since TFLM's run was recorded");
        Model model = Model.load(c.model());
        InterpreterOptions options = new InterpreterOptions().setTarget(Target.HOST64);
        assertEquals("ok", tflm.status(), c.name() + ": TFLM could not allocate it");
        if (tflm.runs().stream().anyMatch(r -> "crash".equals(r.status()))) {
            // TFLM's process died running it: minnow refuses the model at allocation instead.
            assertThrows(MinnowException.class, () -> new Interpreter(model, options).allocateTensors(), c.name() + " crashes TFLM");
            return;
        }
        Interpreter probe = new Interpreter(model, options);
        probe.allocateTensors();
        ArenaReport report = probe.arenaReport();
        assertEquals(tflm.arenaUsedBytes(), report.usedBytes(), c.name() + ": host64 arena_used_bytes");
        assertEquals(tflm.minArenaBytes(), report.minimumArenaBytes(), c.name() + ": host64 minimum arena");
        for (int r = 0; r < c.runs().size(); r++) {
            TflmCase.Run run = c.runs().get(r);
            TflmRecords.RunResult expected = tflm.runs().get(r);
            boolean tflmFails = !"ok".equals(expected.status());
            assertTrue(!tflmFails || "invoke".equals(expected.stage()), c.name() + " run " + r + ": TFLM failed at " + expected.stage());
            Interpreter it = new Interpreter(model, options);
            it.allocateTensors();
            byte[][] outputs = new byte[it.getOutputTensorCount()][];
            for (int k = 0; k < outputs.length; k++) outputs[k] = new byte[0];
            boolean stopped = false;
            for (int f = 0; f < run.frames() && !stopped; f++) {
                for (int k = 0; k < run.inputs().size(); k++) {
                    Tensor t = it.getInputTensor(k);
                    t.copyFrom(Arrays.copyOfRange(run.inputs().get(k), f * t.numBytes(), (f + 1) * t.numBytes()));
                }
                // tflm_run stops at the first invoke that does not return kTfLiteOk: an error, or a kernel's abort.
                try {
                    it.invoke();
                    stopped = !it.lastInvokeCompleted();
                } catch (MinnowException e) {
                    stopped = true;
                }
                if (!stopped) for (int k = 0; k < outputs.length; k++) outputs[k] = concat(outputs[k], it.getOutputTensor(k).toByteArray());
            }
            assertEquals(tflmFails, stopped, c.name() + " run " + r + ": TFLM " + (tflmFails ? "stopped" : "ran every frame"));
            if (tflmFails) continue;
            assertEquals(expected.outputs().size(), outputs.length, c.name() + " run " + r + ": output count");
            for (int k = 0; k < outputs.length; k++) {
                assertArrayEquals(expected.outputs().get(k), outputs[k], c.name() + " run " + r + " output " + k);
            }
        }
        assertTrue(c.runs().size() > 0);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
