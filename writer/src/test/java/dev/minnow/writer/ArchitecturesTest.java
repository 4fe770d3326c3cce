package dev.minnow.writer;

import dev.minnow.interpreter.Interpreter;
import dev.minnow.model.DataType;
import dev.minnow.model.Model;
import dev.minnow.model.OperatorInfo;
import dev.minnow.model.TensorInfo;
import dev.minnow.writer.network.FloatNetwork;
import dev.minnow.writer.quant.Agreement;
import dev.minnow.writer.quant.AgreementReport;
import dev.minnow.writer.quant.DetectorCheck;
import dev.minnow.writer.quant.Quantizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three detector architectures (and two models covering the remaining operators), written as float models and
 * quantized with float and int8 input/output: each loads and allocates in the engine, round-trips through the
 * writer, obeys TFLM's Prepare rules, the float model computes the Keras function, and the int8 model agrees with
 * the float one on held-out data within the error its agreement report states on the calibration data.
 */
class ArchitecturesTest {

    /** A model to check: its float bytes, the network it came from (null for models built op by op), data. */
    record Case(String name, byte[] floatModel, FloatNetwork net, float[][] calibration, float[][] heldOut) {
        @Override public String toString() { return name; }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        FloatNetwork dense = Architectures.denseAutoencoder(11), lstm = Architectures.lstmForecaster(12), conv = Architectures.convAutoencoder(13);
        FloatNetwork mixed = ExtraModels.mixedNetwork(14);
        c.add(new Case("dense_ae_640", NetworkWriter.write(dense), dense, Architectures.spectra(21, 200), Architectures.spectra(31, 100)));
        c.add(new Case("lstm_forecaster", NetworkWriter.write(lstm), lstm, Architectures.series(22, 300), Architectures.series(32, 100)));
        c.add(new Case("conv_ae", NetworkWriter.write(conv), conv, Architectures.sensors(23, 200), Architectures.sensors(33, 100)));
        c.add(new Case("mixed", NetworkWriter.write(mixed), mixed, ExtraModels.mixedSamples(24, 300), ExtraModels.mixedSamples(34, 100)));
        c.add(new Case("image", ExtraModels.imageModel(15), null, ExtraModels.imageSamples(25, 200), ExtraModels.imageSamples(35, 100)));
        return c;
    }

    static Stream<Arguments> floatCases() { return cases().stream().map(Arguments::of); }

