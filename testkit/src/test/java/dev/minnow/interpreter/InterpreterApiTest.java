package dev.minnow.interpreter;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.Tensor;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.SubgraphWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ReadOnlyBufferException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.minnow.interpreter.InterpreterTest.PLUS_ONE;
import static dev.minnow.interpreter.InterpreterTest.chain;
import static dev.minnow.interpreter.InterpreterTest.with;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The traps issue 10 found in the Interpreter API, one test each: run() must check shapes (not only element counts),
 * refuse boxed and unsupported Java types clearly, take ByteBuffers as TFLite does, close for good, throw on unknown
 * names, expose signatures and timing, use one exception family per mistake and never hand out the arena.
 */
class InterpreterApiTest {

    /** The case: a [1, 640] float32 model whose output is its input plus one. */
    private static Interpreter wide() {
        Interpreter interp = new Interpreter(chain(1, new int[] {1, 640}), with(PLUS_ONE, "ADD"));
        interp.allocateTensors();
        return interp;
    }

    private static IllegalArgumentException refused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) assertTrue(e.getMessage().contains(p), () -> "'" + p + "' missing from: " + e.getMessage());
        return e;
    }

    private static float[][] ramp(int rows, int cols) {
        float[][] a = new float[rows][cols];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) a[r][c] = r * cols + c;
        return a;
    }

    @Test
    void runRefusesAnOutputArrayOfAnotherShapeInsteadOfTruncating() {
        try (Interpreter interp = wide()) {
            float[][] in = ramp(1, 640);
            refused(() -> interp.run(in, new float[1][1]), "output 0", "'t1'", "[1, 640]", "[1, 1]");
            refused(() -> interp.run(in, new float[0][1]), "output 0", "'t1'", "[1, 640]", "[0, ?]");
            refused(() -> interp.run(in, new float[1][641]), "[1, 640]", "[1, 641]");
            refused(() -> interp.run(in, new float[1]), "[1, 640]", "[1]");
            refused(() -> interp.run(in, new float[641]), "[1, 640]", "[641]");
            float[][] out = new float[1][640];
            interp.run(in, out);
            assertEquals(640f, out[0][639]);
            float[] flat = new float[640];                       // a flat array of the element count is accepted
            interp.run(in, flat);
            assertEquals(1f, flat[0]);
            assertEquals(640f, flat[639]);
        }
    }

    @Test
    void runChecksTheInputShapeNotOnlyTheElementCount() {
        try (Interpreter interp = wide()) {
            float[][] out = new float[1][640];
            refused(() -> interp.run(ramp(640, 1), out), "input 0", "'t0'", "[1, 640]", "[640, 1]");
            refused(() -> interp.run(ramp(2, 320), out), "[1, 640]", "[2, 320]");
            refused(() -> interp.run(new float[1][1][640], out), "[1, 640]", "[1, 1, 640]");
            interp.run(ramp(1, 640)[0], out);                     // flat with the element count: accepted
            assertEquals(2f, out[0][1]);
        }
    }

    @Test
    void aRaggedArrayWithTheRightElementCountIsRefused() {
        try (Interpreter interp = new Interpreter(chain(1, new int[] {2, 3}), with(PLUS_ONE, "ADD"))) {
            float[][] ragged = {{1, 2, 3, 4}, {5, 6}};          // 6 elements, but not [2, 3]
            refused(() -> interp.run(ragged, new float[2][3]), "input 0", "[2, 3]", "[2, 4]");
            float[][] shortRow = {{1, 2, 3}, {4, 5}};
            refused(() -> interp.run(shortRow, new float[2][3]), "ragged", "[1] has length 2, expected 3");
            float[][] nullRow = {{1, 2, 3}, null};
            refused(() -> interp.run(nullRow, new float[2][3]), "ragged", "[1] is null");
            float[][] outRagged = {new float[3], new float[2]};
            refused(() -> interp.run(ramp(2, 3), outRagged), "output 0", "ragged");
        }
    }

    @Test
    void boxedAndUnsupportedJavaTypesGiveAClearIllegalArgumentException() {
        try (Interpreter interp = new Interpreter(chain(1, new int[] {4}), with(PLUS_ONE, "ADD"))) {
            float[] out = new float[4];
            refused(() -> interp.run(new Float[] {1f, 2f, 3f, 4f}, out), "input 0", "Float", "boxed", "float[4]");
            refused(() -> interp.run(new float[4], new Float[4]), "output 0", "Float", "boxed");
            refused(() -> interp.run(new Float[][] {{1f, 2f, 3f, 4f}}, out), "Float", "boxed");
            refused(() -> interp.run(new double[4], out), "float32", "double", "float[4]");
            refused(() -> interp.run(new int[4], out), "float32", "int", "float[4]");
            refused(() -> interp.run(new byte[16], out), "float32", "byte");
            refused(() -> interp.run("1,2,3,4", out), "input 0", "java.lang.String");
            refused(() -> interp.run(1.5f, out), "input 0", "scalar Float", "[4]");
            refused(() -> interp.run(null, out), "input 0 is null");
            refused(() -> interp.run(new float[4], null), "output 0 is null");
            refused(() -> interp.run(FloatBuffer.allocate(4), out), "HeapFloatBuffer", "ByteBuffer");
            refused(() -> interp.runForMultipleInputsOutputs(null, Map.of()), "inputs is null");
            refused(() -> interp.runForMultipleInputsOutputs(new Object[] {new float[4]}, Map.of(3, out)), "output 3 out of range");
            refused(() -> interp.run(new String[] {"a", "b", "c", "d"}, out), "String");
        }
    }

    @Test
    void nothingIsCopiedOrInvokedWhenAnOutputIsRefused() {
        try (Interpreter interp = new Interpreter(chain(1, new int[] {2}), with(PLUS_ONE, "ADD"))) {
            interp.run(new float[] {1, 2}, new float[2]);
            Long before = interp.getLastNativeInferenceDurationNanoseconds();
            refused(() -> interp.run(new float[] {7, 8}, new float[3]), "[2]", "[3]");
            assertEquals(before, interp.getLastNativeInferenceDurationNanoseconds(), "no invoke after a refused output");
            float[] in = new float[2];
            interp.getInputTensor(0).copyTo(in);
            assertArrayEquals(new float[] {1, 2}, in, "the input was not overwritten");
        }
    }

    @Test
    void byteBuffersDirectAndHeapInLittleEndianOrder() {
        try (Interpreter interp = new Interpreter(chain(1, new int[] {1, 4}), with(PLUS_ONE, "ADD"))) {
            for (boolean direct : new boolean[] {true, false}) {
                ByteBuffer in = (direct ? ByteBuffer.allocateDirect(16) : ByteBuffer.allocate(16)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < 4; i++) in.putFloat(i);
                in.rewind();
                ByteBuffer out = (direct ? ByteBuffer.allocateDirect(20) : ByteBuffer.allocate(20)).order(ByteOrder.LITTLE_ENDIAN);
                out.position(4);
                interp.run(in, out);
                assertEquals(0, in.position(), "the input buffer is left where it was");
                assertEquals(20, out.position(), "the output is written at the position, advancing it");
                for (int i = 0; i < 4; i++) assertEquals(i + 1f, out.getFloat(4 + 4 * i));
            }
            ByteBuffer big = ByteBuffer.allocate(16);                 // Java's default order: BIG_ENDIAN
            for (int i = 0; i < 4; i++) big.putFloat(4 * i, i);
            refused(() -> interp.run(big, new float[1][4]), "input 0", "BIG_ENDIAN", "LITTLE_ENDIAN");
            ByteBuffer le = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            refused(() -> interp.run(le.duplicate().order(ByteOrder.LITTLE_ENDIAN), ByteBuffer.allocate(16)), "output 0", "BIG_ENDIAN");
            ByteBuffer filled = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 4; i++) filled.putFloat(i);            // position 16: not rewound
            refused(() -> interp.run(filled, new float[1][4]), "16 bytes", "0 remaining", "rewind()");
            refused(() -> interp.run(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN), new float[1][4]), "16 bytes", "12 remaining");
            refused(() -> interp.run(le, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)), "16 bytes", "room for 8");
            refused(() -> interp.run(le, ByteBuffer.allocate(16).asReadOnlyBuffer()), "read-only");
        }
    }

    @Test
    void tensorCopiesTakeTheSameLittleEndianRule() {
        try (Interpreter interp = new Interpreter(chain(1, new int[] {4}), with(PLUS_ONE, "ADD"))) {
            interp.allocateTensors();
            refused(() -> interp.getInputTensor(0).copyFrom(ByteBuffer.allocate(16)), "BIG_ENDIAN");
            refused(() -> interp.getOutputTensor(0).copyTo(ByteBuffer.allocate(16)), "BIG_ENDIAN");
        }
    }

    @Test
    void unknownInputAndOutputNamesThrowLikeTfLite() {
        try (Interpreter interp = new Interpreter(chain(2, new int[] {2}), with(PLUS_ONE, "ADD"))) {
            assertEquals(0, interp.getInputIndex("t0"));
            assertEquals(0, interp.getOutputIndex("t2"));
            refused(() -> interp.getInputIndex("t2"), "no input named 't2'", "[t0]");
            refused(() -> interp.getOutputIndex("nope"), "no output named 'nope'", "[t2]");
        }
    }

    @Test
    void closeMakesEveryLaterCallFailIncludingTensorsTakenBefore() {
        Interpreter interp = wide();
        Tensor in = interp.getInputTensor(0);
        Tensor out = interp.getOutputTensor(0);
        interp.run(ramp(1, 640), new float[1][640]);
        interp.close();
        List<Executable> calls = List.of(
                interp::allocateTensors, interp::invoke, interp::reset, interp::resetVariableTensors,
                () -> interp.run(ramp(1, 640), new float[1][640]),
                () -> interp.runForMultipleInputsOutputs(new Object[] {ramp(1, 640)}, Map.of()),
                () -> interp.getInputTensor(0), () -> interp.getOutputTensor(0), () -> interp.getTensor(0),
                interp::getInputTensorCount, interp::getOutputTensorCount, interp::getTensorCount, interp::getSubgraphCount,
                () -> interp.getInputIndex("t0"), () -> interp.getOutputIndex("t1"), interp::getSignatureKeys,
                interp::arenaReport, interp::arenaUsedBytes, interp::minimumArenaBytes, () -> interp.nodeWork(0),
                () -> interp.nodeFootprint(0), interp::model, interp::lastInvokeCompleted,
                interp::getLastNativeInferenceDurationNanoseconds,
                () -> in.copyFrom(new float[640]), () -> out.copyTo(new float[640]), out::toByteArray,
                out::asReadOnlyBuffer, () -> out.getFloat(0), () -> in.copyFrom(ByteBuffer.allocate(2560)));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        interp.close(); // closing twice is harmless, as with TFLite
    }

    @Test
    void tensorsHandOutCopiesAndReadOnlyViewsNeverTheArena() {
        try (Interpreter interp = wide()) {
            interp.run(ramp(1, 640), new float[1][640]);
            Tensor out = interp.getOutputTensor(0);
            IllegalStateException e = assertThrows(IllegalStateException.class, out::array);
            assertTrue(e.getMessage().contains("copyTo") && e.getMessage().contains("asReadOnlyBuffer"), e.getMessage());
            ByteBuffer view = out.asReadOnlyBuffer();
            assertTrue(view.isReadOnly());
            assertEquals(2560, view.capacity(), "exactly the tensor's bytes, not the arena");
            assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
            assertEquals(640f, view.getFloat(4 * 639));
            assertThrows(ReadOnlyBufferException.class, () -> view.putFloat(0, 9f));
            byte[] copy = out.toByteArray();
            copy[0] = 99;
            assertEquals(1f, out.getFloat(0), "a copy, not the tensor's memory");
            assertTrue(out.isView());
            assertEquals(640f, out.getFloat(639));
        }
    }

    @Test
    void theSameMistakeRaisesTheSameExceptionOnEveryPath() {
        try (Interpreter interp = new Interpreter(chain(1, new int[] {4}), with(PLUS_ONE, "ADD"))) {
            interp.allocateTensors();
            Tensor in = interp.getInputTensor(0);
            // Too few elements, through the tensor and through run.
            refused(() -> in.copyFrom(new float[3]), "4 elements", "3");
            refused(() -> interp.run(new float[3], new float[4]), "[4]", "[3]");
            // The wrong element type.
            refused(() -> in.copyFrom(new int[4]), "float32", "int32");
            refused(() -> interp.run(new int[4], new float[4]), "float32", "int");
            // Bytes of the wrong size, and an element index out of range.
            refused(() -> in.copyFrom(new byte[15]), "16 bytes", "15");
            refused(() -> in.getFloat(4), "index 4 out of range");
            refused(() -> in.getShort(0), "float32", "2-byte");
            // Calls in the wrong state are IllegalStateExceptions, whatever the path.
            Interpreter fresh = new Interpreter(chain(1, new int[] {4}), with(PLUS_ONE, "ADD"));
            assertThrows(IllegalStateException.class, fresh::arenaReport);
            assertThrows(IllegalStateException.class, fresh::reset);
            assertThrows(IllegalStateException.class, () -> fresh.getInputTensor(0).copyFrom(new float[4]));
            assertThrows(IllegalStateException.class, () -> fresh.getOutputTensor(0).toByteArray());
        }
    }

    @Test
    void lastInferenceDurationIsNullBeforeTheFirstInvokeAndMeasuredAfter() {
        try (Interpreter interp = new Interpreter(chain(3, new int[] {64}), with(PLUS_ONE, "ADD"))) {
            assertNull(interp.getLastNativeInferenceDurationNanoseconds());
            interp.allocateTensors();
            assertNull(interp.getLastNativeInferenceDurationNanoseconds());
            interp.run(new float[64], new float[64]);
            Long first = interp.getLastNativeInferenceDurationNanoseconds();
            assertNotNull(first);
            assertTrue(first > 0, "duration " + first);
        }
    }

    /**
     * Two signatures: "serving_default" on the main subgraph (x + 1) and "plus_two" on subgraph 1 (a + 2), which
     * no node calls.
     */
    private static Model signed() {
        ModelWriter b = new ModelWriter();
        b.main();
        int x = b.addTensor("serving_default_x:0", DataType.FLOAT32, new int[] {1, 3}, null);
        int y = b.addTensor("StatefulPartitionedCall:0", DataType.FLOAT32, new int[] {1, 3}, null);
        b.addOperator("ADD", 1, new int[] {x}, new int[] {y}, null, null);
        b.setInputs(x).setOutputs(y);
        SubgraphWriter sub = b.addSubgraph("plus_two");
        int sa = sub.addTensor("a", DataType.FLOAT32, new int[] {2}, null);
        int sm = sub.addTensor("m", DataType.FLOAT32, new int[] {2}, null);
        int sb = sub.addTensor("b", DataType.FLOAT32, new int[] {2}, null);
        sub.addOperator("ADD", 1, new int[] {sa}, new int[] {sm}, null, null);
        sub.addOperator("ADD", 1, new int[] {sm}, new int[] {sb}, null, null);
        sub.setInputs(sa).setOutputs(sb);
        b.addSignature("serving_default", 0, Map.of("x", x), Map.of("output_0", y));
        b.addSignature("plus_two", sub.index(), Map.of("a", sa), Map.of("b", sb));
        return Model.load(b.build());
    }

    @Test
    void signaturesAreListedAndRunByKey() {
        try (Interpreter interp = new Interpreter(signed(), with(PLUS_ONE, "ADD"))) {
            assertArrayEquals(new String[] {"serving_default", "plus_two"}, interp.getSignatureKeys());
            assertArrayEquals(new String[] {"x"}, interp.getSignatureInputs("serving_default"));
            assertArrayEquals(new String[] {"output_0"}, interp.getSignatureOutputs("serving_default"));
            assertArrayEquals(new String[] {"a"}, interp.getSignatureInputs("plus_two"));
            assertArrayEquals(new String[] {"b"}, interp.getSignatureOutputs("plus_two"));

            float[][] y = new float[1][3];
            Map<String, Object> outputs = new HashMap<>();
            outputs.put("output_0", y);
            interp.runSignature(Map.of("x", new float[][] {{1, 2, 3}}), outputs, "serving_default");
            assertArrayEquals(new float[] {2, 3, 4}, y[0]);

            float[] b = new float[2];
            interp.runSignature(Map.of("a", new float[] {10, 20}), Map.of("b", b), "plus_two");
            assertArrayEquals(new float[] {12, 22}, b);
            float[] again = new float[2];
            interp.getOutputTensorFromSignature("b", "plus_two").copyTo(again);
            assertArrayEquals(new float[] {12, 22}, again);
            assertArrayEquals(new int[] {1, 3}, interp.getInputTensorFromSignature("x", "serving_default").shape());

            refused(() -> interp.runSignature(Map.of("x", new float[1][3]), Map.of()), "2 signatures", "serving_default", "plus_two");
            refused(() -> interp.runSignature(Map.of(), Map.of(), "nope"), "no signature 'nope'", "[serving_default, plus_two]");
            refused(() -> interp.runSignature(Map.of("y", new float[3]), Map.of(), "serving_default"), "no input 'y'", "[x]");
            refused(() -> interp.runSignature(Map.of(), Map.of(), "serving_default"), "needs inputs [x]");
            refused(() -> interp.runSignature(Map.of("x", new float[3]), Map.of("b", new float[3]), "serving_default"), "no output 'b'", "[output_0]");
            refused(() -> interp.runSignature(Map.of("x", new float[3][1]), Map.of(), "serving_default"), "input 'x'", "[1, 3]", "[3, 1]");
            refused(() -> interp.getSignatureInputs("nope"), "no signature 'nope'");
            refused(() -> interp.getInputTensorFromSignature("q", "plus_two"), "no input 'q'", "[a]");
        }
    }

    @Test
    void theOnlySignatureIsTheDefaultAndAModelWithoutSignaturesSaysSo() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        b.addOperator("ADD", 1, new int[] {x}, new int[] {y}, null, null);
        b.setInputs(x).setOutputs(y);
        byte[] unsigned = b.build();
        b.addSignature("serving_default", 0, Map.of("in", x), Map.of("out", y));
        try (Interpreter interp = new Interpreter(Model.load(b.build()), with(PLUS_ONE, "ADD"))) {
            float[] out = new float[2];
            interp.runSignature(Map.of("in", new float[] {5, 6}), Map.of("out", out));
            assertArrayEquals(new float[] {6, 7}, out);
            assertArrayEquals(new String[] {"in"}, interp.getSignatureInputs(null));
        }
        try (Interpreter interp = new Interpreter(Model.load(unsigned), with(PLUS_ONE, "ADD"))) {
            assertEquals(0, interp.getSignatureKeys().length);
            refused(() -> interp.runSignature(Map.of(), Map.of()), "no signatures");
        }
    }

    @Test
    void boolAndScalarTensorsTakeTheirJavaTypes() {
        OpKernel copy = node -> {
            Tensor in = node.input(0), out = node.output(0);
            return () -> System.arraycopy(in.array(), in.offset(), out.array(), out.offset(), in.numBytes());
        };
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.BOOL, new int[] {2, 2}, null);
        int y = b.addTensor("y", DataType.BOOL, new int[] {2, 2}, null);
        b.addOperator("ADD", 1, new int[] {x}, new int[] {y}, null, null);
        b.setInputs(x).setOutputs(y);
        try (Interpreter interp = new Interpreter(Model.load(b.build()), with(copy, "ADD"))) {
            boolean[][] out = new boolean[2][2];
            interp.run(new boolean[][] {{true, false}, {false, true}}, out);
            assertArrayEquals(new boolean[] {true, false}, out[0]);
            assertArrayEquals(new boolean[] {false, true}, out[1]);
            byte[] raw = new byte[4];                               // bool's raw bytes are accepted too
            interp.run(new byte[][] {{0, 1}, {1, 1}}, raw);
            assertArrayEquals(new byte[] {0, 1, 1, 1}, raw);
            refused(() -> interp.run(new int[][] {{1, 0}, {0, 1}}, out), "bool", "boolean[2][2]");
        }
        ModelWriter s = new ModelWriter();
        int sx = s.addTensor("x", DataType.INT32, new int[0], null);
        int sy = s.addTensor("y", DataType.INT32, new int[0], null);
        s.addOperator("ADD", 1, new int[] {sx}, new int[] {sy}, null, null);
        s.setInputs(sx).setOutputs(sy);
        try (Interpreter interp = new Interpreter(Model.load(s.build()), with(copy, "ADD"))) {
            int[] out = new int[1];
            interp.run(42, out);
            assertEquals(42, out[0]);
            refused(() -> interp.run(42L, out), "int32", "long");
        }
    }

    @Test
    void arenaFiguresAreTflmsAndTheirNamesSayWhichIsWhich() {
        int declared = 64 * 1024;
        try (Interpreter interp = new Interpreter(chain(4, new int[] {1, 640}), with(PLUS_ONE, "ADD").setArenaSize(declared))) {
            interp.allocateTensors();
            long used = interp.arenaUsedBytes();
            long minimum = interp.minimumArenaBytes();
            assertEquals(declared, new InterpreterOptions().setArenaSize(declared).arenaSize());
            assertTrue(used <= declared, "used " + used + " of the declared " + declared);
            assertTrue(minimum <= used, "minimum " + minimum + " <= used " + used);
            assertTrue(used >= 2 * 2560, "two 2560-byte activations are alive at once: " + used);
            assertEquals(interp.arenaReport().usedBytes(), used);
        }
    }
}
