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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What each kernel of ops ABS..MUL accepts and rejects, audited against TFLM's kernels at 90b983c (every
 * TF_LITE_ENSURE*, TFLITE_DCHECK and unsupported-type return in Init/Prepare/Eval and the reference_ops they call).
 * One test per difference found; the behaviours below were checked and already matched:
 * <ul>
 * <li>ABS: float32/int8/int16; int8 (and quantized int16) need affine quantization on both sides, int16 zero points 0;
 *     unquantized int16 is std::abs.</li>
 * <li>ADD: int8/int16 need a quantized output, int32 inputs must be unquantized, other output types rejected;
 *     activation range from the output quantization (Quantize overflow check included).</li>
 * <li>ARG_MAX/ARG_MIN: float32/int8 input, int32 axis and output (TFLM rejects int64 at invoke), axis in range.</li>
 * <li>AVERAGE_POOL_2D/MAX_POOL_2D: float32/int8/int16; |in scale - out scale| <= 1e-6 and equal zero points; 4-D,
 *     matching batches and depth.</li>
 * <li>CAST: inputs int8/int16/int32/uint32/float32/bool, outputs int8/int16/int32/uint32/float32, equal flat sizes.</li>
 * <li>CONCATENATION: no activation; float32/int8/int16/int32/int64/bool; at most 10 inputs of rank <= 6; int8 inputs
 *     share the output scale (compared as doubles) and zero point; int16 zero points 0; shapes agree off the axis.</li>
 * <li>CONV_2D: input type == output type; float/float, int16/int8, int8/int8|int4 (else "Hybrid models");
 *     quantized filters affine with 1 or output-channels scales; int16 bias int32/int64 (else invoke error).</li>
 * <li>DEPTHWISE_CONV_2D: affine int8 filter, scale count 1 or channels, hybrid check, depth_multiplier relation,
 *     bias flat size == output depth even without a bias (DCHECK).</li>
 * <li>DEQUANTIZE: int8/int16/uint8 in, float32 out.</li>
 * <li>DIV: all types equal; float32/int32/int8; int32 inputs unquantized; zero divisor fails the invoke.</li>
 * <li>EXPAND_DIMS: constant int32 axis of rank <= 1, output shape checked dimension by dimension.</li>
 * <li>FLOOR: float32 only.</li>
 * <li>FULLY_CONNECTED: input type == output type, filter type per input type, per-channel scales == filter
 *     dimension, bias scale within 2% of input*filter scale per tensor.</li>
 * <li>GATHER: int32 positions, float32/int8 data, axis and batch_dims ranges, batch dimensions equal.</li>
 * <li>HARD_SWISH: float32/int8, output multiplier exponent <= 0.</li>
 * <li>LEAKY_RELU: input type == output type, float32/int8/int16.</li>
 * <li>LOGISTIC: int8 output zero point -128; int16 zero points 0 and output scale 2^-15.</li>
 * <li>MAXIMUM/MINIMUM: float32/int8/int16/int32/int64, broadcast.</li>
 * <li>MEAN: int32 axis, float32/int8/int16, axis values in range.</li>
 * <li>MUL: int16 zero points 0; int32 any quantization; activation ranges.</li>
 * </ul>
 * Known and left as they are (TFLM's behaviour there is undefined or reads past a tensor, or the case is contrived):
 * inputs/outputs of a narrower type than TFLM reads them as; ADD with equal-shaped inputs whose output shape differs
 * but has as many elements; MEAN of a rank-0 input (TFLM skips the axis, minnow rejects the axis: shared Reduce);
 * data-dependent aborts (GATHER positions from a runtime tensor, int8 DIV's RoundingDivideByPOT exponent > 31),
 * which fail at invoke instead; output types TFLM overwrites in Prepare (GATHER, EXPAND_DIMS).
 */
class AcceptanceAuditAtoMTest {

    private static Quantization q(float scale, long zeroPoint) {
        return new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
    }

    private static byte[] ints(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) b.putInt(x);
        return b.array();
    }

    private static Interpreter allocate(ModelWriter b) {
        Interpreter interp = new Interpreter(Model.load(b.build()));
        interp.allocateTensors();
        return interp;
    }

    private static void assertRejected(ModelWriter b, String... fragments) {
        MinnowException e = assertThrows(MinnowException.class, () -> allocate(b));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' should mention '" + f + "'");
        }
    }

    // ---- FULLY_CONNECTED ----

    private static ModelWriter fc(long filterZeroPoint, int weightsFormat) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 4}, q(0.5f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {2, 4}, q(0.25f, filterZeroPoint), new byte[] {1, 2, 3, 4, -1, -2, -3, -4});
        int bias = b.addConstant("bias", DataType.INT32, new int[] {2}, q(0.125f, 0), ints(0, 0));
        int out = b.addTensor("out", DataType.INT8, new int[] {1, 2}, q(0.125f, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w, bias}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0, "weightsFormat", weightsFormat));
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void fullyConnectedRejectsAFilterZeroPointAsTflmsDebugBuildAborts() {
        // fully_connected_common.cc: TFLITE_DCHECK(filter->params.zero_point == 0)
        assertRejected(fc(3, 0), "filter->params.zero_point == 0", "3");
    }

    @Test
    void fullyConnectedIgnoresTheWeightsFormatLikeTflm() {
        // TFLM's micro kernel never reads weights_format: a "shuffled" format runs as the default one
        Interpreter i = allocate(fc(0, 1));
        byte[] out = new byte[2];
        i.runForMultipleInputsOutputs(new Object[] {new byte[] {1, 1, 1, 1}}, Map.of(0, out));
        // sum(w) = 10 and -10 at input*filter scale 0.125 on an output scale of 0.125
        assertArrayEquals(new byte[] {10, -10}, out);
    }

    // ---- ARG_MAX / ARG_MIN ----

    private static ModelWriter argMax(String op, int[] inShape, int axis, int[] outShape) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, inShape, null);
        int ax = b.addConstant("axis", DataType.INT32, new int[] {1}, null, ints(axis));
        int out = b.addTensor("out", DataType.INT32, outShape, null);
        b.addOperator(op, 1, new int[] {in, ax}, new int[] {out}, op.equals("ARG_MAX") ? "ArgMaxOptions" : "ArgMinOptions",
                Map.of("outputType", 2));
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void argMaxRejectsAnOutputThatIsNotTheInputShapeWithoutTheAxis() {
        // arg_min_max.h: TFLITE_DCHECK_EQ(input1_shape.Dims(i), output_shape.Dims(i)) (and Dims(i - 1) after the axis)
        assertRejected(argMax("ARG_MAX", new int[] {2, 3, 4}, 1, new int[] {2, 5}), "input dimension 2 (4) != output dimension 1 (5)");
        assertRejected(argMax("ARG_MIN", new int[] {2, 3, 4}, -1, new int[] {3, 3}), "input dimension 0 (2) != output dimension 0 (3)");
        allocate(argMax("ARG_MAX", new int[] {2, 3, 4}, 1, new int[] {2, 4}));
    }

    // ---- LOGISTIC ----

    private static ModelWriter logistic16(float inputScale) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {4}, q(inputScale, 0));
        int out = b.addTensor("out", DataType.INT16, new int[] {4}, q(1f / 32768, 0));
        b.addOperator("LOGISTIC", 1, new int[] {in}, new int[] {out}, null, null);
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void int16LogisticRejectsAnInputScaleWhoseTableMultiplierExceeds32767() {
        // logistic_common.cc: TFLITE_DCHECK_LE(data->input_multiplier, 32767); 3.0 * 4096 * 3 = 36864
        assertRejected(logistic16(3.0f), "data->input_multiplier <= 32767", "36864");
        allocate(logistic16(2.5f)); // 30720 fits
    }

    // ---- EXP ----

    @Test
    void expRejectsAnOutputShapeThatOnlyMatchesInElementCount() {
        // exp.cc: TF_LITE_ENSURE_EQ(output->dims->size, input->dims->size) and every dimension equal
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {2, 3}, null);
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {6}, null);
        b.addOperator("EXP", 1, new int[] {in}, new int[] {out}, null, null);
        assertRejected(b.setInputs(in).setOutputs(out), "output shape [6] != input shape [2, 3]");
    }

    // ---- GATHER ----

    @Test
    void gatherRejectsConstantPositionsOutsideTheAxis() {
        // gather.cc: TFLITE_DCHECK_LT(coords_data[coord], axis_size), known at allocation when the positions are constant
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {3, 2}, null);
        int pos = b.addConstant("pos", DataType.INT32, new int[] {2}, null, ints(1, 3));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {2, 2}, null);
        b.addOperator("GATHER", 1, new int[] {in, pos}, new int[] {out}, "GatherOptions", Map.of("axis", 0, "batchDims", 0));
        assertRejected(b.setInputs(in).setOutputs(out), "constant position 3", "[0, 3)");
    }

    // ---- ADD ----

    private static ModelWriter add(DataType t, long zp1, int[] shape2) {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", t, new int[] {2, 2}, q(0.5f, zp1));
        int y = b.addTensor("y", t, shape2, q(0.5f, 0));
        int o = b.addTensor("o", t, new int[] {2, 2}, q(1f, 0));
        b.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        return b.setInputs(x, y).setOutputs(o);
    }

    @Test
    void addRejectsZeroPointsTheReferenceKernelsDcheck() {
        // integer_ops/add.h CheckArithmeticParams: int8 zero points within [-128, 127]
        assertRejected(add(DataType.INT8, 200, new int[] {2, 2}), "input 1 zero point 200");
        // add.h AddGeneralParamScale: -32767 < -zero point < 32767 for element-wise int16
        assertRejected(add(DataType.INT16, 32767, new int[] {2, 2}), "input 1 zero point 32767");
        assertRejected(add(DataType.INT16, -32768, new int[] {2, 2}), "input 1 zero point -32768");
        // the int16 broadcast path has no such check
        allocate(add(DataType.INT16, 32767, new int[] {1}));
        allocate(add(DataType.INT16, 32766, new int[] {2, 2}));
    }

    // ---- int16 activations with 64-bit accumulators: MultiplyByQuantizedMultiplier(int64_t ...) asserts shift < 8 ----

    private static byte[] longs(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    private static ModelWriter fc16(DataType biasType, float outputScale) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT16, new int[] {1, 2}, q(1f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {1, 2}, q(1f, 0), new byte[] {1, 1});
        int bias = biasType == DataType.INT64 ? b.addConstant("bias", biasType, new int[] {1}, q(1f, 0), longs(0))
                : b.addConstant("bias", biasType, new int[] {1}, q(1f, 0), ints(0));
        int out = b.addTensor("out", DataType.INT16, new int[] {1, 1}, q(outputScale, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w, bias}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        return b.setInputs(in).setOutputs(out);
    }

    @Test
    void int16FullyConnectedWithAnInt64AccumulatorRejectsAnEffectiveScaleOf128OrMore() {
        // effective scale 1 * 1 / (1/256) = 256 = 2^8 -> shift 9
        assertRejected(fc16(DataType.INT64, 1f / 256), "shift >= -31 && shift < 8", "shift 9");
        allocate(fc16(DataType.INT64, 1f / 64));   // 64: shift 7
        allocate(fc16(DataType.INT32, 1f / 256));  // int32 accumulator: the int32 overload has no such check
    }

    @Test
    void int16ConvAndDepthwiseWithInt64AccumulatorsRejectAnEffectiveScaleOf128OrMore() {
        ModelWriter c = new ModelWriter();
        int in = c.addTensor("in", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f, 0));
        int w = c.addConstant("w", DataType.INT8, new int[] {1, 1, 1, 1}, q(1f, 0), new byte[] {1});
        int out = c.addTensor("out", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f / 512, 0));
        c.addOperator("CONV_2D", 1, new int[] {in, w}, new int[] {out}, "Conv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1));
        assertRejected(c.setInputs(in).setOutputs(out), "shift >= -31 && shift < 8");

        ModelWriter d = new ModelWriter();
        in = d.addTensor("in", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f, 0));
        w = d.addConstant("w", DataType.INT8, new int[] {1, 1, 1, 1}, q(1f, 0), new byte[] {1});
        int bias = d.addConstant("bias", DataType.INT64, new int[] {1}, q(1f, 0), longs(0));
        out = d.addTensor("out", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f / 512, 0));
        d.addOperator("DEPTHWISE_CONV_2D", 1, new int[] {in, w, bias}, new int[] {out}, "DepthwiseConv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1, "depthMultiplier", 1));
        assertRejected(d.setInputs(in).setOutputs(out), "shift >= -31 && shift < 8");
    }

    @Test
    void floatFullyConnectedNeedsAsManyFilterRowsAsOutputs() {
        // reference fully_connected.h (float): MatchingDim(weights_shape, rows, output_shape, depth) DCHECKs equality;
        // the int8 kernel only DCHECKs output depth <= rows and stays accepted
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, 2}, null);
        int w = b.addConstant("w", DataType.FLOAT32, new int[] {3, 2}, null, new byte[24]);
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {1, 2}, null);
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        assertRejected(b.setInputs(in).setOutputs(out), "filter has 3 rows, float output depth is 2");

        ModelWriter q8 = new ModelWriter();
        in = q8.addTensor("in", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        w = q8.addConstant("w", DataType.INT8, new int[] {3, 2}, q(1f, 0), new byte[6]);
        out = q8.addTensor("out", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        q8.addOperator("FULLY_CONNECTED", 1, new int[] {in, w}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        allocate(q8.setInputs(in).setOutputs(out));
    }

    // ---- bias types: TFLM's float/int8 conv-like kernels read the bias bytes as float/int32 without a type check ----

    @Test
    void int8FullyConnectedReadsAnInt64BiasAsInt32WordsLikeTflm() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {2, 2}, q(1f, 0), new byte[] {1, 1, 1, 1});
        int bias = b.addConstant("bias", DataType.INT64, new int[] {2}, q(1f, 0), longs(5, 7));
        int out = b.addTensor("out", DataType.INT8, new int[] {1, 2}, q(1f, 0));
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, w, bias}, new int[] {out}, "FullyConnectedOptions",
                Map.of("fusedActivationFunction", 0));
        Interpreter i = allocate(b.setInputs(in).setOutputs(out));
        byte[] o = new byte[2];
        i.runForMultipleInputsOutputs(new Object[] {new byte[] {1, 2}}, Map.of(0, o));
        // GetOptionalTensorData<int32_t>: bias[0] is the low word of 5, bias[1] its high word (0)
        assertArrayEquals(new byte[] {8, 3}, o);
    }

    @Test
    void floatConvReadsAnInt32BiasAsFloatBitsLikeTflm() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, 1, 1, 1}, null);
        int w = b.addConstant("w", DataType.FLOAT32, new int[] {1, 1, 1, 1}, null,
                ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(2f).array());
        int bias = b.addConstant("bias", DataType.INT32, new int[] {1}, null, ints(Float.floatToIntBits(0.5f)));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {1, 1, 1, 1}, null);
        b.addOperator("CONV_2D", 1, new int[] {in, w, bias}, new int[] {out}, "Conv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1));
        Interpreter i = allocate(b.setInputs(in).setOutputs(out));
        float[] o = new float[1];
        i.runForMultipleInputsOutputs(new Object[] {new float[] {3f}}, Map.of(0, o));
        assertArrayEquals(new float[] {6.5f}, o);
    }

    @Test
    void int8DepthwiseStillRejectsABiasNarrowerThanTheInt32TflmReads() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 1, 1, 2}, q(1f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {1, 1, 1, 2}, q(1f, 0), new byte[] {1, 1});
        int bias = b.addConstant("bias", DataType.INT16, new int[] {2}, q(1f, 0), new byte[4]);
        int out = b.addTensor("out", DataType.INT8, new int[] {1, 1, 1, 2}, q(1f, 0));
        b.addOperator("DEPTHWISE_CONV_2D", 1, new int[] {in, w, bias}, new int[] {out}, "DepthwiseConv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1, "depthMultiplier", 1));
        assertRejected(b.setInputs(in).setOutputs(out), "bias type INT16", "2-byte elements");
    }

    // ---- ADD, MAXIMUM, MINIMUM check no input type: inputs are read as the output type ----

    @Test
    void addReadsAMismatchedInputAsTheOutputTypeLikeTflm() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.INT32, new int[] {2}, null);
        int y = b.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        int o = b.addTensor("o", DataType.FLOAT32, new int[] {2}, null);
        b.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        Interpreter i = allocate(b.setInputs(x, y).setOutputs(o));
        float[] out = new float[2];
        i.runForMultipleInputsOutputs(new Object[] {new int[] {Float.floatToIntBits(1.5f), Float.floatToIntBits(-4f)},
                new float[] {2f, 1f}}, Map.of(0, out));
        assertArrayEquals(new float[] {3.5f, -3f}, out);

        // an input narrower than the output would be read past its end
        ModelWriter n = new ModelWriter();
        x = n.addTensor("x", DataType.INT8, new int[] {2}, null);
        y = n.addTensor("y", DataType.FLOAT32, new int[] {2}, null);
        o = n.addTensor("o", DataType.FLOAT32, new int[] {2}, null);
        n.addOperator("ADD", 1, new int[] {x, y}, new int[] {o}, "AddOptions", Map.of("fusedActivationFunction", 0));
        assertRejected(n.setInputs(x, y).setOutputs(o), "narrower than the output type FLOAT32");
    }

    @Test
    void maximumReadsAMismatchedInputAsTheOutputTypeLikeTflm() {
        ModelWriter b = new ModelWriter();
        int x = b.addTensor("x", DataType.INT16, new int[] {2}, null);
        int y = b.addTensor("y", DataType.INT8, new int[] {2}, null);
        int o = b.addTensor("o", DataType.INT8, new int[] {2}, null);
        b.addOperator("MAXIMUM", 1, new int[] {x, y}, new int[] {o}, null, null);
        Interpreter i = allocate(b.setInputs(x, y).setOutputs(o));
        byte[] out = new byte[2];
        // int16 {0x0105, 3} is the bytes 05 01 03 00; read as int8: 5, 1
        i.runForMultipleInputsOutputs(new Object[] {new short[] {0x0105, 3}, new byte[] {2, 4}}, Map.of(0, out));
        assertArrayEquals(new byte[] {5, 4}, out);
    }

    // ---- padding: ComputePaddingHeightWidthChecked leaves both paddings 0 once either dimension is invalid ----

    @Test
    void aZeroStrideRunsWithoutPaddingOnEitherAxisLikeTflm() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, 3, 3, 1}, null);
        ByteBuffer ones = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 9; k++) ones.putFloat(1f);
        int w = b.addConstant("w", DataType.FLOAT32, new int[] {1, 3, 3, 1}, null, ones.array());
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {1, 1, 3, 1}, null);
        // SAME padding, stride_h 0: TFLM's padding helper rejects the height, so the width is not padded either
        b.addOperator("CONV_2D", 1, new int[] {in, w}, new int[] {out}, "Conv2DOptions",
                Map.of("padding", 0, "strideH", 0, "strideW", 1));
        Interpreter i = allocate(b.setInputs(in).setOutputs(out));
        float[] o = new float[3];
        i.runForMultipleInputsOutputs(new Object[] {new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}}, Map.of(0, o));
        assertArrayEquals(new float[] {45, 33, 18}, o);
    }

    @Test
    void gatherAcceptsAnOutputShapeOfAnotherRankWithTheSameElementCount() {
        // GatherPrepare rewrites the output dims itself; only the buffer size, from the model's shape, matters
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {3, 2}, null);
        int pos = b.addConstant("pos", DataType.INT32, new int[] {2}, null, ints(2, 0));
        int out = b.addTensor("out", DataType.FLOAT32, new int[] {4}, null);
        b.addOperator("GATHER", 1, new int[] {in, pos}, new int[] {out}, "GatherOptions", Map.of("axis", 0, "batchDims", 0));
        Interpreter i = allocate(b.setInputs(in).setOutputs(out));
        float[] o = new float[4];
        i.runForMultipleInputsOutputs(new Object[] {new float[] {1, 2, 3, 4, 5, 6}}, Map.of(0, o));
        assertArrayEquals(new float[] {5, 6, 1, 2}, o);
    }
}
