package dev.minnow.cli;

import dev.minnow.conformance.CorpusCase;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.ModelFormatException;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.testkit.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.minnow.cli.CliTest.model;
import static dev.minnow.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code minnow run}: the user's inputs in raw, .npy and CSV form, outputs printed or written, every error named. */
class RunCommandTest {
    static final String HELLO_FLOAT = "models/tflm-hello_world_float", HELLO_INT8 = "models/tflm-hello_world_int8";

    static byte[] golden(String id, String file) throws Exception {
        return Files.readAllBytes(Corpus.require().resolve(id).resolve(file));
    }

    /** Each case's first input set, run from its raw files, gives TFLM's output bytes; TFLM's rejections exit 1. */
    @Test
    void reproducesTflmOnTheFirstInputSetOfEveryCorpusCase(@TempDir Path tmp) throws Exception {
        List<String> wrong = new ArrayList<>();
        int ran = 0, rejected = 0;
        for (CorpusCase c : Corpus.cases()) {
            if (Corpus.isKnownFailure(c)) continue;
            if (c.expectsError()) {
                // TFLM keeps no inputs for the models it rejects: feed the lowest bytes, as the conformance runner does
                rejected++;
                List<String> args = new ArrayList<>(List.of("run", c.model().toString()));
                try {
                    SubgraphInfo g = Model.load(c.model()).mainSubgraph();
                    for (int k = 0; k < g.inputs().length; k++) {
                        byte[] b = new byte[(int) g.tensor(g.inputs()[k]).byteSize()];
                        Arrays.fill(b, (byte) 0x80);
                        args.add("--input=" + Files.write(tmp.resolve(c.id() + "-input_" + k + ".bin"), b));
                    }
                } catch (ModelFormatException e) {
                    // malformed: run must refuse it before looking at inputs
                }
                CliTest.Run r = run(args.toArray(String[]::new));
                if (r.code() != 1) wrong.add(c.dir() + ": TFLM rejects it, run exited " + r.code() + " " + r.err());
                continue;
            }
            if (c.sets().isEmpty()) continue;
            CorpusCase.InputSet set = c.sets().get(0);
            Path out = tmp.resolve(c.id() + "-" + set.id());
            List<String> args = new ArrayList<>(List.of("run", c.model().toString(), "--output", out.toString(), "--format", "raw"));
            for (String in : set.inputs()) args.add("--input=" + c.dir().resolve(in));
            CliTest.Run r = run(args.toArray(String[]::new));
            ran++;
            if (r.code() != 0) {
                wrong.add(c.dir() + ": exit " + r.code() + " " + r.err());
                continue;
            }
            for (int k = 0; k < set.outputs().size(); k++) {
                byte[] expected = Files.readAllBytes(c.dir().resolve(set.outputs().get(k)));
                byte[] actual = Files.readAllBytes(out.resolve("output_" + k + ".bin"));
                if (!Arrays.equals(expected, actual)) wrong.add(c.dir() + " output " + k + " differs from TFLM's");
            }
        }
        assertTrue(ran > 700 && rejected > 100, ran + " run, " + rejected + " rejected");
        assertTrue(wrong.isEmpty(), wrong.size() + " cases:\n" + String.join("\n", wrong));
    }

    @Test
    void printsFloatOutputs() throws Exception {
        Path m = model(HELLO_FLOAT);
        CliTest.Run r = run("run", m.toString(), "-i", m.getParent().resolve("set_9/input_0.bin").toString());
        assertEquals(0, r.code(), r.err());
        float expected = ByteBuffer.wrap(golden(HELLO_FLOAT, "set_9/output_0.bin")).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals("output 0 'StatefulPartitionedCall:0' float32 [1, 1]\n  [0] " + expected + "\n", r.out());
    }

