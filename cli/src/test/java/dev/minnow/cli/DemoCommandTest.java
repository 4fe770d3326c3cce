package dev.minnow.cli;

import dev.minnow.emulator.detect.Evaluation;
import dev.minnow.emulator.detect.PipelineConfig;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code minnow demo} end to end on a small stream: the artifacts, the metrics and float-vs-int8 agreement. */
class DemoCommandTest {
    private static final String[] SMALL = {"--rows", "3000", "--anomalies", "1", "--quiet"};

    private static DemoCommand.Outcome demo(Path out, StringWriter text, String... args) throws Exception {
        DemoCommand cmd = new DemoCommand();
        CommandLine cl = new CommandLine(cmd);
        String[] all = new String[args.length + SMALL.length + 2];
        System.arraycopy(SMALL, 0, all, 0, SMALL.length);
        all[SMALL.length] = "--out";
        all[SMALL.length + 1] = out.toString();
        System.arraycopy(args, 0, all, SMALL.length + 2, args.length);
        cl.parseArgs(all);
        return cmd.run(new PrintWriter(text, true));
    }

    @Test
    void denseAutoencoderWritesEveryArtifactAndReportsSensibleMetrics(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("demo");
        StringWriter text = new StringWriter();
        DemoCommand.Outcome r = demo(out, text, "--arch", "dense-ae", "--units", "32", "--epochs", "8");
        for (String f : new String[] {"model.tflite", "model_float.tflite", "pipeline.json", "scores.svg", "stream.csv", "train.csv",
                "firmware/model_data.h", "firmware/model_data.cc", "firmware/detector_config.h", "firmware/detector.ino"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f + " missing or empty");
        }
        assertTrue(Files.readString(out.resolve("scores.svg")).startsWith("<svg"));
        assertTrue(Files.readString(out.resolve("firmware/detector.ino")).contains("MicroMutableOpResolver"));

        // the config is the emulator's, calibrated, naming the int8 model beside it, which is full-integer
        PipelineConfig cfg = PipelineConfig.load(out.resolve("pipeline.json"));
        assertNotNull(cfg.threshold());
        assertEquals(cfg.threshold(), r.int8().config().threshold());
        assertEquals(out.resolve("model.tflite").toAbsolutePath(), cfg.modelPath(out.resolve("pipeline.json")));
        assertEquals(PipelineConfig.Method.MINMAX, cfg.normalization().method());
        Model int8 = Model.load(Files.readAllBytes(out.resolve("model.tflite")));
        TensorInfo in = int8.mainSubgraph().tensor(int8.mainSubgraph().inputs()[0]);
        assertEquals(DataType.INT8, in.type());
        assertEquals(32 * 3, in.elementCount());

        // metrics exist, are rates, and the detector beats chance on the labelled stream
        for (DemoCommand.Run run : new DemoCommand.Run[] {r.float32(), r.int8()}) {
            Evaluation e = run.eval();
            assertEquals(3000 - 32 + 1, e.windows());
            assertTrue(e.positives() > 0 && e.negatives() > 0);
            assertEquals(e.windows(), e.truePositives() + e.falsePositives() + e.trueNegatives() + e.falseNegatives());
            for (Double v : new Double[] {e.precision(), e.recall(), e.f1(), e.falseAlarmRate(), e.missedAlarmRate()}) {
                assertTrue(v != null && v >= 0 && v <= 1, "rate " + v);
            }
            assertTrue(e.rocAuc() > 0.6, "ROC AUC " + e.rocAuc());
            assertEquals(e.windows(), run.scores().length);
        }
        assertTrue(r.int8().fit().fits());
        assertTrue(r.int8().latencyMs() > 0);
        String printed = text.toString();
        assertTrue(printed.contains("float32") && printed.contains("int8") && printed.contains("F1"), printed);
        assertTrue(printed.contains(out.toAbsolutePath().normalize().toString()), printed);
    }

    @Test
    void int8ScoresAgreeWithFloatScoresWithinTheQuantizersReportedError(@TempDir Path tmp) throws Exception {
        for (String arch : new String[] {"lstm", "conv-ae"}) {
            DemoCommand.Outcome r = demo(tmp.resolve(arch), new StringWriter(), "--arch", arch, "--units", "8", "--epochs", "3");
            double e = r.agreement().outputs().get(0).maxAbsError();
            assertTrue(e > 0 && Double.isFinite(e), arch + ": reported error " + e);
            double[] f = r.float32().scores(), q = r.int8().scores();
            assertEquals(f.length, q.length);
            int differ = 0;
            for (int w = 0; w < f.length; w++) {
                double bound = DemoCommand.scoreBound(f[w], e);
                assertTrue(Math.abs(f[w] - q[w]) <= bound,
                        arch + " window " + w + ": float " + f[w] + ", int8 " + q[w] + ", bound " + bound + " from max output error " + e);
                if (f[w] != q[w]) differ++;
            }
            assertTrue(differ > 0, arch + ": int8 scores identical to float ones: the int8 model did not run");
        }
    }

    @Test
    void theSameSeedGivesTheSameModel(@TempDir Path tmp) throws Exception {
        demo(tmp.resolve("a"), new StringWriter(), "--arch", "dense-ae", "--units", "8", "--epochs", "2", "--seed", "5");
        demo(tmp.resolve("b"), new StringWriter(), "--arch", "dense-ae", "--units", "8", "--epochs", "2", "--seed", "5");
        assertArrayEquals(Files.readAllBytes(tmp.resolve("a/model.tflite")), Files.readAllBytes(tmp.resolve("b/model.tflite")));
    }

    @Test
    void demoAndSkabHaveHelp() {
        for (String cmd : new String[] {"demo", "skab"}) {
            CliTest.Run r = CliTest.run(cmd, "--help");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("Usage: minnow " + cmd) && r.out().contains("--board"), r.out());
        }
    }

    @Test
    void badFlagsExitTwoNamingTheProblem(@TempDir Path tmp) {
        CliTest.Run arch = CliTest.run("demo", "--arch", "transformer", "--out", tmp.toString());
        assertEquals(2, arch.code());
        assertTrue(arch.err().contains("transformer") && arch.err().contains("dense-ae"), arch.err());
        CliTest.Run board = CliTest.run("demo", "--board", "pdp-11", "--out", tmp.toString());
        assertEquals(2, board.code());
        assertTrue(board.err().contains("pdp-11") && board.err().contains("arduino-nano-33-ble-sense"), board.err());
        CliTest.Run rows = CliTest.run("demo", "--rows", "500", "--out", tmp.toString());
        assertEquals(2, rows.code());
        assertTrue(rows.err().contains("500"), rows.err());
        CliTest.Run q = CliTest.run("demo", "--quantile", "1.5", "--out", tmp.toString());
        assertEquals(2, q.code());
        assertTrue(q.err().contains("--quantile 1.5"), q.err());
    }

    @Test
    void aBoardTooSmallExitsOneWithTheNumbers(@TempDir Path tmp) throws Exception {
        Path boards = tmp.resolve("boards.json");
        Files.writeString(boards, """
                {"boards": [{"id": "tiny", "name": "Tiny", "mcu": "T0", "core": "Cortex-M0+", "clockMhz": 16,
                  "flashBytes": 2097152, "sramBytes": 18432, "fpu": "none"}]}
                """);
        CliTest.Run r = CliTest.run("demo", "--boards", boards.toString(), "--board", "tiny", "--rows", "3000", "--anomalies", "1",
                "--epochs", "1", "--quiet", "--out", tmp.resolve("out").toString());
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("tiny") && r.err().contains("18,432"), r.err());
    }
}
