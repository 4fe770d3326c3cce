package dev.minnow.kernels;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * CONV_2D: what TFLM accepts and rejects where minnow once differed, and how it reads odd inputs. The audit behind
 * these tests is in this package's package-info.
 */
class Conv2DTest {

    // int16 activations with 64-bit accumulators: MultiplyByQuantizedMultiplier(int64_t ...) asserts shift < 8
    @Test
    void int16ConvWithInt64AccumulatorsRejectsAnEffectiveScaleOf128OrMore() {
        ModelWriter c = new ModelWriter();
        int in = c.addTensor("in", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f, 0));
        int w = c.addConstant("w", DataType.INT8, new int[] {1, 1, 1, 1}, q(1f, 0), new byte[] {1});
        int out = c.addTensor("out", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f / 512, 0));
        c.addOperator("CONV_2D", 1, new int[] {in, w}, new int[] {out}, "Conv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1));
        rejects(c.setInputs(in).setOutputs(out), "shift >= -31 && shift < 8");
    }

    // TFLM's float and int8 conv-like kernels read the bias bytes as float / int32 without a type check
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

    // padding: ComputePaddingHeightWidthChecked leaves both paddings 0 once either dimension is invalid
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
}