    @Test
    void quantizesRealCsvValuesAndPrintsDequantizedAndRawOutputs(@TempDir Path tmp) throws Exception {
        // set_9 of the int8 model is TFLM's golden input -63 (x = 1.57): 1.57 / 0.024480116 = 64.13 -> 64 - 128 = -64,
        // so feed the real value whose quantization is exactly -63 and, separately, -63 as a raw integer
        Path m = model(HELLO_INT8);
        byte[] expected = golden(HELLO_INT8, "set_9/output_0.bin");
        Path real = Files.writeString(tmp.resolve("x.csv"), "x\n" + (65 * 0.024480116f) + "\n");
        Path raw = Files.writeString(tmp.resolve("raw.csv"), "# the stored int8\n-63\n");
        CliTest.Run a = run("run", m.toString(), "--input", real.toString());
        CliTest.Run b = run("run", m.toString(), "--input", raw.toString(), "--raw-values");
        assertEquals(0, a.code(), a.err());
        assertEquals(a.out(), b.out());
        float dequantized = (float) (0.008290957f * (double) (expected[0] - 5));
        assertEquals("output 0 'StatefulPartitionedCall:0' int8 [1, 1]  scale 0.008290957, zero point 5\n"
                + "  real [0] " + dequantized + "\n  raw  [0] " + expected[0] + "\n", a.out());
    }

    @Test
    void npyInAndOut(@TempDir Path tmp) throws Exception {
        Path m = model(HELLO_FLOAT);
        byte[] input = golden(HELLO_FLOAT, "set_3/input_0.bin");
        Path npy = Files.write(tmp.resolve("x.npy"), Npy.write(DataType.FLOAT32, new int[] {1, 1}, input));
        Path out = tmp.resolve("out");
        CliTest.Run r = run("run", m.toString(), "--input", npy.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + out.resolve("output_0.npy") + "  output 0 'StatefulPartitionedCall:0' float32 [1, 1]"), r.out());
        byte[] file = Files.readAllBytes(out.resolve("output_0.npy"));
        Npy.Array a = Npy.parse(file, "output_0.npy");
        assertEquals("<f4", a.descr());
        assertEquals("(1, 1)", a.shapeText());
        assertArrayEquals(golden(HELLO_FLOAT, "set_3/output_0.bin"), a.data());
        String header = new String(file, 10, file[8] & 0xFF, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", header.strip());
        assertEquals(0, (10 + header.length()) % 64, "numpy pads the header to 64 bytes");
    }

