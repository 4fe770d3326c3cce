package dev.minnow.interpreter;

import dev.minnow.writer.LeArrays;
import dev.minnow.MinnowException;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.SubgraphWriter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hostile models of issue 11, each a reproducer: whatever a model declares, loading, allocating and invoking it
 * end in a {@link MinnowException} that names the problem, never a hang, an {@code Error}, a raw runtime exception
 * or a write outside a tensor.
 */
class HostileModelTest {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** Load, allocate and invoke must end in a MinnowException whose cause, if any, is one too (no missed check). */
    static MinnowException rejectedByACheck(byte[] model, InterpreterOptions options) {
        MinnowException e = assertTimeoutPreemptively(DEADLINE, () -> assertThrows(MinnowException.class, () -> {
            Interpreter it = new Interpreter(Model.load(model), options);
            it.allocateTensors();
            it.invoke();
        }));
        for (Throwable c0 = e.getCause(); c0 != null; c0 = c0.getCause()) {
            Throwable c = c0;
            assertTrue(c instanceof MinnowException, () -> "a check was missed; the catch-all caught " + c + " (" + e.getMessage() + ")");
        }
        return e;
    }

    static MinnowException rejectedByACheck(byte[] model) { return rejectedByACheck(model, new InterpreterOptions()); }

    static void messageNames(MinnowException e, String... words) {
        for (String w : words) assertTrue(e.getMessage().contains(w), () -> "'" + w + "' not in: " + e.getMessage());
    }

    // ---- reduction outputs that do not match the reduction ----

    private static byte[] reduce(String op, DataType type, int[] in, int[] axes, int[] out, boolean keepDims) {
        ModelWriter b = new ModelWriter();
        Quantization q = type == DataType.FLOAT32 ? null : new Quantization(new float[] {0.5f}, new long[] {0}, 0);
        int x = b.addTensor("in", type, in, q);
        int a = b.addConstant("axes", DataType.INT32, new int[] {axes.length}, null, LeArrays.ints(axes));
        int y = b.addTensor("out", type, out, q);
        b.addOperator(op, 1, new int[] {x, a}, new int[] {y}, "ReducerOptions", Map.of("keepDims", keepDims));
        return b.setInputs(x).setOutputs(y).build();
    }

    @Test
    void floatMeanIntoAnOutputSmallerThanTheReductionIsRejected() {
        // MEAN over axis 1 of [3,1,16] makes 48 values; the declared output holds 1
        messageNames(rejectedByACheck(reduce("MEAN", DataType.FLOAT32, new int[] {3, 1, 16}, new int[] {1}, new int[] {1}, false)),
                "MEAN", "node 0", "48", "1");
        messageNames(rejectedByACheck(reduce("SUM", DataType.FLOAT32, new int[] {3, 1, 16}, new int[] {1}, new int[] {1}, false)),
                "SUM", "48");
    }

    @Test
    void quantizedMeanIntoAnOutputSmallerThanTheReductionIsRejected() {
        messageNames(rejectedByACheck(reduce("MEAN", DataType.INT8, new int[] {3, 1, 16}, new int[] {1}, new int[] {1}, false)),
                "MEAN", "48");
        messageNames(rejectedByACheck(reduce("SUM", DataType.INT16, new int[] {3, 2, 16}, new int[] {1}, new int[] {2}, false)),
                "SUM", "48");
    }

    @Test
    void reductionsWithZeroElementOutputsAreRejected() {
        rejectedByACheck(reduce("MEAN", DataType.FLOAT32, new int[] {3, 1, 16}, new int[] {1}, new int[] {0}, false));
        rejectedByACheck(reduce("SUM", DataType.FLOAT32, new int[] {4}, new int[] {0}, new int[] {0}, true));
    }

    @Test
    void aMatchingReductionStillRuns() {
        assertDoesNotThrow(() -> {
            Interpreter it = new Interpreter(Model.load(reduce("MEAN", DataType.FLOAT32, new int[] {3, 1, 16}, new int[] {1},
                    new int[] {3, 16}, false)));
            it.allocateTensors();
            it.invoke();
        });
    }

