package dev.minnow.interpreter;

import dev.minnow.arena.ArenaTooSmallException;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.runtime.OpKernel;
import dev.minnow.runtime.PreparedOp;
import dev.minnow.runtime.Tensor;
import dev.minnow.util.LittleEndian;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.SubgraphWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interpreter mechanics with test kernels, independent of the real kernels. */
class InterpreterTest {

    /** out[i] = in[i] + 1 on float32; registered as "ADD" in these tests. */
    static final OpKernel PLUS_ONE = node -> {
        Tensor in = node.input(0), out = node.output(0);
        return () -> {
            byte[] a = in.array(), o = out.array();
            for (int i = 0; i < in.numElements(); i++) {
                LittleEndian.putFloat(o, out.offset() + 4 * i, LittleEndian.getFloat(a, in.offset() + 4 * i) + 1f);
            }
        };
    };

    /** state += in; out = state (int16), for variable-tensor tests; registered as "SVDF". */
    static final OpKernel ACCUMULATE = node -> {
        Tensor in = node.input(0), state = node.input(1), out = node.output(0);
        return () -> {
            for (int i = 0; i < in.numElements(); i++) {
                short s = (short) (LittleEndian.getShort(state.array(), state.offset() + 2 * i)
                        + LittleEndian.getShort(in.array(), in.offset() + 2 * i));
                LittleEndian.putShort(state.array(), state.offset() + 2 * i, s);
                LittleEndian.putShort(out.array(), out.offset() + 2 * i, s);
            }
        };
    };

    static Model chain(int length, int[] shape) {
        ModelWriter b = new ModelWriter();
        int prev = b.addTensor("t0", DataType.FLOAT32, shape, null);
        int first = prev;
        for (int i = 1; i <= length; i++) {
            int next = b.addTensor("t" + i, DataType.FLOAT32, shape, null);
            b.addOperator("ADD", 1, new int[] {prev}, new int[] {next}, null, null);
            prev = next;
        }
        b.setInputs(first).setOutputs(prev);
        return Model.load(b.build());
    }

    static InterpreterOptions with(OpKernel kernel, String name) {
        return new InterpreterOptions().setOpResolver(BuiltinOpResolver.empty().add(name, kernel));
    }

    @Test
    void runsAChainAndReusesArenaBytesBetweenTensorsThatAreNotAliveTogether() {
        Model model = chain(4, new int[] {2, 3});
        try (Interpreter interp = new Interpreter(model, with(PLUS_ONE, "ADD"))) {
            interp.allocateTensors();
            float[][] in = {{1, 2, 3}, {4, 5, 6}};
            float[][] out = new float[2][3];
            interp.run(in, out);
            assertArrayEquals(new float[] {5, 6, 7}, out[0]);
            assertArrayEquals(new float[] {8, 9, 10}, out[1]);
            // 5 tensors of 24 bytes (32 aligned) but at most two alive at once: the plan needs 2 slots.
            assertEquals(64, interp.arenaReport().headBytes());
            assertEquals(interp.getTensor(0).offset(), interp.getTensor(2).offset());
            assertNotEquals(interp.getTensor(1).offset(), interp.getTensor(2).offset());
        }
    }

    @Test
    void unsupportedOpFailsAtAllocationNamingOpAndVersion() {
        Model model = chain(1, new int[] {4});
        Interpreter interp = new Interpreter(model, new InterpreterOptions().setOpResolver(BuiltinOpResolver.empty()));
        UnsupportedOpException e = assertThrows(UnsupportedOpException.class, interp::allocateTensors);
        assertTrue(e.getMessage().contains("ADD version 1"), e.getMessage());
    }

