package dev.minnow.writer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.SubgraphInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.quant.Quantizer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The corpus's float detectors (written by another generator, run by the real TFLM) quantized by this quantizer,
 * calibrated on the cases' own input sets, have the layout of the corpus's int8 versions: the same operators in the
 * same order and, at every operator input and output, the same type, shape, variable flag, number of scales and
 * quantized dimension (the scales themselves depend on the calibration data). The LSTM's version and
 * intermediates are left out, and detectors with operators the quantizer does not handle (the in-model score of
 * dense_ae_640_score: SQUARED_DIFFERENCE, MEAN) are listed as skipped: the corpus writes version 3 without intermediates, the converter version 1 with
 * five (op_version.cc; tflm-mnist_lstm_int8, a real converter output, has both).
 */
class CorpusDetectorsTest {
    @Test
    void floatDetectorsQuantizeToTheCorpusLayout() throws IOException {
        Path root = Corpus.root().resolve("detectors");
        List<String> compared = new ArrayList<>(), skipped = new ArrayList<>();
        try (var dirs = Files.list(root)) {
            for (Path f32 : dirs.filter(d -> d.getFileName().toString().endsWith("_f32")).sorted().toList()) {
                String base = f32.getFileName().toString().replaceAll("_f32$", "");
                Model fm = Model.load(f32.resolve("model.tflite"));
                try {
                    Quantizer.validate(fm);
                } catch (IllegalArgumentException e) {
                    skipped.add(base + " (" + e.getMessage() + ")");
                    continue;
                }
                float[][] calibration = inputs(f32);
                for (String variant : new String[] {"_i8", "_i8_intio"}) {
                    Path expected = root.resolve(base + variant);
                    if (!Files.isDirectory(expected)) continue;
                    DataType io = variant.equals("_i8") ? DataType.FLOAT32 : DataType.INT8;
                    Model mine = Model.load(Quantizer.quantize(fm, calibration, new Quantizer.Options(io, io, true)).model());
                    assertSameLayout(Model.load(expected.resolve("model.tflite")), mine, base + variant);
                    assertEquals(List.of(), TflmPrepareRules.check(mine), base + variant);
                    compared.add(base + variant);
                }
            }
        }
        System.out.println("corpus detectors quantized to the corpus layout: " + compared + "; not quantizable here: " + skipped);
        assertTrue(compared.size() >= 10, "only " + compared);
    }

    private static void assertSameLayout(Model expected, Model actual, String what) {
        SubgraphInfo e = expected.mainSubgraph(), a = actual.mainSubgraph();
        List<String> eo = e.operators().stream().map(o -> o.opCode().builtinName()).toList();
        List<String> ao = a.operators().stream().map(o -> o.opCode().builtinName()).toList();
        assertEquals(eo, ao, what + " operators");
        for (int k = 0; k < eo.size(); k++) {
            OperatorInfo x = e.operators().get(k), y = a.operators().get(k);
            if (!eo.get(k).equals("UNIDIRECTIONAL_SEQUENCE_LSTM")) assertEquals(x.opCode().version(), y.opCode().version(), what + " " + eo.get(k) + " version");
            assertEquals(x.options(), y.options(), what + " op " + k + " options");
            assertEquals(x.inputCount(), y.inputCount(), what + " op " + k + " inputs");
            for (int i = 0; i < x.inputCount(); i++) assertEquals(layout(e, x.input(i)), layout(a, y.input(i)), what + " op " + k + " input " + i);
            for (int i = 0; i < x.outputCount(); i++) assertEquals(layout(e, x.output(i)), layout(a, y.output(i)), what + " op " + k + " output " + i);
        }
        assertEquals(layout(e, e.inputs()[0]), layout(a, a.inputs()[0]), what + " model input");
        assertEquals(layout(e, e.outputs()[0]), layout(a, a.outputs()[0]), what + " model output");
    }

    private static String layout(SubgraphInfo g, int t) {
        if (t < 0) return "none";
        TensorInfo i = g.tensor(t);
        var q = i.quantization();
        return i.type().lowerName() + Arrays.toString(i.shape()) + (i.isVariable() ? " variable" : "") + (i.isConstant() ? " const" : "")
                + (q.isQuantized() ? " scales=" + q.channelCount() + (q.isPerChannel() ? " axis=" + q.quantizedDimension() : "")
                + (i.isConstant() && i.type() != DataType.INT32 ? " zp=" + q.zeroPoint() : "") : "");
    }

    private static float[][] inputs(Path dir) throws IOException {
        JsonNode c = new ObjectMapper().readTree(dir.resolve("case.json").toFile());
        List<float[]> samples = new ArrayList<>();
        for (JsonNode set : c.path("sets")) samples.add(LeArrays.toFloats(Files.readAllBytes(dir.resolve(set.path("inputs").get(0).asText()))));
        return samples.toArray(new float[0][]);
    }
}
