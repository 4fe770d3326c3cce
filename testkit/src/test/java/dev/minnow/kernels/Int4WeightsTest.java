package dev.minnow.kernels;

import dev.minnow.MinnowException;
import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packed int4 weights, wherever TFLM's reference kernels unpack them at the corpus commit: FULLY_CONNECTED, CONV_2D
 * and DEPTHWISE_CONV_2D (int8 activations; two weights per byte, the low nibble first) give exactly what the same
 * model with the weights unpacked to int8 gives. No other reference kernel unpacks int4: TRANSPOSE_CONV requires its
 * filter to have the input's type, so an int4 filter is refused as TFLM refuses it (BATCH_MATMUL and
 * EMBEDDING_LOOKUP likewise have no int4 path in TFLM's reference kernels).
 */
class Int4WeightsTest {
    private static final Quantization ACT = new Quantization(new float[] {0.5f}, new long[] {-3}, 0);
    private static final Quantization OUT = new Quantization(new float[] {24f}, new long[] {5}, 0);

    /** Weights in -8..7, packed two per byte with the even element in the low nibble. */
    private static byte[] pack(byte[] w) {
        byte[] p = new byte[(w.length + 1) / 2];
        for (int i = 0; i < w.length; i++) p[i / 2] |= (byte) ((w[i] & 0xF) << (4 * (i & 1)));
        return p;
    }

    private static byte[] weights(Random r, int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) w[i] = (byte) (r.nextInt(16) - 8);
        return w;
    }

    private static byte[] run(String op, String options, Map<String, Object> opts, int[] inShape, int[] filterShape,
                              Quantization filterQ, int[] outShape, byte[] w, boolean int4, byte[] input) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.INT8, inShape, ACT);
        int f = int4 ? b.addConstant("w", DataType.INT4, filterShape, filterQ, pack(w))
                : b.addConstant("w", DataType.INT8, filterShape, filterQ, w);
        int out = b.addTensor("out", DataType.INT8, outShape, OUT);
        int bias = -1;
        if (!op.equals("FULLY_CONNECTED")) {   // a zero int32 bias per output channel (the depthwise kernel needs one)
            int channels = outShape[outShape.length - 1];
            float[] s = new float[channels];
            Arrays.fill(s, 0.125f);
            bias = b.addConstant("bias", DataType.INT32, new int[] {channels}, new Quantization(s, new long[channels], 0),
                    new byte[4 * channels]);
        }
        b.addOperator(op, 1, new int[] {in, f, bias}, new int[] {out}, options, opts);
        b.setInputs(in).setOutputs(out);
        Interpreter it = new Interpreter(Model.load(b.build()));
        it.allocateTensors();
        it.getInputTensor(0).copyFrom(input);
        it.invoke();
        byte[] y = it.getOutputTensor(0).toByteArray();
        assertTrue(distinct(y) > y.length / 3, op + " outputs are mostly saturated: " + Arrays.toString(y));
        return y;
    }

    private static long distinct(byte[] y) {
        java.util.Set<Byte> s = new java.util.HashSet<>();
        for (byte v : y) s.add(v);
        return s.size();
    }

    private static Quantization perChannel(int channels, int dim) {
        float[] s = new float[channels];
        Arrays.fill(s, 0.25f);
        return new Quantization(s, new long[channels], dim);
    }

    @Test
    void packedInt4WeightsEqualTheirUnpackedInt8Twins() {
        Random r = new Random(4);
        byte[] x = new byte[2 * 5 * 5 * 3];
        r.nextBytes(x);
        // FULLY_CONNECTED: per-tensor int4 weights [4, 7] (an odd count of nibbles per row)
        byte[] fcIn = Arrays.copyOf(x, 2 * 7);
        byte[] fw = weights(r, 4 * 7);
        Map<String, Object> fcOpts = opts("fusedActivationFunction", 0);
        Quantization perTensor = new Quantization(new float[] {0.25f}, new long[] {0}, 0);
        assertArrayEquals(run("FULLY_CONNECTED", "FullyConnectedOptions", fcOpts, new int[] {2, 7}, new int[] {4, 7}, perTensor,
                        new int[] {2, 4}, fw, false, fcIn),
                run("FULLY_CONNECTED", "FullyConnectedOptions", fcOpts, new int[] {2, 7}, new int[] {4, 7}, perTensor,
                        new int[] {2, 4}, fw, true, fcIn));
        // CONV_2D: [2, 3, 3, 3] filter, per-channel
        byte[] cw = weights(r, 2 * 3 * 3 * 3);
        Map<String, Object> convOpts = opts("padding", 1, "strideW", 1, "strideH", 1, "fusedActivationFunction", 0,
                "dilationWFactor", 1, "dilationHFactor", 1);
        byte[] convIn = Arrays.copyOf(x, 5 * 5 * 3);
        assertArrayEquals(run("CONV_2D", "Conv2DOptions", convOpts, new int[] {1, 5, 5, 3}, new int[] {2, 3, 3, 3}, perChannel(2, 0),
                        new int[] {1, 3, 3, 2}, cw, false, convIn),
                run("CONV_2D", "Conv2DOptions", convOpts, new int[] {1, 5, 5, 3}, new int[] {2, 3, 3, 3}, perChannel(2, 0),
                        new int[] {1, 3, 3, 2}, cw, true, convIn));
        // DEPTHWISE_CONV_2D: [1, 3, 3, 3] filter, depth multiplier 1
        byte[] dw = weights(r, 3 * 3 * 3);
        Map<String, Object> dwOpts = opts("padding", 1, "strideW", 1, "strideH", 1, "depthMultiplier", 1,
                "fusedActivationFunction", 0, "dilationWFactor", 1, "dilationHFactor", 1);
        assertArrayEquals(run("DEPTHWISE_CONV_2D", "DepthwiseConv2DOptions", dwOpts, new int[] {1, 5, 5, 3}, new int[] {1, 3, 3, 3},
                        perChannel(3, 3), new int[] {1, 3, 3, 3}, dw, false, convIn),
                run("DEPTHWISE_CONV_2D", "DepthwiseConv2DOptions", dwOpts, new int[] {1, 5, 5, 3}, new int[] {1, 3, 3, 3},
                        perChannel(3, 3), new int[] {1, 3, 3, 3}, dw, true, convIn));
    }

    @Test
    void transposeConvRefusesInt4FiltersAsTflmDoes() {
        ModelWriter b = new ModelWriter();
        byte[] shape = new byte[16];
        int[] outShape = {1, 4, 4, 2};
        for (int i = 0; i < 4; i++) shape[4 * i] = (byte) outShape[i];
        int os = b.addConstant("output_shape", DataType.INT32, new int[] {4}, null, shape);
        int f = b.addConstant("w", DataType.INT4, new int[] {2, 3, 3, 1}, perChannel(2, 0), new byte[9]);
        int in = b.addTensor("in", DataType.INT8, new int[] {1, 2, 2, 1}, ACT);
        int out = b.addTensor("out", DataType.INT8, outShape, OUT);
        b.addOperator("TRANSPOSE_CONV", 1, new int[] {os, f, in}, new int[] {out}, "TransposeConvOptions",
                opts("padding", 0, "strideW", 2, "strideH", 2));
        b.setInputs(in).setOutputs(out);
        MinnowException e = assertThrows(MinnowException.class, () -> new Interpreter(Model.load(b.build())).allocateTensors());
        assertTrue(e.getMessage().contains("INT4") || e.getMessage().contains("int4"), e.getMessage());
    }

    private static Map<String, Object> opts(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
