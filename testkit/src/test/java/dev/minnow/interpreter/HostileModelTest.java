package dev.minnow.interpreter;

import dev.minnow.MinnowException;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.util.LittleEndian;
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

    static byte[] f32(float... v) {
        byte[] b = new byte[4 * v.length];
        for (int i = 0; i < v.length; i++) LittleEndian.putFloat(b, 4 * i, v[i]);
        return b;
    }

    static byte[] i32(int... v) {
        byte[] b = new byte[4 * v.length];
        for (int i = 0; i < v.length; i++) LittleEndian.putInt(b, 4 * i, v[i]);
        return b;
    }

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
        int a = b.addConstant("axes", DataType.INT32, new int[] {axes.length}, null, i32(axes));
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
}