    // ---- checks the interpreter's catch-all used to make ----

    private static Quantization q(float scale) { return new Quantization(new float[] {scale}, new long[] {0}, 0); }

    private static byte[] depthwise(int[] inShape, int[] filterShape, int quantizedDimension) {
        ModelWriter b = new ModelWriter();
        int channels = filterShape[3];
        float[] scales = new float[Math.max(channels, 1)];
        java.util.Arrays.fill(scales, 0.25f);
        Quantization perChannel = new Quantization(scales, new long[scales.length], quantizedDimension);
        int x = b.addTensor("x", DataType.INT8, inShape, q(0.5f));
        int f = b.addConstant("f", DataType.INT8, filterShape, perChannel, new byte[Math.max(0, filterShape[0] * filterShape[1] * filterShape[2] * channels)]);
        int bias = b.addConstant("b", DataType.INT32, new int[] {channels}, new Quantization(scales, new long[scales.length], 0), new byte[4 * channels]);
        int o = b.addTensor("o", DataType.INT8, new int[] {1, 2, 2, Math.max(channels, 1)}, q(1f));
        b.addOperator("DEPTHWISE_CONV_2D", 1, new int[] {x, f, bias}, new int[] {o}, "DepthwiseConv2DOptions",
                Map.of("padding", 1, "strideW", 1, "strideH", 1, "depthMultiplier", 1, "dilationWFactor", 1, "dilationHFactor", 1));
        return b.setInputs(x).setOutputs(o).build();
    }

    @Test
    void depthwiseWithANegativeQuantizedDimensionIsRejected() {
        messageNames(rejectedByACheck(depthwise(new int[] {1, 3, 3, 2}, new int[] {1, 2, 2, 2}, -1)), "DEPTHWISE_CONV_2D", "-1");
    }

    @Test
    void depthwiseWithAZeroFilterDimensionIsRejected() {
        messageNames(rejectedByACheck(depthwise(new int[] {1, 3, 3, 2}, new int[] {0, 2, 2, 2}, 3)), "DEPTHWISE_CONV_2D", "[0, 2, 2, 2]");
        // a filter of height or width 0 has no taps: the output is the bias, nothing is read out of bounds
        assertDoesNotThrow(() -> {
            Interpreter it = new Interpreter(Model.load(depthwise(new int[] {1, 3, 3, 2}, new int[] {1, 0, 2, 2}, 3)));
            it.allocateTensors();
            it.invoke();
        });
    }

