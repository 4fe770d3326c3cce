package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What TFLM (90b983c) accepts and rejects for the ops N..Z, checked against its kernel sources: one test per place
 * minnow differed. Behaviours verified to match already (no test):
 * NEG: no Prepare in TFLM; float32 only (Eval); minnow rejects other types at allocation.
 * PACK/UNPACK: no Prepare; Eval types float32/int8/int16/int32 (+int64 for PACK), DCHECKed element counts.
 * PADV2: as PAD (shared Prepare), constant value type/scalar and int8 scale/zero point equality.
 * QUANTIZE: output affine with one scale; input/output type pairs of Prepare and Eval.
 * RESHAPE: 1-2 inputs, 1 output, types equal, element counts equal.
 * RSQRT/SQRT: TFLM's Prepare type check is a no-op (a cast of the type to a function pointer), so unsupported types
 *   fail in Eval; minnow rejects them at allocation; int8/int16 need affine quantization, int16 zero points 0,
 *   inputs below the zero point fail the invoke.
 * SPLIT: constant axis, Eval types float32/int8/int16/int32, output dims DCHECKed.
 * STRIDED_SLICE: rank <= 4, constant begin/end/strides, non-zero strides, CheckOutputSize.
 * SUM: int32 axis, 2 inputs/1 output, types float32/int8/int16 equal in and out, axis range DCHECK.
 * SVDF: every Prepare check incl. int8 bias scale, variable state, rank dividing filters, int8 without bias.
 * TANH: see SigmoidLike (int16 scale rules).
 * TRANSPOSE_CONV: hybrid check, filter affine with 1 or dim-0 scales, 4-D DCHECKs, bias size.
 * UNIDIRECTIONAL_SEQUENCE_LSTM: see LstmRejectTest.
 */
class AcceptanceAuditNtoZTest {

    // ---- helpers ----

    static Quantization q(float scale, int zp) { return new Quantization(new float[] {scale}, new long[] {zp}, 0); }