    @Test
    void arenaOneByteBelowTflmsMinimumFailsWithBothNumbersAndTheMinimumSucceeds() {
        Model model = chain(2, new int[] {16});
        Interpreter fits = new Interpreter(model, with(PLUS_ONE, "ADD"));
        fits.allocateTensors();
        long minimum = fits.minimumArenaBytes();
        assertTrue(minimum > 0 && fits.arenaUsedBytes() > 0);
        Interpreter small = new Interpreter(model, with(PLUS_ONE, "ADD").setArenaSize((int) minimum - 1));
        ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class, small::allocateTensors);
        assertEquals(minimum, e.requiredBytes());
        assertEquals(minimum - 1, e.availableBytes());
        assertTrue(e.getMessage().contains(String.valueOf(minimum)), e.getMessage());
        Interpreter exact = new Interpreter(model, with(PLUS_ONE, "ADD").setArenaSize((int) minimum));
        exact.allocateTensors();
        exact.run(new float[16], new float[16]);
    }

    @Test
    void variableTensorsKeepStateAcrossInvokesAndResetToZero() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {3}, null);
        int state = b.addVariable("state", DataType.INT16, new int[] {3}, null);
        int out = b.addTensor("out", DataType.INT16, new int[] {3}, null);
        b.addOperator("SVDF", 1, new int[] {in, state}, new int[] {out}, null, null).setInputs(in).setOutputs(out);
        Interpreter interp = new Interpreter(Model.load(b.build()), with(ACCUMULATE, "SVDF"));
        short[] result = new short[3];
        interp.run(new short[] {1, 2, 3}, result);
        interp.run(new short[] {1, 2, 3}, result);
        assertArrayEquals(new short[] {2, 4, 6}, result);
        interp.resetVariableTensors();
        interp.run(new short[] {5, 5, 5}, result);
        assertArrayEquals(new short[] {5, 5, 5}, result);
    }

    @Test
    void int8VariablesStartAtTheirZeroPoint() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {2}, null);
        int state = b.addVariable("state", DataType.INT8, new int[] {2}, new Quantization(new float[] {0.5f}, new long[] {-7}, 0));
        int out = b.addTensor("out", DataType.INT8, new int[] {2}, null);
        OpKernel copyState = node -> {
            Tensor s = node.input(1), o = node.output(0);
            return () -> System.arraycopy(s.array(), s.offset(), o.array(), o.offset(), 2);
        };
        b.addOperator("SVDF", 1, new int[] {in, state}, new int[] {out}, null, null).setInputs(in).setOutputs(out);
        Interpreter interp = new Interpreter(Model.load(b.build()), with(copyState, "SVDF"));
        byte[] result = new byte[2];
        interp.run(new byte[] {0, 0}, result);
        assertArrayEquals(new byte[] {-7, -7}, result);
    }

    @Test
    void typedCopiesCheckTypeAndLength() {
        Interpreter interp = new Interpreter(chain(1, new int[] {4}), with(PLUS_ONE, "ADD"));
        interp.allocateTensors();
        Tensor input = interp.getInputTensor(0);
        assertEquals(DataType.FLOAT32, input.dataType());
        assertArrayEquals(new int[] {4}, input.shape());
        IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> input.copyFrom(new int[4]));
        assertTrue(wrongType.getMessage().contains("float32"), wrongType.getMessage());
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class, () -> input.copyFrom(new float[5]));
        assertTrue(wrongLength.getMessage().contains("4 elements"), wrongLength.getMessage());
        ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4; i++) bytes.putFloat(i * 4, i);
        input.copyFrom(bytes);
        interp.invoke();
        float[] out = new float[4];
        interp.getOutputTensor(0).copyTo(out);
        assertArrayEquals(new float[] {1, 2, 3, 4}, out);
    }

    @Test
    void runWithMultipleInputsChecksTheCount() {
        Interpreter interp = new Interpreter(chain(1, new int[] {1}), with(PLUS_ONE, "ADD"));
        assertThrows(IllegalArgumentException.class,
                () -> interp.runForMultipleInputsOutputs(new Object[] {new float[1], new float[1]}, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> interp.getInputTensor(1));
    }

    /**
     * A kernel sees the model's other subgraphs only through its node context: here a stand-in registered as
     * CALL_ONCE copies its input into subgraph 1, runs it on every invoke and copies the result out.
     */
    @Test
    void kernelsRunOtherSubgraphsThroughTheirNodeContext() {
        OpKernel runSubgraph = node -> {
            var graphs = node.subgraphs();
            Tensor in = node.input(0), out = node.output(0), subIn = graphs.input(1, 0), subOut = graphs.output(1, 0);
            assertEquals(2, graphs.subgraphCount());
            return () -> {
                System.arraycopy(in.array(), in.offset(), subIn.array(), subIn.offset(), in.numBytes());
                graphs.invoke(1);
                System.arraycopy(subOut.array(), subOut.offset(), out.array(), out.offset(), out.numBytes());
            };
        };
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        SubgraphWriter sub = b.addSubgraph("plus_two");
        b.addOperator("CALL_ONCE", 1, new int[] {x}, new int[] {y}, "CallOnceOptions", Map.of("initSubgraphIndex", sub.index()));
        int sx = sub.addTensor("x", DataType.FLOAT32, new int[] {2}, null);
        int sa = sub.addTensor("a", DataType.FLOAT32, new int[] {2}, null);
        int sy = sub.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        sub.addOperator("ADD", 1, new int[] {sx}, new int[] {sa}, null, null);
        sub.addOperator("ADD", 1, new int[] {sa}, new int[] {sy}, null, null);
        sub.setInputs(sx).setOutputs(sy);
        b.setInputs(x).setOutputs(y);
        Interpreter interp = new Interpreter(Model.load(b.build()),
                new InterpreterOptions().setOpResolver(BuiltinOpResolver.empty().add("ADD", PLUS_ONE).add("CALL_ONCE", runSubgraph)));
        float[] out = new float[2];
        interp.run(new float[] {1, 5}, out);
        assertArrayEquals(new float[] {3, 7}, out);
        interp.run(new float[] {-1, 0}, out);
        assertArrayEquals(new float[] {1, 2}, out);
        assertEquals(2, interp.getSubgraphCount());
        assertEquals("a", interp.getTensor(1, sa).name());
    }

    @Test
    void resetRestoresVariableTensorsOfEverySubgraph() {
        // Subgraph 1 keeps an int16 accumulator (a variable tensor); resetVariableTensors() clears it as well.
        OpKernel runSubgraph = node -> {
            var graphs = node.subgraphs();
            Tensor in = node.input(0), out = node.output(0), subIn = graphs.input(1, 0), subOut = graphs.output(1, 0);
            return () -> {
                System.arraycopy(in.array(), in.offset(), subIn.array(), subIn.offset(), in.numBytes());
                graphs.invoke(1);
                System.arraycopy(subOut.array(), subOut.offset(), out.array(), out.offset(), out.numBytes());
            };
        };
        ModelWriter b = new ModelWriter();
        b.main(); // subgraph 0 before the ones addSubgraph adds
        int x = b.addTensor("x", DataType.INT16, new int[] {2}, null);
        int y = b.addTensor("y", DataType.INT16, new int[] {2}, null);
        SubgraphWriter sub = b.addSubgraph("accumulate");
        b.addOperator("CALL_ONCE", 1, new int[] {x}, new int[] {y}, "CallOnceOptions", Map.of("initSubgraphIndex", sub.index()));
        int sx = sub.addTensor("x", DataType.INT16, new int[] {2}, null);
        int state = sub.addVariable("state", DataType.INT16, new int[] {2}, null);
        int sy = sub.addTensor("y", DataType.INT16, new int[] {2}, null);
        sub.addOperator("SVDF", 1, new int[] {sx, state}, new int[] {sy}, null, null);
        sub.setInputs(sx).setOutputs(sy);
        b.setInputs(x).setOutputs(y);
        Interpreter interp = new Interpreter(Model.load(b.build()), new InterpreterOptions()
                .setOpResolver(BuiltinOpResolver.empty().add("SVDF", ACCUMULATE).add("CALL_ONCE", runSubgraph)));
        short[] out = new short[2];
        interp.run(new short[] {1, 2}, out);
        interp.run(new short[] {1, 2}, out);
        assertArrayEquals(new short[] {2, 4}, out);
        interp.reset();
        interp.run(new short[] {7, 7}, out);
        assertArrayEquals(new short[] {7, 7}, out);
    }
}