    @Test
    void conv2dWithInputDepthZeroIsRejected() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {1, 3, 3, 0}, null);
        int f = b.addConstant("f", DataType.FLOAT32, new int[] {2, 2, 2, 0}, null, new byte[0]);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {1, 2, 2, 2}, null);
        b.addOperator("CONV_2D", 1, new int[] {x, f, -1}, new int[] {o}, "Conv2DOptions",
                Map.of("padding", 1, "strideW", 1, "strideH", 1, "dilationWFactor", 1, "dilationHFactor", 1));
        messageNames(rejectedByACheck(b.setInputs(x).setOutputs(o).build()), "CONV_2D", "0");
    }

    @Test
    void splitWithZeroOutputsIsRejected() {
        ModelWriter b = new ModelWriter();
        int ax = b.addConstant("ax", DataType.INT32, new int[] {1}, null, LeArrays.ints(0));
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {4}, null);
        b.addOperator("SPLIT", 1, new int[] {ax, x}, new int[0], "SplitOptions", Map.of("numSplits", 0));
        messageNames(rejectedByACheck(b.setInputs(x).setOutputs().build()), "SPLIT");
    }

    private static byte[] argMax(int[] inShape, int axis, int[] outShape) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, inShape, null);
        int ax = b.addConstant("axis", DataType.INT32, new int[] {1}, null, LeArrays.ints(axis));
        int out = b.addTensor("out", DataType.INT32, outShape, null);
        b.addOperator("ARG_MAX", 1, new int[] {in, ax}, new int[] {out}, "ArgMaxOptions", Map.of("outputType", 2));
        return b.setInputs(in).setOutputs(out).build();
    }

    @Test
    void argMaxOverAnEmptyInputOrAxisIsRejected() {
        messageNames(rejectedByACheck(argMax(new int[] {2, 0, 3}, 1, new int[] {2, 3})), "ARG_MAX");
        messageNames(rejectedByACheck(argMax(new int[] {0}, 0, new int[] {1})), "ARG_MAX");
    }

    @Test
    void anOperatorWritingAConstantTensorIsRejected() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {4}, null);
        int c = b.addConstant("table", DataType.FLOAT32, new int[] {4}, null, LeArrays.floats(1, 2, 3, 4));
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {c}, "AddOptions", Map.of("fusedActivationFunction", 0));
        messageNames(rejectedByACheck(b.setInputs(x).setOutputs(c).build()), "ADD", "node 0", "constant", "table");
    }

    @Test
    void assignVariableWithAnOmittedValueIsRejectedByTheKernel() {
        // found by the fuzzer: the arena's resource-variable plan read tensor -1 before ASSIGN_VARIABLE's prepare ran
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {4}, null);
        int h = b.addTensor("handle", DataType.RESOURCE, new int[] {1}, null);
        b.addOperator("VAR_HANDLE", 1, new int[0], new int[] {h}, "VarHandleOptions", Map.of("sharedName", "v"));
        b.addOperator("ASSIGN_VARIABLE", 1, new int[] {h, -1}, new int[0], null, null);
        messageNames(rejectedByACheck(b.setInputs(x).setOutputs(x).build()), "ASSIGN_VARIABLE");
    }

    @Test
    void aCheckNoKernelMakesStillNamesTheNodeItsTensorsAndKeepsTheCause() {
        // a warmed-up JVM throws ArrayIndexOutOfBoundsException without a message; the node's shapes give the numbers
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {3, 1, 16}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {1}, null);
        b.addOperator("ABS", 1, new int[] {x}, new int[] {o}, null, null);
        byte[] model = b.setInputs(x).setOutputs(o).build();
        for (boolean inPrepare : new boolean[] {true, false}) {
            RuntimeException raw = new ArrayIndexOutOfBoundsException();
            OpResolver resolver = code -> dev.minnow.runtime.OpDescriptor.custom("broken", node -> {
                if (inPrepare) throw raw;
                return () -> { throw raw; };
            });
            Interpreter it = new Interpreter(Model.load(model), new InterpreterOptions().setOpResolver(resolver));
            var e = assertThrows(dev.minnow.runtime.KernelException.class, () -> { it.allocateTensors(); it.invoke(); });
            assertTrue(e.getCause() == raw, "the cause is kept");
            messageNames(e, "ABS (node 0)", inPrepare ? "cannot be prepared" : "failed during invoke", "ArrayIndexOutOfBoundsException",
                    "float32[3, 1, 16]", "float32[1]");
        }
    }

    @Test
    void aPackedInt4ConstantReadsAsItsBufferBytes() {
        // found by the fuzzer (seed 11, mutant 715,338): a model output naming an INT4 constant of 7 x 18 elements held
        // 63 packed bytes but reported 126, and toByteArray() threw ArrayIndexOutOfBoundsException
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {4}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {4}, null);
        byte[] packed = new byte[63];
        for (int i = 0; i < packed.length; i++) packed[i] = (byte) (i * 37);
        int w = b.addConstant("w", DataType.INT4, new int[] {7, 18}, q(0.5f), packed);
        b.addOperator("ADD", 1, new int[] {x, x}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        Interpreter it = new Interpreter(Model.load(b.setInputs(x).setOutputs(o, w).build()));
        it.allocateTensors();
        it.invoke();
        org.junit.jupiter.api.Assertions.assertArrayEquals(packed, it.getOutputTensor(1).toByteArray());
        org.junit.jupiter.api.Assertions.assertEquals(63, it.getTensor(w).numBytes());
    }
}