    @Test
    void wrongInputsAreNamedWithBothSides(@TempDir Path tmp) throws Exception {
        Path m = model(HELLO_FLOAT);
        String model = m.toString();
        expectUsage(run("run", model), "has 1 input but 0 --input files were given; the model's inputs: input 0 'serving_default_dense_input:0' float32 [1, 1]");
        Path one = Files.write(tmp.resolve("one.bin"), new byte[4]);
        expectUsage(run("run", model, "-i", one.toString(), one.toString()), "has 1 input but 2 --input files were given");
        expectUsage(run("run", model, "-i", tmp.resolve("absent.bin").toString()), "absent.bin: not found");
        expectUsage(run("run", model, "-i", tmp.toString()), tmp + ": is a directory");
        Path three = Files.write(tmp.resolve("three.bin"), new byte[3]);
        expectUsage(run("run", model, "-i", three.toString()), "three.bin: 3 bytes, but input 0 'serving_default_dense_input:0' float32 [1, 1] takes 4 bytes");
        Path f64 = Files.write(tmp.resolve("f64.npy"), Npy.write(DataType.FLOAT64, new int[] {1, 1}, new byte[8]));
        expectUsage(run("run", model, "-i", f64.toString()), "f64.npy: dtype '<f8' (float64) but input 0 'serving_default_dense_input:0' float32 [1, 1] is float32 ('<f4')");
        Path flat = Files.write(tmp.resolve("flat.npy"), Npy.write(DataType.FLOAT32, new int[] {1}, new byte[4]));
        expectUsage(run("run", model, "-i", flat.toString()), "flat.npy: shape (1,) but input 0 'serving_default_dense_input:0' float32 [1, 1] has shape (1, 1)");
        byte[] cut = Npy.write(DataType.FLOAT32, new int[] {1, 1}, new byte[4]);
        Path short_ = Files.write(tmp.resolve("short.npy"), Arrays.copyOf(cut, cut.length - 1));
        expectUsage(run("run", model, "-i", short_.toString()), "short.npy: the header says shape (1, 1) of <f4 (4 bytes) but the file holds 3 bytes of data");
        Path notNpy = Files.write(tmp.resolve("not.npy"), new byte[64]);
        expectUsage(run("run", model, "-i", notNpy.toString()), "not.npy: not a .npy file");
        byte[] fortran = new String(cut, java.nio.charset.StandardCharsets.ISO_8859_1).replace("False", "True ")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path f = Files.write(tmp.resolve("fortran.npy"), fortran);
        expectUsage(run("run", model, "-i", f.toString()), "fortran.npy: fortran_order is True");
        Path two = Files.writeString(tmp.resolve("two.csv"), "1.5,\n");
        expectUsage(run("run", model, "-i", two.toString()), "two.csv line 1, column 2: empty value");
        Path many = Files.writeString(tmp.resolve("many.csv"), "# c\n\n1.5\n2.5\n");
        expectUsage(run("run", model, "-i", many.toString()), "many.csv line 4, column 1: more values than the 1 that input 0 'serving_default_dense_input:0' float32 [1, 1] takes");
        Path typo = Files.writeString(tmp.resolve("typo.csv"), "1.5x\n");
        expectUsage(run("run", model, "-i", typo.toString()), "typo.csv line 1, column 1: '1.5x' is not a number");
        Path none = Files.writeString(tmp.resolve("none.csv"), "value\n");
        expectUsage(run("run", model, "-i", none.toString()), "none.csv: 0 values, but input 0 'serving_default_dense_input:0' float32 [1, 1] takes 1 (line 1 was taken as a header");
        Path binary = Files.write(tmp.resolve("binary.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        expectUsage(run("run", model, "-i", binary.toString()), "binary.csv line 1: not UTF-8 text");
    }

    @Test
    void quantizedCsvValuesAreCheckedAndClampedWithAWarning(@TempDir Path tmp) throws Exception {
        String model = model(HELLO_INT8).toString();
        Path big = Files.writeString(tmp.resolve("big.csv"), "300\n");
        expectUsage(run("run", model, "-i", big.toString(), "--raw-values"), "big.csv line 1, column 1: 300 is outside int8's range [-128, 127]");
        Path frac = Files.writeString(tmp.resolve("frac.csv"), "1.5\n");
        expectUsage(run("run", model, "-i", frac.toString(), "--raw-values"), "frac.csv line 1, column 1: '1.5' is not an integer");
        Path nan = Files.writeString(tmp.resolve("nan.csv"), "nan\n");
        expectUsage(run("run", model, "-i", nan.toString()), "nan.csv line 1, column 1: 'nan' is not a finite number");
        CliTest.Run clamped = run("run", model, "-i", big.toString());
        assertEquals(0, clamped.code(), clamped.err());
        assertTrue(clamped.err().contains("warning: " + big + ": 1 of 1 values lie outside what input 0 'serving_default_dense_input:0' int8 [1, 1] can represent"), clamped.err());
        Path top = Files.writeString(tmp.resolve("top.csv"), "127\n");
        assertEquals(run("run", model, "-i", top.toString(), "--raw-values").out(), clamped.out(), "300 clamps to the largest int8, 127");
    }

    @Test
    void theModelMustAllocateAndTheArenaMustFit(@TempDir Path tmp) throws Exception {
        Path m = model(HELLO_FLOAT);
        String in = m.getParent().resolve("set_0/input_0.bin").toString();
        CliTest.Run small = run("run", m.toString(), "-i", in, "--arena=1099");
        assertEquals(1, small.code(), small.err());
        assertTrue(small.err().contains("cannot be allocated: arena size is too small for all buffers: needed 1100 bytes but only 1099"), small.err());
        assertEquals(0, run("run", m.toString(), "-i", in, "--arena=1100").code());
        assertEquals(1, run("run", m.toString(), "-i", in, "--arena=1100", "--target", "host64").code(), "host64 needs 1608");
        expectUsage(run("run", m.toString(), "-i", in, "--arena=-1"), "--arena must be 0 (size to fit) or a positive number of bytes, got -1");
        CliTest.Run vela = run("run", model("models/tflm-person_detect_vela").toString(), "-i", in);
        assertEquals(1, vela.code());
        assertTrue(vela.err().contains("cannot be allocated: operator CUSTOM:ethos-u version 1 (node 0) is not supported"), vela.err());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        expectUsage(run("run", m.toString(), "-i", in, "-o", file.toString()), file + ": exists and is not a directory");
    }

    static void expectUsage(CliTest.Run r, String message) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertTrue(r.err().contains(message), "expected '" + message + "' in: " + r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals("", r.out());
    }
}