    static Stream<Arguments> quantCases() {
        return cases().stream().flatMap(c -> Stream.of(Arguments.of(c, DataType.FLOAT32), Arguments.of(c, DataType.INT8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("floatCases")
    void floatModel(Case c) {
        Model m = Model.load(c.floatModel());
        RoundTripCorpusTest.assertSameModel(m, Model.load(ModelWriter.write(m)), c.name());
        assertEquals(List.of(), TflmPrepareRules.check(m), c.name());
        Interpreter it = new Interpreter(m);
        it.allocateTensors();
        for (OperatorInfo op : m.mainSubgraph().operators()) {
            for (int t : op.inputs()) if (t >= 0) assertEquals(DataType.FLOAT32 == m.mainSubgraph().tensor(t).type()
                    || m.mainSubgraph().tensor(t).type() == DataType.INT32, true, c.name() + " tensor " + t);
        }
        if (c.net() == null) return;
        double worst = 0;
        for (float[] x : c.heldOut()) {
            it.reset();
            it.getInputTensor(0).copyFrom(x);
            it.invoke();
            float[] y = new float[it.getOutputTensor(0).numElements()];
            it.getOutputTensor(0).copyTo(y);
            double[] ref = KerasReference.predict(c.net(), x);
            assertEquals(ref.length, y.length, c.name() + " output size");
            for (int i = 0; i < y.length; i++) worst = Math.max(worst, Math.abs(y[i] - ref[i]) / (1 + Math.abs(ref[i])));
        }
        System.out.printf("%s float: %d bytes, %s, largest relative difference to the Keras reference %.3g%n", c.name(),
                c.floatModel().length, m.opCodes(), worst);
        assertTrue(worst < 1e-5, c.name() + " differs from the Keras reference by " + worst);
    }

    @ParameterizedTest(name = "{0} {1} io")
    @MethodSource("quantCases")
    void int8Model(Case c, DataType io) {
        Model fm = Model.load(c.floatModel());
        Quantizer.Result r = Quantizer.quantize(fm, c.calibration(), new Quantizer.Options(io, io, true));
        Model qm = Model.load(r.model());
        RoundTripCorpusTest.assertSameModel(qm, Model.load(ModelWriter.write(qm)), c.name());
        assertEquals(List.of(), TflmPrepareRules.check(qm), c.name());
        new Interpreter(qm).allocateTensors();
        TensorInfo in = qm.mainSubgraph().tensor(qm.mainSubgraph().inputs()[0]);
        TensorInfo out = qm.mainSubgraph().tensor(qm.mainSubgraph().outputs()[0]);
        assertEquals(io, in.type());
        assertEquals(io, out.type());
        // the converter's table: FULLY_CONNECTED v4 and the int8 kernels need 1.14.0, TRANSPOSE_CONV v3 2.3.0
        String runtime = c.name().equals("conv_ae") || c.name().equals("mixed") ? "2.3.0" : "1.14.0";
        byte[] meta = qm.metadata().get("min_runtime_version");
        assertEquals(16, meta.length);
        assertEquals(runtime, new String(meta, StandardCharsets.US_ASCII).replace("\0", ""));
        for (TensorInfo t : qm.mainSubgraph().tensors()) {
            if (t.type() == DataType.FLOAT32) {
                assertTrue(!t.isConstant(), c.name() + ": float constant left in the int8 model: " + t);
            }
        }
        for (OperatorInfo op : qm.mainSubgraph().operators()) {
            int expected = switch (op.opCode().builtinName()) {
                case "FULLY_CONNECTED" -> op.options().getBool("keepNumDims", false) ? 5 : 4;
                case "CONV_2D", "DEPTHWISE_CONV_2D" -> 3;
                case "TRANSPOSE_CONV" -> op.options().getInt("fusedActivationFunction", 0) != 0 ? 4 : 3;
                case "UNIDIRECTIONAL_SEQUENCE_LSTM", "QUANTIZE", "RESHAPE" -> 1;
                default -> 2;   // DEQUANTIZE, STRIDED_SLICE, pooling, LOGISTIC, TANH, SOFTMAX with int8
            };
            assertEquals(expected, op.opCode().version(), c.name() + " " + op.opCode());
            if (op.opCode().builtinName().equals("UNIDIRECTIONAL_SEQUENCE_LSTM")) {
                assertEquals(5, op.intermediates().length);
                assertEquals(DataType.INT16, qm.mainSubgraph().tensor(op.input(19)).type());
                assertEquals(DataType.INT8, qm.mainSubgraph().tensor(op.intermediates()[4]).type());
            }
        }

        DetectorCheck.ScoreFunction score = c.name().equals("lstm_forecaster") ? (i, x, y) -> Math.abs(y[0] - x[x.length - 1])
                : c.name().endsWith("_ae") || c.name().endsWith("_640") ? DetectorCheck.reconstructionError()
                : (i, x, y) -> y[0];
        AgreementReport stated = Agreement.measure(fm, qm, c.calibration(), new DetectorCheck(score, percentile90(fm, c.calibration(), score)));
        AgreementReport heldOut = Agreement.measure(fm, qm, c.heldOut(), null);
        System.out.printf("%s int8 (%s io): %d bytes, %s%n on the calibration data: %s on held-out data: %s", c.name(), io.lowerName(),
                r.model().length, qm.opCodes(), stated.format(), heldOut.format());
        AgreementReport.OutputAgreement s = stated.outputs().get(0), h = heldOut.outputs().get(0);
        double range = s.floatMax() - s.floatMin();
        assertTrue(s.maxErrorInSteps() <= 16, c.name() + ": stated max error " + s.maxErrorInSteps() + " output steps");
        assertTrue(s.meanAbsError() <= 0.02 * range, c.name() + ": stated mean error " + s.meanAbsError() + " of range " + range);
        assertTrue(h.maxAbsError() <= Math.max(3 * s.maxAbsError(), s.maxAbsError() + 4 * s.outputScale()),
                c.name() + ": held-out max error " + h.maxAbsError() + " beyond the stated " + s.maxAbsError());
        assertTrue(h.meanAbsError() <= 1.5 * s.meanAbsError() + 0.5 * s.outputScale(),
                c.name() + ": held-out mean error " + h.meanAbsError() + " beyond the stated " + s.meanAbsError());
        if (c.net() != null && !c.name().equals("mixed")) {
            assertTrue(stated.decisions().changed() <= Math.max(2, c.calibration().length / 50),
                    c.name() + ": " + stated.decisions().changed() + " detector decisions change");
        }
        if (io == DataType.FLOAT32) {
            Model perTensor = Model.load(Quantizer.quantize(fm, c.calibration(), new Quantizer.Options(io, io, false)).model());
            assertEquals(List.of(), TflmPrepareRules.check(perTensor), c.name() + " per-tensor dense weights");
            new Interpreter(perTensor).allocateTensors();
            double perTensorError = Agreement.measure(fm, perTensor, c.heldOut(), null).outputs().get(0).maxAbsError();
            assertTrue(perTensorError <= Math.max(3 * s.maxAbsError(), s.maxAbsError() + 8 * s.outputScale()),
                    c.name() + ": per-tensor dense weights err " + perTensorError);
        }
        if (io == DataType.INT8) {
            // the same quantization whatever the I/O type: only the edge operators differ
            Model other = Model.load(Quantizer.quantize(fm, c.calibration(), Quantizer.Options.defaults()).model());
            assertEquals(Agreement.measure(fm, other, c.heldOut(), null).outputs().get(0).maxAbsError(), h.maxAbsError(), 1e-6);
        }
    }

    /** The float model's 90th-percentile score: an anomaly threshold as detectors set them. */
    private static double percentile90(Model fm, float[][] data, DetectorCheck.ScoreFunction score) {
        Interpreter it = new Interpreter(fm);
        it.allocateTensors();
        double[] s = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            it.reset();
            it.getInputTensor(0).copyFrom(data[i]);
            it.invoke();
            float[] y = new float[it.getOutputTensor(0).numElements()];
            it.getOutputTensor(0).copyTo(y);
            s[i] = score.score(i, data[i], y);
        }
        java.util.Arrays.sort(s);
        return s[s.length * 9 / 10];
    }
}
