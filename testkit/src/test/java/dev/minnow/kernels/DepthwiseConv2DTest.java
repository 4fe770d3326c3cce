package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.minnow.kernels.KernelTests.*;
import static dev.minnow.writer.LeArrays.*;

/**
 * DEPTHWISE_CONV_2D: what TFLM accepts and rejects where minnow once differed. The audit behind these tests is in this
 * package's package-info.
 */
class DepthwiseConv2DTest {

    // int16 activations with 64-bit accumulators: MultiplyByQuantizedMultiplier(int64_t ...) asserts shift < 8
    @Test
    void int16DepthwiseWithInt64AccumulatorsRejectsAnEffectiveScaleOf128OrMore() {
        ModelWriter d = new ModelWriter();
        int in = d.addTensor("in", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f, 0));
        int w = d.addConstant("w", DataType.INT8, new int[] {1, 1, 1, 1}, q(1f, 0), new byte[] {1});
        int bias = d.addConstant("bias", DataType.INT64, new int[] {1}, q(1f, 0), longs(0));
        int out = d.addTensor("out", DataType.INT16, new int[] {1, 2, 2, 1}, q(1f / 512, 0));
        d.addOperator("DEPTHWISE_CONV_2D", 1, new int[] {in, w, bias}, new int[] {out}, "DepthwiseConv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1, "depthMultiplier", 1));
        rejects(d.setInputs(in).setOutputs(out), "shift >= -31 && shift < 8");
    }

    // TFLM's float and int8 conv-like kernels read the bias bytes as float / int32 without a type check
    @Test
    void int8DepthwiseStillRejectsABiasNarrowerThanTheInt32TflmReads() {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 1, 1, 2}, q(1f, 0));
        int w = b.addConstant("w", DataType.INT8, new int[] {1, 1, 1, 2}, q(1f, 0), new byte[] {1, 1});
        int bias = b.addConstant("bias", DataType.INT16, new int[] {2}, q(1f, 0), new byte[4]);
        int out = b.addTensor("out", DataType.INT8, new int[] {1, 1, 1, 2}, q(1f, 0));
        b.addOperator("DEPTHWISE_CONV_2D", 1, new int[] {in, w, bias}, new int[] {out}, "DepthwiseConv2DOptions",
                Map.of("padding", 1, "strideH", 1, "strideW", 1, "depthMultiplier", 1));
        rejects(b.setInputs(in).setOutputs(out), "bias type INT16", "2-byte elements");
    }
}
