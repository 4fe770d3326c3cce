package dev.minnow.writer.convert;

import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.writer.ModelWriter;
import dev.minnow.writer.NetworkWriter;
import dev.minnow.writer.network.Activation;
import dev.minnow.writer.network.Conv1D;
import dev.minnow.writer.network.Conv1DTranspose;
import dev.minnow.writer.network.Dense;
import dev.minnow.writer.network.Dropout;
import dev.minnow.writer.network.Flatten;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.network.Lstm;
import dev.minnow.writer.network.Padding;
import dev.minnow.writer.network.Reshape;
import dev.minnow.writer.quant.DetectorCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The convert entry point: JSON and .tflite sources, CSV and raw datasets, and the errors bad inputs get. */
class ConverterTest {
    @TempDir Path dir;

    static FloatNetwork small(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new FloatNetwork("small", new int[] {6, 2}, List.of(
                new Conv1D(cube(r, 3, 2, 4), vec(r, 4), 1, 1, Padding.SAME, Activation.RELU),
                new Dropout(0.1f),
                new Conv1DTranspose(cube(r, 2, 2, 4), vec(r, 2), 1, Padding.SAME, Activation.LINEAR),
                new Lstm(mat(r, 2, 12), mat(r, 3, 12), vec(r, 12), true),
                new Flatten(),
                new Reshape(new int[] {18}),
                new Dense(mat(r, 18, 3), vec(r, 3), Activation.SIGMOID)));
    }

    @Test
    void jsonRoundTripsEveryLayerBitForBit() {
        FloatNetwork net = small(1);
        String json = NetworkJson.write(net);
        FloatNetwork back = NetworkJson.parse(json);
        assertEquals(json, NetworkJson.write(back));
        assertArrayEquals(NetworkWriter.write(net), NetworkWriter.write(back));
    }

    @Test
    void convertsJsonWithCsvAndTfliteWithRawData() throws IOException {
        FloatNetwork net = small(2);
        Path json = dir.resolve("net.json");
        Files.writeString(json, NetworkJson.write(net));
        float[][] data = samples(3, 40, 12);
        Path csv = dir.resolve("data.csv");
        StringBuilder sb = new StringBuilder("# calibration windows\n");
        for (int i = 0; i < 12; i++) sb.append(i == 0 ? "" : ",").append("f").append(i);
        sb.append('\n');
        for (float[] s : data) {
            for (int i = 0; i < s.length; i++) sb.append(i == 0 ? "" : ", ").append(s[i]);
            sb.append("\n\n");
        }
        Files.writeString(csv, sb);
        Converter.Result a = Converter.fromNetworkJson(json).datasetFiles(List.of(csv)).convert();

        Path tflite = dir.resolve("net.tflite");
        Files.write(tflite, NetworkWriter.write(net));
        Path raw = dir.resolve("data.bin");
        RepresentativeDataset.writeRaw(raw, data);
        Converter.Result b = Converter.fromFloatModel(tflite).datasetFiles(List.of(raw))
                .detector(new DetectorCheck((i, x, y) -> y[0], 0.5)).convert();

        assertArrayEquals(a.quantizedModel(), b.quantizedModel(), "CSV and raw data give the same calibration");
        assertArrayEquals(a.floatModel(), b.floatModel());
        Model q = Model.load(b.quantizedModel());
        assertEquals(DataType.FLOAT32, q.mainSubgraph().tensor(q.mainSubgraph().inputs()[0]).type());
        assertEquals(40, b.report().samples());
        assertTrue(b.report().decisions() != null && b.report().format().contains("decisions change"), b.report().format());
        assertTrue(b.report().outputs().get(0).maxErrorInSteps() < 16, b.report().format());

        Converter.Result c = Converter.fromNetwork(net).dataset(data).inputType(DataType.INT8).outputType(DataType.INT8)
                .evaluationDataset(samples(4, 10, 12)).convert();
        Model qi = Model.load(c.quantizedModel());
        assertEquals(DataType.INT8, qi.mainSubgraph().tensor(qi.mainSubgraph().inputs()[0]).type());
        assertEquals(10, c.report().samples());
    }

