package dev.minnow.emulator.detect;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** Small models with outputs one can compute by hand, built with the engine's ModelWriter. */
final class TestModels {
    private TestModels() {}

    private static byte[] floats(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    /** float [1, n] -> FULLY_CONNECTED with weights {@code w} (out x n row-major), no bias -> float [1, out]. */
    static Model fc(int n, int out, float[] w) {
        ModelWriter b = new ModelWriter();
        int in = b.addTensor("in", DataType.FLOAT32, new int[] {1, n}, null);
        int wt = b.addConstant("w", DataType.FLOAT32, new int[] {out, n}, null, floats(w));
        int o = b.addTensor("out", DataType.FLOAT32, new int[] {1, out}, null);
        b.addOperator("FULLY_CONNECTED", 1, new int[] {in, wt, -1}, new int[] {o}, "FullyConnectedOptions", Map.of());
        return Model.load(b.setInputs(in).setOutputs(o).build());
    }

    /** An autoencoder that outputs {@code k} times its input (n values). */
    static Model scaledIdentity(int n, float k) {
        float[] w = new float[n * n];
        for (int i = 0; i < n; i++) w[i * n + i] = k;
        return fc(n, n, w);
    }

    /** A forecaster of {@code channels} channels over {@code length} rows that predicts the window's last row. */
    static Model lastRow(int length, int channels) {
        int n = length * channels;
        float[] w = new float[channels * n];
        for (int c = 0; c < channels; c++) w[c * n + (length - 1) * channels + c] = 1f;
        return fc(n, channels, w);
    }

    /** int8 [1, n] input (scale, zero point) -> DEQUANTIZE -> float [1, n]: the output is the quantized input. */
    static Model int8Echo(int n, float scale, int zeroPoint) {
        ModelWriter b = new ModelWriter();
        Quantization q = new Quantization(new float[] {scale}, new long[] {zeroPoint}, 0);
        int in = b.addTensor("in", DataType.INT8, new int[] {1, n}, q);
        int o = b.addTensor("out", DataType.FLOAT32, new int[] {1, n}, null);
        b.addOperator("DEQUANTIZE", 1, new int[] {in}, new int[] {o}, null, Map.of());
        return Model.load(b.setInputs(in).setOutputs(o).build());
    }
}
