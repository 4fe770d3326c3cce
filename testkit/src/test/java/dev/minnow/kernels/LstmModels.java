package dev.minnow.kernels;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.Quantization;
import dev.minnow.writer.ModelWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;

/** Small single-LSTM models built in tests: random weights from a seed, any layout and size. */
final class LstmModels {
    private LstmModels() {}

    enum Variant { FLOAT32, INT8, INT16 }

    /** Tensor indices of interest in a built model. */
    record Built(Model model, int hidden, int cell) {}

    /** A change applied to the model just before the LSTM operator is added (tensor inputs and options). */
    interface Mutator {
        void apply(ModelWriter b, int[] inputs, Map<String, Object> options);
    }

    static Built build(Variant v, long seed, boolean timeMajor, int batch, int steps, int inputDim, int stateDim,
                       float cellClip) {
        return build(v, seed, timeMajor, batch, steps, inputDim, stateDim, cellClip, (b, in, o) -> { });
    }

    static Built build(Variant v, long seed, boolean timeMajor, int batch, int steps, int inputDim, int stateDim,
                       float cellClip, Mutator mutator) {
        Random rnd = new Random(seed);
        ModelWriter b = new ModelWriter();
        int[] inShape = timeMajor ? new int[] {steps, batch, inputDim} : new int[] {batch, steps, inputDim};
        int[] outShape = timeMajor ? new int[] {steps, batch, stateDim} : new int[] {batch, steps, stateDim};
        DataType act = v == Variant.FLOAT32 ? DataType.FLOAT32 : v == Variant.INT8 ? DataType.INT8 : DataType.INT16;
        float inScale = v == Variant.INT16 ? 1f / 4096 : 1f / 64;
        long inZp = v == Variant.INT8 ? 3 : 0;
        float hScale = v == Variant.INT16 ? 1f / 32768 : 1f / 128;
        long hZp = v == Variant.INT8 ? -2 : 0;
        float wScale = 1f / 100;
        Quantization qIn = v == Variant.FLOAT32 ? null : q(inScale, inZp);
        Quantization qH = v == Variant.FLOAT32 ? null : q(hScale, hZp);
        int input = b.addTensor("input", act, inShape, qIn);
        int[] in = new int[24];
        java.util.Arrays.fill(in, -1);
        in[0] = input;
        for (int i = 1; i <= 8; i++) {
            int cols = i <= 4 ? inputDim : stateDim;
            in[i] = weights(b, v, rnd, "w" + i, stateDim, cols, wScale);
        }
        for (int i = 12; i <= 15; i++) {
            float biasScale = inScale * wScale;
            in[i] = bias(b, v, rnd, "b" + i, stateDim, biasScale);
        }
        in[18] = b.addVariable("hidden", act, new int[] {batch, stateDim}, qH);
        DataType cellType = v == Variant.FLOAT32 ? DataType.FLOAT32 : DataType.INT16;
        in[19] = b.addVariable("cell", cellType, new int[] {batch, stateDim},
                v == Variant.FLOAT32 ? null : q(1f / 2048, 0));
        int out = b.addTensor("output", act, outShape, qH);
        Map<String, Object> options = new java.util.HashMap<>(
                Map.of("fusedActivationFunction", 4, "cellClip", cellClip, "timeMajor", timeMajor));
        mutator.apply(b, in, options);
        b.addOperator("UNIDIRECTIONAL_SEQUENCE_LSTM", 1, in, new int[] {out}, "UnidirectionalSequenceLSTMOptions",
                options);
        b.setInputs(input).setOutputs(out);
        return new Built(Model.load(b.build()), in[18], in[19]);
    }

    private static Quantization q(float scale, long zp) {
        return new Quantization(new float[] {scale}, new long[] {zp}, 0);
    }

    private static int weights(ModelWriter b, Variant v, Random rnd, String name, int rows, int cols, float scale) {
        int n = rows * cols;
        if (v == Variant.FLOAT32) {
            ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) bb.putFloat((float) rnd.nextGaussian() * 0.5f);
            return b.addConstant(name, DataType.FLOAT32, new int[] {rows, cols}, null, bb.array());
        }
        byte[] d = new byte[n];
        for (int i = 0; i < n; i++) d[i] = (byte) (rnd.nextInt(255) - 127);
        return b.addConstant(name, DataType.INT8, new int[] {rows, cols}, q(scale, 0), d);
    }

    private static int bias(ModelWriter b, Variant v, Random rnd, String name, int n, float scale) {
        switch (v) {
            case FLOAT32 -> {
                ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) bb.putFloat((float) rnd.nextGaussian() * 0.2f);
                return b.addConstant(name, DataType.FLOAT32, new int[] {n}, null, bb.array());
            }
            case INT8 -> {
                ByteBuffer bb = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) bb.putInt(rnd.nextInt(2001) - 1000);
                return b.addConstant(name, DataType.INT32, new int[] {n}, q(scale, 0), bb.array());
            }
            default -> {
                ByteBuffer bb = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) bb.putLong(rnd.nextInt(200001) - 100000);
                return b.addConstant(name, DataType.INT64, new int[] {n}, q(scale, 0), bb.array());
            }
        }
    }
}