    @Test
    void badJsonIsNamedWithItsPath() {
        String good = NetworkJson.write(small(5));
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [2], \"layers\": [{\"type\": \"Dense\", \"kernel\": [[1, 2], [3]], \"bias\": [0, 0]}]}"),
                "network.layers[0].kernel[1] has 1 values, row 0 has 2");
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [2], \"layers\": [{\"type\": \"GRU\"}]}"),
                "network.layers[0].type 'GRU' is not a supported layer");
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [3], \"layers\": [{\"type\": \"Dense\", \"kernel\": [[1], [2]], \"bias\": [0]}]}"),
                "network.layers[0]: Dense expects 2 input features, got shape [3]");
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [2], \"layers\": [{\"type\": \"Dense\", \"units\": 3, \"kernel\": [[1], [2]], \"bias\": [0]}]}"),
                "network.layers[0].units is 3 but the weights give 1");
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [2], \"layers\": [{\"type\": \"Dense\", \"kernal\": [[1], [2]], \"bias\": [0]}]}"),
                "network.layers[0]: unknown key 'kernal'");
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [2], \"layers\": [{\"type\": \"Dense\", \"kernel\": [[1e39], [2]], \"bias\": [0]}]}"),
                "network.layers[0].kernel[0][0] = 1E+39 is not a finite float32");
        assertMessage(() -> NetworkJson.parse(good.substring(0, good.length() / 2)), "not valid JSON");
        assertMessage(() -> NetworkJson.parse("{\"input_shape\": [4, 2], \"layers\": [{\"type\": \"Conv1D\", \"padding\": \"causal\", "
                + "\"kernel\": [[[1]], [[1]]], \"bias\": [0]}]}"), "network.layers[0].padding 'causal' is not 'same' or 'valid'");
    }

    @Test
    void badDatasetsAreNamedWithFileLineAndSizes() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,3\n4,5\n");
        assertMessage(() -> RepresentativeDataset.readCsv(csv, 3), "bad.csv line 2: 2 values, the model input takes 3");
        Files.writeString(csv, "1,2,3\n4,x,6\n");
        assertMessage(() -> RepresentativeDataset.readCsv(csv, 3), "bad.csv line 2, column 2: 'x' is not a number");
        Files.writeString(csv, "1,2,NaN\n");
        assertMessage(() -> RepresentativeDataset.readCsv(csv, 3), "bad.csv line 1, column 3: NaN is not finite");
        Files.writeString(csv, "# nothing\n\n");
        assertMessage(() -> RepresentativeDataset.readCsv(csv, 3), "bad.csv holds no samples");
        Path raw = dir.resolve("bad.bin");
        Files.write(raw, new byte[13]);
        assertMessage(() -> RepresentativeDataset.readRaw(raw, 3), "bad.bin: 13 bytes is not a whole number of 3-value float32 samples (12 bytes each)");
        Files.write(raw, dev.minnow.writer.LeArrays.floats(new float[] {1, Float.POSITIVE_INFINITY, 2}));
        assertMessage(() -> RepresentativeDataset.readRaw(raw, 3), "sample 0 value 1 is Infinity");

        Converter c = Converter.fromNetwork(small(6));
        assertMessage(() -> c.dataset(new float[][] {new float[11]}), "sample 0 has 11 values, the model input takes 12");
        assertMessage(c::convert, "no representative dataset given");
        assertMessage(() -> c.inputType(DataType.INT16).dataset(samples(1, 2, 12)).convert(), "must be float32 or int8, not int16");
    }

    @Test
    void unsupportedModelsAreRefusedUpFront() {
        ModelWriter w = new ModelWriter();
        int x = w.addTensor("x", DataType.FLOAT32, new int[] {1, 4}, null);
        int y = w.addTensor("y", DataType.FLOAT32, new int[] {1, 4}, null);
        w.addOperator("EXP", 1, new int[] {x}, new int[] {y}, null, null).setInputs(x).setOutputs(y);
        assertMessage(() -> Converter.fromFloatModel(w.toByteArray()), "operator 0 (EXP) is not supported by the quantizer");

        ModelWriter two = new ModelWriter();
        int a = two.addTensor("a", DataType.FLOAT32, new int[] {1}, null), b = two.addTensor("b", DataType.FLOAT32, new int[] {1}, null);
        int o = two.addTensor("o", DataType.FLOAT32, new int[] {1}, null);
        two.addOperator("RELU", 1, new int[] {a}, new int[] {o}, null, null).setInputs(a, b).setOutputs(o);
        assertMessage(() -> Converter.fromFloatModel(two.toByteArray()), "model has 2 inputs; only single-input models are quantized");

        ModelWriter q = new ModelWriter();
        int qi = q.addTensor("qi", DataType.INT8, new int[] {1}, new dev.minnow.model.Quantization(new float[] {1}, new long[] {0}, 0));
        int qo = q.addTensor("qo", DataType.INT8, new int[] {1}, new dev.minnow.model.Quantization(new float[] {1}, new long[] {0}, 0));
        q.addOperator("RELU", 2, new int[] {qi}, new int[] {qo}, null, null).setInputs(qi).setOutputs(qo);
        assertMessage(() -> Converter.fromFloatModel(q.toByteArray()), "model input (tensor 0 'qi') is not a float32 activation");

        assertMessage(() -> Converter.fromFloatModel("not a model".getBytes(StandardCharsets.US_ASCII)), "file identifier is 'a mo', expected 'TFL3'");
    }

    @Test
    void scalesBeyondFloat32AreRefused() {
        FloatNetwork net = new FloatNetwork("overflow", new int[] {1}, List.of(
                new Dense(new float[][] {{3e38f}}, new float[] {0}, Activation.LINEAR),
                new Dense(new float[][] {{3e38f}}, new float[] {0}, Activation.LINEAR)));
        // the engine clamps float overflow to +-FLT_MAX (as TFLM's activation clamp does): the ranges are finite but
        // their scales multiply beyond float32
        assertMessage(() -> Converter.fromNetwork(net).dataset(new float[][] {{10f}}).convert(), "is outside float32's normal range");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String fragment) {
        Throwable t = assertThrows(RuntimeException.class, e);
        assertTrue(t.getMessage() != null && t.getMessage().contains(fragment), "message '" + t.getMessage() + "' lacks '" + fragment + "'");
    }

    static float[][] samples(long seed, int n, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] s = new float[n][size];
        for (float[] x : s) for (int i = 0; i < size; i++) x[i] = (float) r.nextGaussian();
        return s;
    }

    static float[] vec(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5);
        return v;
    }

    static float[][] mat(SplittableRandom r, int a, int b) {
        float[][] m = new float[a][];
        for (int i = 0; i < a; i++) m[i] = vec(r, b);
        return m;
    }

    static float[][][] cube(SplittableRandom r, int a, int b, int c) {
        float[][][] m = new float[a][][];
        for (int i = 0; i < a; i++) m[i] = mat(r, b, c);
        return m;
    }
}