    static byte[] i32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] i16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putShort((short) x);
        return b.array();
    }

    static byte[] i8(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    /** Allocation must fail with a MinnowException whose message names every word. */
    static void rejects(ModelWriter b, String... words) {
        Interpreter it = new Interpreter(Model.load(b.build()));
        MinnowException e = assertThrows(MinnowException.class, it::allocateTensors);
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "message '" + e.getMessage() + "' should name '" + w + "'");
        }
    }

    /** Allocates, copies the inputs in, invokes and returns output 0. */
    static byte[] run(ModelWriter b, byte[]... inputs) {
        Interpreter it = new Interpreter(Model.load(b.build()));
        assertDoesNotThrow(it::allocateTensors);
        for (int k = 0; k < inputs.length; k++) it.getInputTensor(k).copyFrom(inputs[k]);
        it.invoke();
        return it.getOutputTensor(0).toByteArray();
    }

    // ---- TRANSPOSE ----

    private static ModelWriter transpose(int[] inShape, int[] perm, int[] permShape, boolean constPerm, int[] outShape) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, inShape, null);
        int p = constPerm ? b.addConstant("perm", DataType.INT32, permShape, null, i32(perm))
                : b.addTensor("perm", DataType.INT32, permShape, null);
        int out = b.addTensor("out", DataType.FLOAT32, outShape, null);
        b.addOperator("TRANSPOSE", 1, new int[] {in, p}, new int[] {out}, "TransposeOptions", Map.of());
        return constPerm ? b.setInputs(in).setOutputs(out) : b.setInputs(in, p).setOutputs(out);
    }

    @Test
    void transposeRejectsRankSix() {
        // transpose_common.cc: NumDimensions(input) <= 5; minnow allowed 6.
        rejects(transpose(new int[] {1, 1, 1, 1, 2, 3}, new int[] {0, 1, 2, 3, 5, 4}, new int[] {6}, true,
                new int[] {1, 1, 1, 1, 3, 2}), "1D-5D", "rank 6");
    }

    @Test
    void transposeRejectsNonConstantPerm() {
        rejects(transpose(new int[] {2, 3}, new int[] {1, 0}, new int[] {2}, false, new int[] {3, 2}), "Non-constant >perm<");
    }

    @Test
    void transposeRejectsPermOfRankTwo() {
        rejects(transpose(new int[] {2, 3}, new int[] {1, 0}, new int[] {1, 2}, true, new int[] {3, 2}), "NumDimensions(perm)");
    }

    @Test
    void transposeRunsARepeatedPermLikeTflm() {
        // TFLM checks only that each entry is in [0, rank); perm [1, 1] on [3, 2] walks out[i][j] = in[i + j].
        byte[] out = run(transpose(new int[] {3, 2}, new int[] {1, 1}, new int[] {2}, true, new int[] {2, 2}),
                f32(0, 1, 2, 3, 4, 5));
        assertArrayEquals(f32(0, 1, 1, 2), out);
    }

    // ---- SELECT_V2 ----

    private static ModelWriter select(int[] c, int[] x, int[] y, int[] out) {
        ModelWriter b = new ModelWriter();
        int ci = b.addTensor("c", DataType.BOOL, c, null);
        int xi = b.addTensor("x", DataType.FLOAT32, x, null);
        int yi = b.addTensor("y", DataType.FLOAT32, y, null);
        int o = b.addTensor("out", DataType.FLOAT32, out, null);
        b.addOperator("SELECT_V2", 1, new int[] {ci, xi, yi}, new int[] {o}, "SelectV2Options", Map.of());
        return b.setInputs(ci, xi, yi).setOutputs(o);
    }

    @Test
    void selectV2SameShapedInputsNeedThatOutputShape() {
        // Equal input shapes take reference_ops::Select, whose MatchingFlatSize DCHECKs the output shape too;
        // minnow broadcast [3] to [2, 3].
        rejects(select(new int[] {3}, new int[] {3}, new int[] {3}, new int[] {2, 3}), "MatchingFlatSize");
    }

    @Test
    void selectV2OutputRankIsTheLargestInputRank() {
        rejects(select(new int[] {3}, new int[] {1}, new int[] {3}, new int[] {2, 3}), "out_dims != output_shape->size", "1 != 2");
    }

    @Test
    void selectV2AcceptsMixedScalars() {
        // All four single-element: TFLM selects element 0 whatever the ranks (minnow rejected y of rank 2 > output rank 1).
        byte[] out = run(select(new int[] {1}, new int[] {}, new int[] {1, 1}, new int[] {1}), new byte[] {0}, f32(1), f32(2));
        assertArrayEquals(f32(2), out);
    }

    @Test
    void selectV2BroadcastsUpToEightDimensions() {
        byte[] out = run(select(new int[] {1, 1, 1, 1, 1, 1, 2}, new int[] {2}, new int[] {1}, new int[] {1, 1, 1, 1, 1, 1, 2}),
                new byte[] {1, 0}, f32(5, 6), f32(9));
        assertArrayEquals(f32(5, 9), out);
    }

    // ---- SUB ----

    private static ModelWriter sub(DataType t, int[] sa, Quantization qa, int[] sb, Quantization qb, int[] so, Quantization qo) {
        ModelWriter b = new ModelWriter();
        int a = b.addTensor("a", t, sa, qa), bb = b.addTensor("b", t, sb, qb), o = b.addTensor("out", t, so, qo);
        b.addOperator("SUB", 1, new int[] {a, bb}, new int[] {o}, "SubOptions", Map.of("fusedActivationFunction", 0));
        return b.setInputs(a, bb).setOutputs(o);
    }

    @Test
    void subInt16WithoutBroadcastNeedsZeroInputZeroPoints() {
        // reference_ops::Sub(int16) DCHECKs input1_offset == 0 and input2_offset == 0.
        rejects(sub(DataType.INT16, new int[] {2, 3}, q(0.01f, 3), new int[] {2, 3}, q(0.01f, 0), new int[] {2, 3}, q(0.02f, 0)),
                "input1_offset", "zero points of 0");
        rejects(sub(DataType.INT16, new int[] {3}, q(0.01f, 0), new int[] {1, 3}, q(0.01f, -2), new int[] {1, 3}, q(0.02f, 0)),
                "input2_offset");
        // With a real broadcast TFLM takes BroadcastQuantSubSlow, which has no such check.
        assertDoesNotThrow(() -> run(sub(DataType.INT16, new int[] {2, 3}, q(0.01f, 3), new int[] {1, 3}, q(0.01f, 0),
                new int[] {2, 3}, q(0.02f, 0)), i16(1, 2, 3, 4, 5, 6), i16(1, 1, 1)));
    }

    @Test
    void subInt32OutputMustBeUnquantized() {
        rejects(sub(DataType.INT32, new int[] {3}, null, new int[] {3}, null, new int[] {3}, q(1f, 0)),
                "output->quantization.type");
    }

    @Test
    void subWithoutBroadcastNeedsTheInputsElementCount() {
        // Equal input shapes skip broadcasting; MatchingElementsSize then TFLITE_CHECKs the output count (minnow broadcast).
        rejects(sub(DataType.FLOAT32, new int[] {3}, null, new int[] {3}, null, new int[] {2, 3}, null), "MatchingElementsSize");
        rejects(sub(DataType.INT8, new int[] {3}, q(0.1f, 0), new int[] {1, 3}, q(0.1f, 0), new int[] {2, 3}, q(0.1f, 0)),
                "MatchingElementsSize");
    }

    // ---- SQUARED_DIFFERENCE ----

    @Test
    void squaredDifferenceEqualInputShapesNeedThatOutputShape() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {3}, null), y = b.addTensor("y", DataType.FLOAT32, new int[] {3}, null);
        int o = b.addTensor("out", DataType.FLOAT32, new int[] {2, 3}, null);
        b.addOperator("SQUARED_DIFFERENCE", 1, new int[] {x, y}, new int[] {o}, "SquaredDifferenceOptions", Map.of());
        rejects(b.setInputs(x, y).setOutputs(o), "MatchingFlatSize", "[2, 3]");
    }

    // ---- unary shape rules: SOFTMAX, QUANTIZE, RELU, RELU6, SQUEEZE ----

    private static ModelWriter unary(String op, String optionsType, Map<String, Object> options, DataType ti, int[] si,
                                      Quantization qi, DataType to, int[] so, Quantization qo) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", ti, si, qi), out = b.addTensor("out", to, so, qo);
        b.addOperator(op, 1, new int[] {in}, new int[] {out}, optionsType, options);
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void softmaxOutputShapeMustMatch() {
        // MatchingFlatSizeSkipDim/MatchingDim DCHECK the shapes; minnow compared element counts only.
        rejects(unary("SOFTMAX", "SoftmaxOptions", Map.of("beta", 1f), DataType.FLOAT32, new int[] {2, 3}, null,
                DataType.FLOAT32, new int[] {3, 2}, null), "MatchingFlatSizeSkipDim");
    }

    @Test
    void quantizeFromFloatNeedsEqualShapes() {
        rejects(unary("QUANTIZE", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.INT8, new int[] {3, 2},
                q(0.1f, 0)), "MatchingFlatSize");
        // int8 -> int8 requantization walks the element count only, as TFLM's Requantize.
        assertDoesNotThrow(() -> run(unary("QUANTIZE", null, null, DataType.INT8, new int[] {2, 3}, q(0.1f, 0), DataType.INT8,
                new int[] {3, 2}, q(0.2f, 0)), new byte[6]));
    }

    @Test
    void reluAndRelu6NeedEqualShapes() {
        rejects(unary("RELU", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.FLOAT32, new int[] {6}, null),
                "MatchingFlatSize");
        rejects(unary("RELU6", null, null, DataType.INT8, new int[] {2, 3}, q(0.1f, 0), DataType.INT8, new int[] {3, 2},
                q(0.1f, 0)), "MatchingFlatSize");
    }

    @Test
    void relu6QuantizedSixOverflowsLikeX86() {
        // round(6 / 1e-10) does not fit int32: x86 converts it to INT32_MIN, so TFLM's six clamps to -128 (not 127).
        byte[] out = run(unary("RELU6", null, null, DataType.INT8, new int[] {3}, q(1e-10f, 0), DataType.INT8, new int[] {3},
                q(1e-10f, 0)), i8(-128, 5, 100));
        assertArrayEquals(i8(0, -128, -128), out);
    }

    @Test
    void squeezeKeptDimensionsMustFit() {
        // squeeze.cc TFLITE_CHECK_GE(output dim, input dim) for every kept dimension; the counts alone matched.
        rejects(unary("SQUEEZE", "SqueezeOptions", Map.of("squeezeDims", new int[] {0}), DataType.FLOAT32, new int[] {1, 2, 3},
                null, DataType.FLOAT32, new int[] {3, 2}, null), "smaller than input dimension");
    }

    // ---- PAD ----

    private static ModelWriter pad(DataType t, int[] si, Quantization qi, int[] paddings, int[] so) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", t, si, qi);
        int p = b.addConstant("paddings", DataType.INT32, new int[] {si.length, 2}, null, i32(paddings));
        int out = b.addTensor("out", t, so, qi);
        b.addOperator("PAD", 1, new int[] {in, p}, new int[] {out}, "PadOptions", Map.of());
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void padInt8ZeroPointMustBeInt8() {
        rejects(pad(DataType.INT8, new int[] {2}, q(0.1f, 200), new int[] {1, 1}, new int[] {4}), "zero point 200");
    }

    @Test
    void padAcceptsNegativePaddingsLikeTflm() {
        // Only output_dim == input_dim + before + after is checked; PadImpl pads where out >= 5 - 2 and copies input in order.
        byte[] out = run(pad(DataType.FLOAT32, new int[] {4}, null, new int[] {-1, 2}, new int[] {5}), f32(1, 2, 3, 4));
        assertArrayEquals(f32(1, 2, 3, 0, 0), out);
    }

    // ---- SLICE ----

    @Test
    void sliceConstantBoundsOutOfRangeRejectedAtAllocation() {
        // Offset() DCHECKs the indices: TFLM's debug build aborts, so minnow must not wait for invoke.
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {3}, null);
        int begin = b.addConstant("begin", DataType.INT32, new int[] {1}, null, i32(2));
        int size = b.addConstant("size", DataType.INT32, new int[] {1}, null, i32(2));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {2}, null);
        b.addOperator("SLICE", 1, new int[] {in, begin, size}, new int[] {out}, "SliceOptions", Map.of());
        rejects(b.setInputs(in).setOutputs(out), "out of range");
    }

    @Test
    void tanhAndNegNeedEqualShapes() {
        rejects(unary("TANH", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.FLOAT32, new int[] {3, 2}, null),
                "MatchingFlatSize");
        rejects(unary("NEG", null, null, DataType.FLOAT32, new int[] {2, 3}, null, DataType.FLOAT32, new int[] {6}, null),
                "MatchingFlatSize");
    }

    // ---- PACK ----

    @Test
    void packInputsNeedOnlyEqualCounts() {
        // PackImpl reads outer * copy_size elements of every input; only input 0's count is DCHECKed.
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.FLOAT32, new int[] {2, 3}, null), y = b.addTensor("y", DataType.FLOAT32, new int[] {3, 2}, null);
        int o = b.addTensor("out", DataType.FLOAT32, new int[] {2, 2, 3}, null);
        b.addOperator("PACK", 1, new int[] {x, y}, new int[] {o}, "PackOptions", Map.of("valuesCount", 2, "axis", 0));
        byte[] out = run(b.setInputs(x, y).setOutputs(o), f32(1, 2, 3, 4, 5, 6), f32(7, 8, 9, 10, 11, 12));
        assertArrayEquals(f32(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), out);
    }
}
